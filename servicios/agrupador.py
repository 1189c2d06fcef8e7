"""Agrupa cálculos caros iguales: quien llega mientras otro calcula se lleva ese resultado."""

import threading
from collections.abc import Callable, Hashable
from typing import Any


class _Calculo:
    def __init__(self, version: int) -> None:
        self.version = version
        self.listo = threading.Event()
        self.resultado: Any = None
        self.error: BaseException | None = None


class Agrupador:
    """Una sola cuenta en curso por clave. Solo se comparte si no ha cambiado nada (misma
    versión del bus de eventos) desde que empezó: nunca se sirve una cifra anterior a un cambio
    ya avisado. 500 tableros que refrescan a la vez tras una pista de KPIs cuestan una cuenta."""

    def __init__(self) -> None:
        self._cerrojo = threading.Lock()
        self._en_curso: dict[Hashable, _Calculo] = {}

    def obtener(self, clave: Hashable, version: int, calcular: Callable[[], Any]) -> Any:
        with self._cerrojo:
            calculo = self._en_curso.get(clave)
            propio = calculo is None or calculo.version != version
            if propio:
                calculo = _Calculo(version)
                self._en_curso[clave] = calculo
        if not propio:
            calculo.listo.wait()
            if calculo.error is not None:
                raise calculo.error
            return calculo.resultado
        try:
            calculo.resultado = calcular()
            return calculo.resultado
        except BaseException as error:
            calculo.error = error
            raise
        finally:
            calculo.listo.set()
            with self._cerrojo:
                if self._en_curso.get(clave) is calculo:
                    del self._en_curso[clave]
