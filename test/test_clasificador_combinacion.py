"""LLM y clasificador offline juntos, contra el servidor compatible con OpenAI de loopback."""

import time
from collections.abc import Iterator

import pytest

from config import Ajustes
from servicios.clasificador import clasificar_texto
from servicios.clasificador.combinacion import (
    FIABILIDAD_MINIMA,
    LLM_INSEGURO,
    MIN_OBSERVACIONES,
    OFFLINE_SEGURO,
    PESO_DECLARADA,
    anotar_acuerdo,
    combinar,
    distribucion_local,
    fiabilidad,
)
from servicios.clasificador.llm import MAX_TOKENS, reiniciar_estado
from servicios.clasificador.local import clasificar_local
from servicios.clasificador.tipos import CATEGORIAS, ResultadoClasificacion
from test.servidor_llm_falso import MODELO, RESPUESTA_BUENA, ServidorLLMFalso

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


def _fiable(modelo: str = "m") -> None:
    """El modelo ya coincidió con el offline seguro en las llamadas necesarias para votar."""
    for _ in range(MIN_OBSERVACIONES):
        anotar_acuerdo(modelo, True)


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


def test_llm_sin_historial_no_vota_aunque_se_declare_seguro(servidor):
    servidor.programar("equivocado")  # "venta" con confianza declarada 0.95
    resultado = clasificar_texto(RECLAMO, ajustes=_ajustes(servidor.url))
    local = clasificar_local(RECLAMO)
    assert (resultado.categoria, resultado.motor) == ("reclamo", "local")
    assert resultado.confianza == pytest.approx(local.confianza, abs=1e-4)
    assert resultado.resumen is not None  # el resumen del LLM se conserva
    assert local.confianza >= OFFLINE_SEGURO
    assert fiabilidad(MODELO) == (0.0, 1)  # el desacuerdo con el offline seguro cuenta


def test_llm_fiable_pero_equivocado_pierde_ante_un_offline_mas_seguro(servidor):
    servidor.programar("equivocado")
    _fiable(MODELO)
    resultado = clasificar_texto(RECLAMO, ajustes=_ajustes(servidor.url))
    local = clasificar_local(RECLAMO)
    assert resultado.categoria == "reclamo"
    assert resultado.motor == "local"
    p_local = distribucion_local(local)
    esperada = PESO_DECLARADA * (1 - 0.95) / 2 + (1 - PESO_DECLARADA) * p_local["reclamo"]
    assert resultado.confianza == pytest.approx(esperada, abs=1e-4)
    assert resultado.confianza < local.confianza  # el desacuerdo baja la confianza
    assert resultado.resumen is not None  # el resumen del LLM se conserva


def test_llm_fiable_y_seguro_decide_cuando_el_offline_duda():
    local = clasificar_local(DUDOSO)
    otra = next(c for c in CATEGORIAS if c != local.categoria)
    assert local.confianza < 0.75
    assert combinar(_llm(otra, 0.95, logprobs=True), local).motor == "local"  # aún sin historial
    _fiable()
    resultado = combinar(_llm(otra, 0.95, logprobs=True), local)
    assert resultado.categoria == otra
    assert resultado.motor == "llm"
    assert resultado.recomendacion_agente == "consejo del llm"


def test_llm_inseguro_no_vota_aunque_el_offline_dude():
    local = clasificar_local(DUDOSO)
    otra = next(c for c in CATEGORIAS if c != local.categoria)
    _fiable()
    resultado = combinar(_llm(otra, LLM_INSEGURO - 0.01, logprobs=True), local)
    assert (resultado.categoria, resultado.motor) == (local.categoria, "local")
    assert resultado.confianza == pytest.approx(local.confianza, abs=1e-4)


def test_acuerdo_sin_historial_da_el_consejo_del_llm_con_la_confianza_offline():
    local = clasificar_local(RECLAMO)
    resultado = combinar(_llm("reclamo", 0.7), local)
    assert (resultado.motor, resultado.categoria) == ("llm", "reclamo")
    assert resultado.recomendacion_agente == "consejo del llm"
    assert resultado.confianza == pytest.approx(local.confianza, abs=1e-4)


def test_acuerdo_sube_la_confianza_sobre_la_del_llm_declarada_sola():
    local = clasificar_local(RECLAMO)
    _fiable()
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


@pytest.mark.parametrize("comportamiento", ["equivocado", "logprobs"])
def test_banco_contra_un_llm_seguro_y_flojo_no_baja_del_offline(servidor, comportamiento):
    """Siempre "venta", muy seguro (declarado 0,95 o logprobs 0,99): un modelo flojo."""
    from bench.clasificador_llm import leer, medir

    servidor.respuesta = {**servidor.respuesta, "categoria": "venta", "confianza": 0.95}
    servidor.p_logprobs = (0.99, 0.99)
    servidor.programar(comportamiento)
    try:
        filas = leer("evaluacion.jsonl", 45)
        cifras = medir(filas, _ajustes(servidor.url))
    finally:
        servidor.respuesta = dict(RESPUESTA_BUENA)
        servidor.p_logprobs = (0.9, 0.99)
    assert cifras["llm"]["acierto"] == pytest.approx(
        sum(f["categoria"] == "venta" for f in filas) / len(filas)
    )
    assert cifras["combinado"]["acierto"] == cifras["offline"]["acierto"]
    assert cifras["combinado"]["recall"] == cifras["offline"]["recall"]
    acierto, observaciones = fiabilidad(MODELO)
    seguros = [clasificar_local(f["texto"]) for f in filas]
    seguros = [r for r in seguros if r.confianza >= OFFLINE_SEGURO]
    assert observaciones == len(seguros)
    assert acierto == pytest.approx(sum(r.categoria == "venta" for r in seguros) / len(seguros))
    assert acierto < FIABILIDAD_MINIMA


def test_llm_que_coincide_con_el_offline_seguro_se_gana_el_voto(servidor):
    from bench.clasificador_llm import leer

    filas = [
        f
        for f in leer("evaluacion.jsonl", 90)
        if clasificar_local(f["texto"]).confianza >= OFFLINE_SEGURO
    ][:MIN_OBSERVACIONES]
    assert len(filas) == MIN_OBSERVACIONES
    local = clasificar_local(DUDOSO)
    otra = next(c for c in CATEGORIAS if c != local.categoria)
    servidor.categorias_por_texto = {f["texto"]: f["categoria"] for f in filas}
    servidor.categorias_por_texto[DUDOSO] = otra
    servidor.programar("segun_texto")
    ajustes = _ajustes(servidor.url)
    try:
        assert clasificar_texto(DUDOSO, ajustes=ajustes).motor == "local"  # aún no probado
        for fila in filas:
            assert clasificar_texto(fila["texto"], ajustes=ajustes).motor == "llm"
        resultado = clasificar_texto(DUDOSO, ajustes=ajustes)
    finally:
        servidor.categorias_por_texto = {}
    acuerdo = sum(clasificar_local(f["texto"]).categoria == f["categoria"] for f in filas)
    assert fiabilidad(MODELO) == (acuerdo / len(filas), len(filas))
    # Ya vota: la mezcla con su confianza declarada (acotada por la fiabilidad medida).
    p_llm = min(0.95, acuerdo / len(filas))
    p_local = distribucion_local(local)
    mezcla = {
        c: PESO_DECLARADA * (p_llm if c == otra else (1 - p_llm) / 2)
        + (1 - PESO_DECLARADA) * p_local[c]
        for c in CATEGORIAS
    }
    esperada = max(CATEGORIAS, key=lambda c: (mezcla[c], c == local.categoria))
    assert resultado.categoria == esperada
    assert resultado.motor == ("llm" if esperada == otra else "local")
    assert resultado.confianza == pytest.approx(mezcla[esperada], abs=1e-4)
