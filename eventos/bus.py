"""Bus en proceso: numera, guarda los últimos eventos para reenviarlos y los reparte sin esperar."""

import asyncio
import contextlib
import logging
import signal
from collections import deque

from config import Ajustes
from eventos.evento import Evento, Suscripcion

registro = logging.getLogger("callcenter.eventos")

INTERVALO_VIGIA = 0.25


def _servidor_uvicorn() -> object | None:
    """El servidor uvicorn de este proceso, si es él quien atiende SIGTERM."""
    manejador = signal.getsignal(signal.SIGTERM)
    servidor = getattr(manejador, "__self__", None)
    return servidor if hasattr(servidor, "should_exit") else None


class Bus:
    """Base común: suscripciones del proceso, reparto y cierre ordenado de los flujos."""

    def __init__(self, *, retenidos: int, capacidad_cola: int) -> None:
        self.retenidos = retenidos
        self.capacidad_cola = capacidad_cola
        self._suscripciones: set[Suscripcion] = set()
        self._bucle: asyncio.AbstractEventLoop | None = None
        self._tareas: list[asyncio.Task] = []
        self.apagando = False

    @property
    def suscripciones(self) -> int:
        return len(self._suscripciones)

    async def iniciar(self) -> None:
        self._bucle = asyncio.get_running_loop()
        self.apagando = False
        self._tareas.append(asyncio.create_task(self._vigilar_apagado(), name="eventos-vigia"))

    async def detener(self) -> None:
        self.cerrar_flujos()
        for tarea in self._tareas:
            tarea.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tarea
        self._tareas.clear()
        self._bucle = None

    def cerrar_flujos(self) -> None:
        """Termina todos los flujos abiertos (y los que se abran después)."""
        self.apagando = True
        for suscripcion in list(self._suscripciones):
            suscripcion.cerrar()

    async def _vigilar_apagado(self) -> None:
        # uvicorn espera a que terminen las respuestas antes de cerrar la aplicación: sin esto,
        # un flujo abierto retendría el apagado para siempre.
        while True:
            await asyncio.sleep(INTERVALO_VIGIA)
            servidor = _servidor_uvicorn()
            if servidor is not None and getattr(servidor, "should_exit", False):
                registro.info("Apagado: se cierran %d flujos de eventos", self.suscripciones)
                self.cerrar_flujos()

    def suscribir(self, *, usuario_id: int, supervision: bool) -> Suscripcion:
        suscripcion = Suscripcion(
            usuario_id=usuario_id, supervision=supervision, capacidad=self.capacidad_cola
        )
        self._suscripciones.add(suscripcion)
        if self.apagando:
            suscripcion.cerrar()
        return suscripcion

    def desuscribir(self, suscripcion: Suscripcion) -> None:
        self._suscripciones.discard(suscripcion)

    def _repartir(self, evento: Evento) -> None:
        for suscripcion in list(self._suscripciones):
            suscripcion.entregar(evento)

    def _programar(self, funcion, *argumentos) -> None:
        """Pasa el trabajo al bucle del bus desde cualquier hilo; nunca lanza ni espera."""
        bucle = self._bucle
        if bucle is None or bucle.is_closed():
            return
        try:
            bucle.call_soon_threadsafe(funcion, *argumentos)
        except RuntimeError:  # bucle cerrándose: el evento se pierde, la petición sigue
            pass

    def publicar(self, evento: Evento) -> None:
        raise NotImplementedError

    @property
    def ultimo_id(self) -> int:
        raise NotImplementedError

    async def desde(self, ultimo_id: int) -> tuple[list[Evento], bool]:
        """Eventos guardados posteriores a ultimo_id y si falta alguno (hay que resincronizar)."""
        raise NotImplementedError


class BusLocal(Bus):
    """Un solo proceso: contador propio y anillo con los últimos eventos."""

    def __init__(self, *, retenidos: int, capacidad_cola: int) -> None:
        super().__init__(retenidos=retenidos, capacidad_cola=capacidad_cola)
        self._contador = 0
        self._anillo: deque[Evento] = deque(maxlen=retenidos)

    @property
    def ultimo_id(self) -> int:
        return self._contador

    def publicar(self, evento: Evento) -> None:
        self._programar(self._numerar_y_repartir, evento)

    def _numerar_y_repartir(self, evento: Evento) -> None:
        self._contador += 1
        evento.id = self._contador
        self._anillo.append(evento)
        self._repartir(evento)

    async def desde(self, ultimo_id: int) -> tuple[list[Evento], bool]:
        if ultimo_id > self._contador:
            return [], True  # id de otra vida del proceso: no se sabe qué falta
        if ultimo_id == self._contador:
            return [], False
        primero = self._anillo[0].id if self._anillo else self._contador + 1
        eventos = [e for e in self._anillo if e.id > ultimo_id]
        return eventos, ultimo_id + 1 < primero


def crear_bus(ajustes: Ajustes) -> Bus:
    """Bus de Redis si hay REDIS_URL; si no, en proceso."""
    if ajustes.redis_url:
        from eventos.bus_redis import BusRedis

        return BusRedis(
            ajustes.redis_url,
            retenidos=ajustes.eventos_retenidos,
            capacidad_cola=ajustes.eventos_cola_maxima,
        )
    return BusLocal(retenidos=ajustes.eventos_retenidos, capacidad_cola=ajustes.eventos_cola_maxima)
