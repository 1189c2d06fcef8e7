"""Pausa del LLM tras fallos seguidos de conexión, plazo o HTTP 5xx: no esperar a un caído."""

import logging
import threading
import time

log = logging.getLogger(__name__)

FALLOS_PARA_PAUSA = 3
PAUSA_SEGUNDOS = 30.0


class Interruptor:
    """Cuenta caídas seguidas por servidor; al llegar al umbral lo salta durante una pausa.

    Pasada la pausa se vuelve a probar con una petición: si falla, otra pausa; si responde,
    el contador vuelve a cero. Es por proceso: solo ahorra esperas, no cambia resultados.
    """

    def __init__(self) -> None:
        self._fallos: dict[str, int] = {}
        self._hasta: dict[str, float] = {}
        self._cerrojo = threading.Lock()

    def segundos_en_pausa(self, servidor: str) -> float:
        """Lo que falta de pausa para ese servidor (0 si se le puede preguntar)."""
        with self._cerrojo:
            return max(0.0, self._hasta.get(servidor, 0.0) - time.monotonic())

    def anotar_exito(self, servidor: str) -> None:
        with self._cerrojo:
            self._fallos.pop(servidor, None)
            self._hasta.pop(servidor, None)

    def anotar_caida(self, servidor: str) -> None:
        with self._cerrojo:
            fallos = self._fallos.get(servidor, 0) + 1
            self._fallos[servidor] = fallos
            if fallos >= FALLOS_PARA_PAUSA:
                self._hasta[servidor] = time.monotonic() + PAUSA_SEGUNDOS
                log.warning(
                    "LLM %s en pausa %g s tras %d caídas seguidas; responde el motor local",
                    servidor,
                    PAUSA_SEGUNDOS,
                    fallos,
                )

    def reiniciar(self) -> None:
        with self._cerrojo:
            self._fallos.clear()
            self._hasta.clear()


interruptor = Interruptor()
