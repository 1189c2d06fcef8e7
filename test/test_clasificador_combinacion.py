"""LLM y clasificador offline juntos, contra el servidor compatible con OpenAI de loopback."""

import time
from collections.abc import Iterator

import pytest

from config import Ajustes
from servicios.clasificador import clasificar_texto
from servicios.clasificador.combinacion import (
    LLM_INSEGURO,
    PESO_DECLARADA,
    combinar,
    distribucion_local,
)
from servicios.clasificador.llm import MAX_TOKENS, reiniciar_estado
from servicios.clasificador.local import clasificar_local
from servicios.clasificador.tipos import CATEGORIAS, ResultadoClasificacion
from test.servidor_llm_falso import ServidorLLMFalso

RECLAMO = "Me cobraron dos veces la factura de este mes y quiero que me devuelvan el dinero."
DUDOSO = "llamo por lo de la cuenta, a ver qué me dicen"


@pytest.fixture(scope="module")
def servidor() -> Iterator[ServidorLLMFalso]:
    with ServidorLLMFalso() as servidor:
        clasificar_local(RECLAMO)
        yield servidor


@pytest.fixture(autouse=True)
def _estado_limpio() -> Iterator[None]:
    reiniciar_estado()
    yield
    reiniciar_estado()


def _ajustes(url: str, plazo: float = 1.0) -> Ajustes:
    return Ajustes(openai_base_url=url, openai_model="m", llm_timeout_segundos=plazo)


def _llm(categoria: str, p: float | None, logprobs: bool = False) -> ResultadoClasificacion:
    return ResultadoClasificacion(
        categoria=categoria,  # type: ignore[arg-type]
        confianza=0.9,
        recomendacion_agente="consejo del llm",
        sentimiento="neutral",
        motor="llm",
        modelo="m",
        latencia_ms=5.0,
        resumen="resumen del llm",
        p_llm=p,
        p_llm_por_logprobs=logprobs,
    )


def test_llm_confuso_con_poca_confianza_no_cambia_la_categoria_offline(servidor):
    servidor.programar("confuso")  # responde "venta" con confianza 0.35
    resultado = clasificar_texto(RECLAMO, ajustes=_ajustes(servidor.url))
    local = clasificar_local(RECLAMO)
    assert len(servidor.peticiones) == 1
    assert resultado.categoria == local.categoria == "reclamo"
    assert resultado.motor == "local"
    assert resultado.confianza == pytest.approx(local.confianza, abs=1e-4)
    assert resultado.recomendacion_agente == local.recomendacion_agente


def test_llm_seguro_pero_equivocado_pierde_ante_un_offline_mas_seguro(servidor):
    servidor.programar("equivocado")  # "venta" con confianza declarada 0.95
    resultado = clasificar_texto(RECLAMO, ajustes=_ajustes(servidor.url))
    local = clasificar_local(RECLAMO)
    assert resultado.categoria == "reclamo"
    assert resultado.motor == "local"
    p_local = distribucion_local(local)
    esperada = PESO_DECLARADA * (1 - 0.95) / 2 + (1 - PESO_DECLARADA) * p_local["reclamo"]
    assert resultado.confianza == pytest.approx(esperada, abs=1e-4)
    assert resultado.confianza < local.confianza  # el desacuerdo baja la confianza
    assert resultado.resumen is not None  # el resumen del LLM se conserva


def test_llm_seguro_decide_cuando_el_offline_duda():
    local = clasificar_local(DUDOSO)
    otra = next(c for c in CATEGORIAS if c != local.categoria)
    assert local.confianza < 0.75
    resultado = combinar(_llm(otra, 0.95, logprobs=True), local)
    assert resultado.categoria == otra
    assert resultado.motor == "llm"
    assert resultado.recomendacion_agente == "consejo del llm"


def test_llm_inseguro_no_vota_aunque_el_offline_dude():
    local = clasificar_local(DUDOSO)
    otra = next(c for c in CATEGORIAS if c != local.categoria)
    resultado = combinar(_llm(otra, LLM_INSEGURO - 0.01, logprobs=True), local)
    assert (resultado.categoria, resultado.motor) == (local.categoria, "local")
    assert resultado.confianza == pytest.approx(local.confianza, abs=1e-4)


def test_acuerdo_sube_la_confianza_sobre_la_del_llm_declarada_sola():
    local = clasificar_local(RECLAMO)
    resultado = combinar(_llm("reclamo", 0.7), local)
    assert resultado.motor == "llm" and resultado.categoria == "reclamo"
    assert resultado.confianza == pytest.approx(
        PESO_DECLARADA * 0.7 + (1 - PESO_DECLARADA) * local.confianza, abs=1e-4
    )


def test_probabilidades_de_la_mezcla_suman_uno():
    local = clasificar_local(DUDOSO)
    assert sum(distribucion_local(local).values()) == pytest.approx(1.0)


def test_peticion_acota_los_tokens_de_salida(servidor):
    servidor.programar("bueno")
    clasificar_texto(RECLAMO, ajustes=_ajustes(servidor.url))
    cuerpo = servidor.peticiones[0]["cuerpo"]
    assert cuerpo.get("max_tokens", cuerpo.get("max_completion_tokens")) == MAX_TOKENS <= 400


def test_servidor_que_gotea_no_estira_el_plazo_total(servidor):
    servidor.programar("goteo")  # 200 y el cuerpo byte a byte: cada lectura llega a tiempo
    plazo = 1.0
    inicio = time.perf_counter()
    resultado = clasificar_texto(RECLAMO, ajustes=_ajustes(servidor.url, plazo))
    transcurrido = time.perf_counter() - inicio
    assert resultado.motor == "local"
    assert resultado.categoria == "reclamo"
    assert transcurrido < plazo + 0.5
    assert len(servidor.peticiones) == 1  # el plazo se agotó: no hubo segundo intento


def test_banco_contra_un_llm_confuso_no_baja_del_offline(servidor):
    from bench.clasificador_llm import leer, medir

    servidor.programar("confuso")  # siempre "venta" con confianza 0.35
    filas = leer("evaluacion.jsonl", 6)
    cifras = medir(filas, _ajustes(servidor.url))
    esperado_llm = sum(f["categoria"] == "venta" for f in filas) / len(filas)
    assert cifras["llm"]["acierto"] == pytest.approx(esperado_llm)
    assert cifras["combinado"]["acierto"] == cifras["offline"]["acierto"]
    assert cifras["llm"]["fallos"] == 0
