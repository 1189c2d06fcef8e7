"""Agrupador del tablero: una cuenta para muchas peticiones simultáneas, nunca una anterior a un
cambio avisado."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from servicios.agrupador import Agrupador


def test_peticiones_simultaneas_sin_cambios_comparten_una_cuenta():
    agrupador, llamadas = Agrupador(), []
    arranque = threading.Event()

    def calcular() -> int:
        llamadas.append(1)
        arranque.set()
        time.sleep(0.2)
        return len(llamadas)

    with ThreadPoolExecutor(20) as hilos:
        primero = hilos.submit(agrupador.obtener, "t", 7, calcular)
        arranque.wait(2)
        resto = [hilos.submit(agrupador.obtener, "t", 7, calcular) for _ in range(19)]
        resultados = [primero.result()] + [f.result() for f in resto]
    assert llamadas == [1] and resultados == [1] * 20


def test_un_cambio_entre_medias_obliga_a_otra_cuenta():
    agrupador, versiones = Agrupador(), []
    arranque = threading.Event()

    def calcular(version: int):
        def _cuenta() -> int:
            versiones.append(version)
            arranque.set()
            time.sleep(0.1)
            return version

        return _cuenta

    with ThreadPoolExecutor(2) as hilos:
        vieja = hilos.submit(agrupador.obtener, "t", 1, calcular(1))
        arranque.wait(2)
        nueva = hilos.submit(agrupador.obtener, "t", 2, calcular(2))
        assert (vieja.result(), nueva.result()) == (1, 2)
    assert versiones == [1, 2]
    assert agrupador.obtener("t", 2, lambda: "otra vez") == "otra vez"  # nada se guarda


def test_un_error_llega_a_todos_los_que_esperaban():
    agrupador = Agrupador()
    arranque = threading.Event()

    def fallar() -> None:
        arranque.set()
        time.sleep(0.1)
        raise RuntimeError("base caída")

    with ThreadPoolExecutor(3) as hilos:
        primero = hilos.submit(agrupador.obtener, "t", 1, fallar)
        arranque.wait(2)
        segundo = hilos.submit(agrupador.obtener, "t", 1, fallar)
        for futuro in (primero, segundo):
            with pytest.raises(RuntimeError, match="base caída"):
                futuro.result()
