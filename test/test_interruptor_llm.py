"""Interruptor del LLM con un servidor que acepta y nunca contesta: como mucho K llamadas a la
vez, una sola prueba tras la pausa y el resto al motor local al momento; y el LLM nunca
retiene una conexión de la base."""

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from servicios.clasificador import clasificar_texto, llm_pausa
from servicios.clasificador.llm import reiniciar_estado
from servicios.clasificador.local import clasificar_local
from test.ayudas_api import crear_llamada
from test.conftest import ajustes_de_prueba
from test.red_falsa import ServidorMudo, ServidorUvicorn
from test.servidor_llm_falso import ServidorLLMFalso

TEXTO = "Me cobraron dos veces la factura de este mes y quiero que me devuelvan el dinero."
PLAZO_LLM = 1.0
CONCURRENTES = 20
MAXIMO_LLM = 3


@pytest.fixture
def llm_mudo() -> Iterator[ServidorLLMFalso]:
    """Servidor compatible con OpenAI que lee la petición y nunca contesta."""
    reiniciar_estado()
    with ServidorLLMFalso() as servidor:
        servidor.programar("mudo")
        clasificar_local(TEXTO)  # calienta el motor local: medimos solo las esperas al LLM
        yield servidor
    reiniciar_estado()


def _oleada(url: str, n: int = CONCURRENTES) -> list[tuple[str, float]]:
    ajustes = ajustes_de_prueba(
        openai_base_url=url, llm_timeout_segundos=PLAZO_LLM, llm_max_concurrentes=MAXIMO_LLM
    )

    def una(_: int) -> tuple[str, float]:
        inicio = time.monotonic()
        resultado = clasificar_texto(TEXTO, ajustes=ajustes)
        return resultado.motor, time.monotonic() - inicio

    with ThreadPoolExecutor(n) as hilos:
        return list(hilos.map(una, range(n)))


def _rapidas(resultados: list[tuple[str, float]]) -> int:
    return sum(1 for _, duracion in resultados if duracion < PLAZO_LLM / 2)


def test_primera_oleada_solo_espera_k_llamadas_y_el_resto_va_al_local(llm_mudo):
    resultados = _oleada(llm_mudo.url)
    assert all(motor == "local" for motor, _ in resultados)
    assert len(llm_mudo.peticiones) == MAXIMO_LLM
    assert _rapidas(resultados) == CONCURRENTES - MAXIMO_LLM
    assert llm_pausa.interruptor.segundos_en_pausa(llm_mudo.url) > 0  # K caídas lo abren


def test_tras_la_pausa_pasa_una_sola_prueba_y_las_demas_no_esperan(llm_mudo, monkeypatch):
    monkeypatch.setattr(llm_pausa, "PAUSA_SEGUNDOS", 0.3)
    _oleada(llm_mudo.url)  # abre el interruptor
    llm_mudo.programar("mudo")  # vacía el registro de peticiones
    time.sleep(0.35)
    resultados = _oleada(llm_mudo.url)
    assert len(llm_mudo.peticiones) == 1  # solo la prueba llegó al servidor
    assert _rapidas(resultados) == CONCURRENTES - 1
    assert all(motor == "local" for motor, _ in resultados)
    assert llm_pausa.interruptor.segundos_en_pausa(llm_mudo.url) > 0  # la prueba falló: otra pausa


def test_la_prueba_que_responde_cierra_el_circuito(llm_mudo, monkeypatch):
    monkeypatch.setattr(llm_pausa, "PAUSA_SEGUNDOS", 0.3)
    _oleada(llm_mudo.url, n=MAXIMO_LLM)
    llm_mudo.programar("bueno")
    time.sleep(0.35)
    resultados = _oleada(llm_mudo.url, n=1)
    assert resultados[0][0] == "llm"
    assert [m for m, _ in _oleada(llm_mudo.url, n=MAXIMO_LLM)] == ["llm"] * MAXIMO_LLM


@pytest.mark.parametrize("ruta", ["/api/clasificaciones-ia/texto", "/api/clasificaciones-ia/"])
def test_el_llm_no_retiene_conexiones_de_la_base(
    ruta, llm_mudo, cliente, cabeceras, cambiar_ajustes, app
):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    cambiar_ajustes(openai_base_url=llm_mudo.url, llm_timeout_segundos=3.0)
    cuerpo = {"texto": TEXTO} if ruta.endswith("texto") else {"llamada_id": llamada["id"]}
    motor = app.state.fabrica_sesiones.kw["bind"]
    with ThreadPoolExecutor(3) as hilos:
        pendientes = [
            hilos.submit(cliente.post, ruta, json=cuerpo, headers=cabeceras("agente"))
            for _ in range(3)
        ]
        limite = time.monotonic() + 5
        while len(llm_mudo.peticiones) < 3 and time.monotonic() < limite:
            time.sleep(0.02)
        assert len(llm_mudo.peticiones) == 3  # las tres esperan al LLM ahora mismo
        retenidas = motor.pool.checkedout()
        respuestas = [p.result() for p in pendientes]
    assert retenidas == 0
    assert all(r.status_code in (200, 201) for r in respuestas)
    assert all(r.json()["motor"] == "local" for r in respuestas)


def test_uvicorn_con_llm_mudo_veinte_a_la_vez_y_la_lista_sigue_rapida(tmp_path):
    with ServidorMudo() as mudo:
        entorno = {
            "ENTORNO": "pruebas",
            "SECRET_KEY": "clave-solo-para-pruebas-0123456789abcdef",
            "BCRYPT_RONDAS": "4",
            "SEMBRAR_DEMO": "false",
            "PROGRAMADOR_ACTIVO": "false",
            "DATABASE_URL": f"sqlite:///{tmp_path}/cc.db",
            "OPENAI_BASE_URL": f"http://127.0.0.1:{mudo.puerto}/v1",
            "LLM_TIMEOUT_SEGUNDOS": "5",
            "LLM_MAX_CONCURRENTES": str(MAXIMO_LLM),
        }
        with ServidorUvicorn(entorno, registro=tmp_path / "uvicorn.log") as servidor:
            resultados, lecturas = asyncio.run(_medir_con_llm_mudo(servidor.url))
        conexiones_al_llm = len(mudo.conexiones)
    assert conexiones_al_llm <= MAXIMO_LLM
    assert all(r.status_code == 200 and r.json()["motor"] == "local" for r, _ in resultados)
    # Solo las K que llegaron al LLM esperan su plazo (5 s); el resto, lo que tarda el local.
    assert sum(1 for _, duracion in resultados if duracion < 3) >= CONCURRENTES - MAXIMO_LLM
    assert max(duracion for _, duracion in resultados) < 9
    assert all(estado == 200 for estado, _ in lecturas)
    assert max(duracion for _, duracion in lecturas) < 1.0  # antes: hasta 11,7 s


async def _medir_con_llm_mudo(url: str):
    async with httpx.AsyncClient(base_url=url, timeout=30) as cliente:
        cuerpo = {"email": "agente1@example.com", "password": "123456"}
        token = (await cliente.post("/api/usuarios/login", json=cuerpo)).json()["access_token"]
        cabeceras = {"Authorization": f"Bearer {token}"}

        async def clasificar(i: int):
            inicio = time.monotonic()
            respuesta = await cliente.post(
                "/api/clasificaciones-ia/texto", json={"texto": f"{TEXTO} ({i})"}, headers=cabeceras
            )
            return respuesta, time.monotonic() - inicio

        async def leer():
            await asyncio.sleep(0.3)
            lecturas = []
            for _ in range(8):
                inicio = time.monotonic()
                respuesta = await cliente.get("/api/llamadas/", headers=cabeceras)
                lecturas.append((respuesta.status_code, time.monotonic() - inicio))
                await asyncio.sleep(0.2)
            return lecturas

        return await asyncio.gather(
            asyncio.gather(*(clasificar(i) for i in range(CONCURRENTES))), leer()
        )
