"""Aforo asíncrono: como mucho N a la vez; el resto espera poco en cola y, si no, se rechaza."""

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator

from servicios.excepciones import ServicioNoDisponible


class Aforo:
    """Semáforo con espera acotada y cola limitada; no se ata a un bucle hasta que alguien espera.

    Un hueco que se libera pasa directamente al primero de la cola (orden de llegada).
    """

    def __init__(self, maximo: int, *, espera_segundos: float, cola_maxima: int | None = None):
        self.maximo = maximo
        self.espera_segundos = espera_segundos
        self.cola_maxima = cola_maxima if cola_maxima is not None else 4 * maximo
        self.ocupados = 0
        self.rechazados = 0
        self._cola: deque[asyncio.Future[bool]] = deque()

    @property
    def en_cola(self) -> int:
        return len(self._cola)

    async def entrar(self) -> bool:
        """True con un hueco asignado; False si no lo hubo dentro de la espera."""
        if self.ocupados < self.maximo and not self._cola:
            self.ocupados += 1
            return True
        if self.espera_segundos <= 0 or len(self._cola) >= self.cola_maxima:
            self.rechazados += 1
            return False
        # El turno se resuelve con True si el hueco pasa a esta petición (salir) o con False si
        # vence la espera (un temporizador): un solo futuro, sin el de asyncio.wait.
        bucle = asyncio.get_running_loop()
        turno: asyncio.Future[bool] = bucle.create_future()
        self._cola.append(turno)
        vence = bucle.call_later(self.espera_segundos, _vencer, turno)
        try:
            asignado = await turno
        except asyncio.CancelledError:
            if turno.done() and not turno.cancelled() and turno.result():
                self.salir()  # el hueco llegó justo antes de cancelar: se devuelve
            self._dejar_cola(turno)
            raise
        finally:
            vence.cancel()
        if not asignado:
            self._dejar_cola(turno)
            self.rechazados += 1
        return asignado

    def _dejar_cola(self, turno: asyncio.Future[bool]) -> None:
        """Sin hueco asignado a tiempo: se sale de la cola."""
        if not turno.done():
            turno.cancel()
        with contextlib.suppress(ValueError):
            self._cola.remove(turno)

    def salir(self) -> None:
        """Libera un hueco: pasa al siguiente de la cola o queda libre."""
        while self._cola:
            turno = self._cola.popleft()
            if not turno.done():
                turno.set_result(True)  # el hueco cambia de dueño sin pasar por libre
                return
        self.ocupados -= 1

    @contextlib.asynccontextmanager
    async def turno(self, mensaje: str, *, reintentar_en: int) -> AsyncIterator[None]:
        """Bloque con hueco asignado; sin hueco a tiempo, ServicioNoDisponible (503)."""
        if not await self.entrar():
            raise ServicioNoDisponible(mensaje, reintentar_en=reintentar_en)
        try:
            yield
        finally:
            self.salir()


def _vencer(turno: asyncio.Future[bool]) -> None:
    """Venció la espera sin hueco (si el hueco llegó antes, el turno ya está resuelto)."""
    if not turno.done():
        turno.set_result(False)
