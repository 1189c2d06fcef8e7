"""Un flujo SSE por cliente: reenvío, resincronización, pistas de KPIs acotadas y ping."""

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from eventos.bus import Bus
from eventos.evento import Suscripcion

registro = logging.getLogger("callcenter.eventos")

TIPOS_CON_KPIS = frozenset(
    {"llamada_creada", "llamada_actualizada", "llamada_eliminada", "llamada_clasificada"}
)
REINTENTO_MS = 2000
INTERVALO_KPIS = 1.0
# Con eventos seguidos, cada flujo escribe como mucho cada 50 ms (varios eventos por
# escritura): con cientos de flujos el coste es por escritura, no por evento.
AGRUPAR_SEGUNDOS = 0.05
ESCRITURA_MAXIMA = 30.0
VIGILANCIA = 5.0

# Devuelve si el usuario sigue siendo de supervisión, o None si ya no puede seguir conectado.
Verificador = Callable[[], Awaitable[bool | None]]


def marco(tipo: str, id_evento: int, datos: str = "{}") -> bytes:
    return f"id: {id_evento}\nevent: {tipo}\ndata: {datos}\n\n".encode()


class Flujo:
    """Lo que recibe un navegador conectado, en trozos de texto SSE."""

    def __init__(
        self,
        *,
        bus: Bus,
        suscripcion: Suscripcion,
        ultimo_id: int | None,
        ping_segundos: float,
        verificar: Verificador,
    ) -> None:
        self.bus = bus
        self.suscripcion = suscripcion
        self.ultimo_id = ultimo_id
        self.ping_segundos = ping_segundos
        self.verificar = verificar

    def cerrar(self) -> None:
        self.suscripcion.cerrar()
        self.bus.desuscribir(self.suscripcion)

    async def _reenvio(self) -> tuple[list[bytes], int, bool]:
        """Lo perdido desde Last-Event-ID; si falta algo, una orden de resincronizar."""
        if self.ultimo_id is None:
            return [], 0, False
        eventos, hueco = await self.bus.desde(self.ultimo_id)
        if hueco:
            cabeza = self.bus.ultimo_id
            return [marco("resincronizar", cabeza)], cabeza, False
        propios = [e for e in eventos if self.suscripcion.admite(e)]
        tope = max((e.id for e in eventos), default=self.ultimo_id)
        return [e.marco() for e in propios], tope, any(e.tipo in TIPOS_CON_KPIS for e in propios)

    async def marcos(self) -> AsyncIterator[bytes]:
        suscripcion = self.suscripcion
        trozos, tope, kpis_pendiente = await self._reenvio()
        ultimo = tope or self.ultimo_id or self.bus.ultimo_id
        yield f"retry: {REINTENTO_MS}\n\n".encode() + b"".join(trozos)
        proximo_ping = time.monotonic() + self.ping_segundos
        ultimo_kpis = ultima_escritura = -math.inf
        while not suscripcion.cerrada:
            ahora = time.monotonic()
            espera = proximo_ping - ahora
            if kpis_pendiente:
                espera = min(espera, ultimo_kpis + INTERVALO_KPIS - ahora)
            await suscripcion.esperar(espera)
            pausa = ultima_escritura + AGRUPAR_SEGUNDOS - time.monotonic()
            if pausa > 0 and not suscripcion.cerrada:
                await asyncio.sleep(pausa)
            eventos, desbordada = suscripcion.tomar()
            trozos = []
            if desbordada:
                # Cliente lento: se tiró su cola; que vuelva a pedir el estado completo.
                ultimo = max(ultimo, self.bus.ultimo_id)
                tope = ultimo
                trozos.append(marco("resincronizar", ultimo))
            for evento in eventos:
                if evento.id <= tope:
                    continue  # ya enviado en el reenvío
                trozos.append(evento.marco())
                ultimo = evento.id
                kpis_pendiente = kpis_pendiente or evento.tipo in TIPOS_CON_KPIS
            ahora = time.monotonic()
            if kpis_pendiente and ahora - ultimo_kpis >= INTERVALO_KPIS:
                trozos.append(marco("kpis", ultimo))
                ultimo_kpis, kpis_pendiente = ahora, False
            if ahora >= proximo_ping:
                supervision = await self.verificar()
                if supervision is None:
                    return
                suscripcion.supervision = supervision
                trozos.append(b": ping\n\n")
                proximo_ping = ahora + self.ping_segundos
            if trozos:
                ultima_escritura = ahora
                yield b"".join(trozos)


class RespuestaEventos(StreamingResponse):
    """text/event-stream que termina si el cliente se va, si se cierra el bus (apagado) o si
    una escritura lleva demasiado tiempo bloqueada."""

    media_type = "text/event-stream"

    def __init__(self, flujo: Flujo) -> None:
        cabeceras = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        super().__init__(flujo.marcos(), headers=cabeceras)
        self.flujo = flujo

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        escribiendo_desde: float | None = None
        try:
            async with anyio.create_task_group() as grupo:

                async def escribir() -> None:
                    nonlocal escribiendo_desde
                    inicio = {"type": "http.response.start", "status": 200}
                    await send({**inicio, "headers": self.raw_headers})
                    async for trozo in self.body_iterator:
                        escribiendo_desde = time.monotonic()
                        await send({"type": "http.response.body", "body": trozo, "more_body": True})
                        escribiendo_desde = None
                    grupo.cancel_scope.cancel()

                async def escuchar() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    grupo.cancel_scope.cancel()

                async def vigilar() -> None:
                    # Un solo temporizador cada pocos segundos por flujo, no uno por escritura.
                    while not self.flujo.suscripcion.cerrada:
                        with anyio.move_on_after(VIGILANCIA):
                            await self.flujo.suscripcion.al_cerrar.wait()
                        bloqueado = escribiendo_desde is not None and (
                            time.monotonic() - escribiendo_desde > ESCRITURA_MAXIMA
                        )
                        if bloqueado:
                            registro.info("Flujo de eventos cortado: el cliente no lee")
                            break
                    await anyio.sleep(0.05)  # deja salir lo que ya estaba en camino
                    grupo.cancel_scope.cancel()

                grupo.start_soon(escribir)
                grupo.start_soon(escuchar)
                grupo.start_soon(vigilar)
            with anyio.move_on_after(1):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        except* OSError:
            registro.info("Flujo de eventos cortado: cliente desconectado")
        finally:
            self.flujo.cerrar()
            await self.body_iterator.aclose()
