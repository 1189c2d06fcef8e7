"""Agrupa cálculos caros iguales: como mucho uno en curso por clave; quien llega mientras
tanto espera y comparte el siguiente, que empieza después de su llegada."""

import threading
from collections.abc import Callable, Hashable
from typing import Any


class _Calculo:
    def __init__(self) -> None:
        self.listo = threading.Event()
        self.resultado: Any = None
        self.error: BaseException | None = None


class _Clave:
    def __init__(self) -> None:
        self.en_curso: _Calculo | None = None
        self.siguiente: _Calculo | None = None


class Agrupador:
    """Cada respuesta sale de un cálculo que empezó después de que llegara la petición (nunca
    una cifra anterior a un cambio ya avisado), y no hay más de un cálculo a la vez por clave:
    500 tableros que refrescan tras una pista de KPIs cuestan uno o dos cálculos."""

    def __init__(self) -> None:
        self._cerrojo = threading.Lock()
        self._claves: dict[Hashable, _Clave] = {}

    def obtener(self, clave: Hashable, calcular: Callable[[], Any]) -> Any:
        with self._cerrojo:
            estado = self._claves.setdefault(clave, _Clave())
            if estado.en_curso is None:
                calculo, previo, propio = _Calculo(), None, True
                estado.en_curso = calculo
            elif estado.siguiente is not None:
                calculo, previo, propio = estado.siguiente, None, False
            else:
                calculo, previo, propio = _Calculo(), estado.en_curso, True
                estado.siguiente = calculo
        if not propio:
            return self._esperar(calculo)
        if previo is not None:
            previo.listo.wait()  # al terminar, el anterior ya nos dejó como el cálculo en curso
        try:
            calculo.resultado = calcular()
            return calculo.resultado
        except BaseException as error:
            calculo.error = error
            raise
        finally:
            with self._cerrojo:
                if estado.en_curso is calculo:
                    estado.en_curso, estado.siguiente = estado.siguiente, None
                if estado.en_curso is None:
                    self._claves.pop(clave, None)
            calculo.listo.set()

    @staticmethod
    def _esperar(calculo: _Calculo) -> Any:
        calculo.listo.wait()
        if calculo.error is not None:
            raise calculo.error
        return calculo.resultado
