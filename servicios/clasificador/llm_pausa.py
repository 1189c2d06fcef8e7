"""Pausa del LLM tras fallos seguidos de conexión, plazo o HTTP 5xx: no esperar a un caído."""

import logging
import threading
import time

log = logging.getLogger(__name__)

FALLOS_PARA_PAUSA = 3
PAUSA_SEGUNDOS = 30.0


class Interruptor:
    """Cuenta caídas seguidas por servidor; al llegar al umbral lo salta durante una pausa.

    Pasada la pausa (semiabierto) pasa UNA petición de prueba; mientras está en curso, las demás
    van al motor local al momento. Si la prueba falla, otra pausa; si responde, el contador
    vuelve a cero. Con el circuito cerrado, como mucho `maximo` llamadas a la vez: las que
    sobran no esperan a un LLM lento. Es por proceso: solo ahorra esperas, no cambia resultados.
    """

    def __init__(self) -> None:
        self._fallos: dict[str, int] = {}
        self._hasta: dict[str, float] = {}
        self._en_curso: dict[str, int] = {}
        self._probando: set[str] = set()
        self._cerrojo = threading.Lock()

    def segundos_en_pausa(self, servidor: str) -> float:
        """Lo que falta de pausa para ese servidor (0 si se le puede preguntar)."""
        with self._cerrojo:
            return max(0.0, self._hasta.get(servidor, 0.0) - time.monotonic())

    def pedir_paso(self, servidor: str, *, maximo: int) -> bool | None:
        """None si no se le pregunta ahora; si no, un paso (True si es la prueba tras la pausa)
        que hay que devolver con `devolver_paso`."""
        with self._cerrojo:
            hasta = self._hasta.get(servidor)
            if hasta is not None:
                if time.monotonic() < hasta or servidor in self._probando:
                    return None
                self._probando.add(servidor)
                prueba = True
            elif self._en_curso.get(servidor, 0) >= maximo:
                return None
            else:
                prueba = False
            self._en_curso[servidor] = self._en_curso.get(servidor, 0) + 1
            return prueba

    def devolver_paso(self, servidor: str, prueba: bool) -> None:
        with self._cerrojo:
            self._en_curso[servidor] = max(0, self._en_curso.get(servidor, 0) - 1)
            if prueba:
                self._probando.discard(servidor)

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
            self._en_curso.clear()
            self._probando.clear()


interruptor = Interruptor()
