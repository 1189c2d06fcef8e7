"""Agrupador del tablero: como mucho un cálculo a la vez, y cada respuesta sale de un cálculo
que empezó después de la petición."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from servicios.agrupador import Agrupador


def test_peticiones_durante_un_calculo_comparten_el_siguiente():
    agrupador, inicios, en_curso, maximo = Agrupador(), [], [0], [0]
    cerrojo, arranque = threading.Lock(), threading.Event()

    def calcular() -> int:
        with cerrojo:
            inicios.append(time.monotonic())
            en_curso[0] += 1
            maximo[0] = max(maximo[0], en_curso[0])
        arranque.set()
        time.sleep(0.5)
        with cerrojo:
            en_curso[0] -= 1
        return len(inicios)

    with ThreadPoolExecutor(20) as hilos:
        primero = hilos.submit(agrupador.obtener, "t", calcular)
        arranque.wait(2)
        llegada = time.monotonic()
        resto = [hilos.submit(agrupador.obtener, "t", calcular) for _ in range(19)]
        assert primero.result() == 1
        resultados = [f.result() for f in resto]
    # Los 19 llegan durante el primero: comparten el siguiente (uno más si alguno se retrasa
    # tanto en una máquina cargada que llega durante el segundo).
    assert all(r >= 2 for r in resultados) and len(inicios) <= 3
    assert resultados.count(2) >= 10 and maximo[0] == 1
    assert inicios[1] >= llegada  # el compartido empezó después de que llegaran


def test_claves_distintas_no_se_esperan():
    agrupador, hilos_vistos = Agrupador(), set()
    barrera = threading.Barrier(2, timeout=2)

    def calcular(nombre: str):
        def _cuenta() -> str:
            barrera.wait()  # solo pasa si las dos claves calculan a la vez
            hilos_vistos.add(nombre)
            return nombre

        return _cuenta

    with ThreadPoolExecutor(2) as hilos:
        a = hilos.submit(agrupador.obtener, "a", calcular("a"))
        b = hilos.submit(agrupador.obtener, "b", calcular("b"))
        assert (a.result(), b.result()) == ("a", "b")
    assert agrupador.obtener("a", lambda: "otra vez") == "otra vez"  # nada se guarda


def test_un_error_llega_a_todos_los_que_lo_compartian():
    agrupador = Agrupador()
    arranque = threading.Event()

    def lento() -> str:
        arranque.set()
        time.sleep(0.2)
        return "bien"

    def fallar() -> None:
        raise RuntimeError("base caída")

    with ThreadPoolExecutor(3) as hilos:
        primero = hilos.submit(agrupador.obtener, "t", lento)
        arranque.wait(2)
        segundo = hilos.submit(agrupador.obtener, "t", fallar)
        time.sleep(0.05)
        tercero = hilos.submit(agrupador.obtener, "t", fallar)
        assert primero.result() == "bien"
        for futuro in (segundo, tercero):
            with pytest.raises(RuntimeError, match="base caída"):
                futuro.result()
