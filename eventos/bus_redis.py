"""Bus entre procesos y máquinas con un Redis Stream: ids globales, reparto y reenvío.

Se usa un Stream (XADD/XREAD) y no PUBLISH/SUBSCRIBE: reparte igual a todos los procesos y
además guarda los últimos eventos, así un navegador que se reconecta a otro proceso se pone
al día con Last-Event-ID. Un guion Lua hace INCR + XADD de forma atómica: los ids son enteros
consecutivos y crecientes para todos los procesos.
"""

import asyncio
import contextlib
import logging

from redis import asyncio as redis_asyncio

from eventos.bus import Bus
from eventos.evento import Evento

registro = logging.getLogger("callcenter.eventos")

CLAVE_FLUJO = "callcenter:eventos"
CLAVE_CONTADOR = "callcenter:eventos:id"
BLOQUEO_MS = 5000
COLA_SALIDA = 10_000
GUION_PUBLICAR = """
local n = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], n .. '-0', 'e', ARGV[1])
return n
"""


def _numero(id_flujo: bytes | str) -> int:
    texto = id_flujo.decode() if isinstance(id_flujo, bytes) else id_flujo
    return int(texto.split("-", 1)[0])


class BusRedis(Bus):
    """Cada proceso publica en el Stream y lee de él con una sola conexión bloqueante."""

    def __init__(self, url: str, *, retenidos: int, capacidad_cola: int) -> None:
        super().__init__(retenidos=retenidos, capacidad_cola=capacidad_cola)
        self._url = url
        self._ultimo = 0
        self._salida: asyncio.Queue[Evento] | None = None
        self._avisado: set[str] = set()
        self._cliente: redis_asyncio.Redis | None = None
        self._lector: redis_asyncio.Redis | None = None

    @property
    def ultimo_id(self) -> int:
        return self._ultimo

    def _fallo(self, que: str, error: Exception) -> None:
        """Avisa una vez por tipo de fallo hasta que Redis vuelva a responder."""
        if que not in self._avisado:
            self._avisado.add(que)
            registro.warning("Redis no disponible (%s): %s; se sigue sin eventos", que, error)

    def _recuperado(self, que: str) -> None:
        if que in self._avisado:
            self._avisado.discard(que)
            registro.info("Redis disponible de nuevo (%s)", que)

    async def iniciar(self) -> None:
        await super().iniciar()
        opciones = {"socket_connect_timeout": 2, "health_check_interval": 30}
        self._cliente = redis_asyncio.from_url(self._url, socket_timeout=2, **opciones)
        self._lector = redis_asyncio.from_url(
            self._url, socket_timeout=BLOQUEO_MS / 1000 + 5, **opciones
        )
        self._guion = self._cliente.register_script(GUION_PUBLICAR)
        self._salida = asyncio.Queue(maxsize=COLA_SALIDA)
        self._tareas.append(asyncio.create_task(self._enviar(), name="eventos-redis-envio"))
        self._tareas.append(asyncio.create_task(self._leer(), name="eventos-redis-lectura"))

    async def detener(self) -> None:
        await super().detener()
        for cliente in (self._cliente, self._lector):
            if cliente is not None:
                with contextlib.suppress(Exception):
                    await cliente.aclose()

    def publicar(self, evento: Evento) -> None:
        self._programar(self._encolar, evento)

    def _encolar(self, evento: Evento) -> None:
        if self._salida is None:
            return
        try:
            self._salida.put_nowait(evento)
        except asyncio.QueueFull:
            self._fallo("cola de salida llena", RuntimeError("eventos descartados"))

    async def _enviar(self) -> None:
        assert self._salida is not None
        while True:
            evento = await self._salida.get()
            try:
                await self._guion(
                    keys=[CLAVE_CONTADOR, CLAVE_FLUJO], args=[evento.a_json(), self.retenidos]
                )
                self._recuperado("publicar")
                self._recuperado("cola de salida llena")
            except Exception as error:  # Redis caído: se pierde el evento, nunca la petición
                self._fallo("publicar", error)

    async def _cabeza(self) -> int:
        return int(await self._cliente.get(CLAVE_CONTADOR) or 0)

    async def _leer(self) -> None:
        ultimo: int | None = None
        while True:
            try:
                if ultimo is None:
                    ultimo = self._ultimo = await self._cabeza()
                respuesta = await self._lector.xread(
                    {CLAVE_FLUJO: f"{ultimo}-0"}, block=BLOQUEO_MS, count=1000
                )
                self._recuperado("leer")
                if not respuesta:
                    if await self._cabeza() < ultimo:  # Redis vaciado: se empieza de nuevo
                        ultimo = None
                    continue
                for _clave, entradas in respuesta:
                    for id_flujo, campos in entradas:
                        evento = Evento.de_json(campos[b"e"], _numero(id_flujo))
                        ultimo = self._ultimo = evento.id
                        self._repartir(evento)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self._fallo("leer", error)
                await asyncio.sleep(1)

    async def desde(self, ultimo_id: int) -> tuple[list[Evento], bool]:
        try:
            cabeza = await self._cabeza()
            if ultimo_id >= cabeza:
                return [], ultimo_id > cabeza
            entradas = await self._cliente.xrange(
                CLAVE_FLUJO, min=f"{ultimo_id + 1}-0", max="+", count=self.retenidos
            )
        except Exception as error:
            self._fallo("reenviar", error)
            return [], True
        eventos = [Evento.de_json(campos[b"e"], _numero(i)) for i, campos in entradas]
        completos = bool(eventos) and eventos[0].id == ultimo_id + 1
        completos = completos and (len(eventos) < self.retenidos or eventos[-1].id >= cabeza)
        return eventos, not completos
