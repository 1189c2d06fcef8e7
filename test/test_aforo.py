"""Aforo: como mucho N a la vez, cola en orden de llegada con espera acotada y 503 al resto."""

import asyncio
import time

import pytest

from servicios.aforo import Aforo
from servicios.excepciones import ServicioNoDisponible


def test_el_que_no_entra_a_tiempo_sale_con_503_y_retry_after():
    async def probar() -> float:
        aforo = Aforo(1, espera_segundos=0.1)
        assert await aforo.entrar()
        inicio = time.monotonic()
        with pytest.raises(ServicioNoDisponible) as error:
            async with aforo.turno("Saturado", reintentar_en=3):
                pass
        assert error.value.estado == 503
        assert error.value.cabeceras == {"Retry-After": "3"}
        assert aforo.en_cola == 0 and aforo.rechazados == 1
        return time.monotonic() - inicio

    assert 0.09 < asyncio.run(probar()) < 1


def test_los_huecos_pasan_a_la_cola_en_orden_de_llegada():
    async def probar() -> list[int]:
        aforo = Aforo(1, espera_segundos=5)
        orden: list[int] = []

        async def usar(n: int) -> None:
            async with aforo.turno("Saturado", reintentar_en=1):
                orden.append(n)
                await asyncio.sleep(0.01)

        await asyncio.gather(*(usar(n) for n in range(5)))
        assert aforo.ocupados == 0
        return orden

    assert asyncio.run(probar()) == [0, 1, 2, 3, 4]


def test_cola_llena_rechaza_al_momento_y_cancelar_no_pierde_huecos():
    async def probar() -> None:
        aforo = Aforo(1, espera_segundos=5, cola_maxima=1)
        assert await aforo.entrar()
        esperando = asyncio.create_task(aforo.entrar())
        await asyncio.sleep(0.01)
        inicio = time.monotonic()
        assert not await aforo.entrar()  # cola llena: sin esperar
        assert time.monotonic() - inicio < 0.05
        esperando.cancel()
        with pytest.raises(asyncio.CancelledError):
            await esperando
        aforo.salir()
        assert aforo.ocupados == 0 and aforo.en_cola == 0
        assert await aforo.entrar()

    asyncio.run(probar())


def test_un_hueco_que_llega_justo_antes_de_cancelar_se_devuelve():
    async def probar() -> None:
        aforo = Aforo(1, espera_segundos=5)
        assert await aforo.entrar()
        esperando = asyncio.create_task(aforo.entrar())
        await asyncio.sleep(0.01)
        aforo.salir()  # el hueco pasa a la que espera…
        esperando.cancel()  # …y la cancelan antes de que despierte
        with pytest.raises(asyncio.CancelledError):
            await esperando
        assert aforo.ocupados == 0 and aforo.en_cola == 0
        assert await aforo.entrar()

    asyncio.run(probar())


def test_los_que_vencen_salen_de_la_cola_y_no_se_llevan_huecos():
    async def probar() -> None:
        aforo = Aforo(1, espera_segundos=0.05)
        assert await aforo.entrar()
        vencidas = await asyncio.gather(*(aforo.entrar() for _ in range(3)))
        assert vencidas == [False] * 3
        assert aforo.en_cola == 0 and aforo.rechazados == 3
        aforo.salir()
        assert aforo.ocupados == 0
        assert await aforo.entrar()

    asyncio.run(probar())
