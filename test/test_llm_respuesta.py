"""Lectura de respuestas del LLM y degradación de parámetros: casos límite sin red."""

import math

import pytest

from servicios.clasificador.llm import Capacidades, degradar
from servicios.clasificador.llm_respuesta import (
    RespuestaInvalida,
    acotar,
    combinar_confianza,
    extraer_objeto,
    normalizar_categoria,
    probabilidad_por_logprobs,
)


@pytest.mark.parametrize(
    ("valor", "esperada"),
    [
        ("Reclamo", "reclamo"),
        (" VENTA. ", "venta"),
        ("Soporté", "soporte"),
        ("Queja", None),
        ("ventas", None),
        ("spam", None),
        (3, None),
        (None, None),
    ],
)
def test_solo_las_tres_categorias_tras_normalizar(valor, esperada) -> None:
    assert normalizar_categoria(valor) == esperada


def test_razonamiento_sin_cerrar_no_da_respuesta() -> None:
    with pytest.raises(RespuestaInvalida):
        extraer_objeto('<think>quizá {"categoria": "venta"} pero')


def test_claves_en_ingles_o_con_tildes_se_aceptan() -> None:
    assert extraer_objeto('{"Categoría": "venta"}')["categoria"] == "venta"
    assert extraer_objeto('{"category": "soporte", "confidence": 0.7}')["confianza"] == 0.7


def test_borrador_en_el_razonamiento_aparte_no_vale() -> None:
    with pytest.raises(RespuestaInvalida):
        extraer_objeto(None, 'Podría ser {"categoria": "venta"} pero lo pienso más.')


def test_logprobs_solo_de_los_tokens_del_valor() -> None:
    tokens = [
        ('{"categoria": "', -0.1),
        ("rec", math.log(0.5)),
        ("lamo", math.log(0.8)),
        ('", "confianza": 0.9}', -2.0),
    ]
    assert probabilidad_por_logprobs(tokens, "reclamo") == pytest.approx(0.4)
    assert probabilidad_por_logprobs(tokens, "venta") is None
    assert probabilidad_por_logprobs([("rec", None)], "reclamo") is None


def test_formula_de_confianza() -> None:
    assert combinar_confianza(0.9, 0.99, 0.5) == pytest.approx(0.8 * 0.9 + 0.2 * 0.5)
    assert combinar_confianza(None, 0.9, 0.5) == pytest.approx(0.6 * 0.9 + 0.4 * 0.5)
    assert combinar_confianza(None, None, 1.0) == pytest.approx(0.6 * 0.5 + 0.4)
    assert combinar_confianza(None, 0.7, None) == 0.7


def test_acotar_corta_en_palabra_y_limpia_control() -> None:
    corto = acotar("uno dos tres cuatro cinco seis", 15)
    assert corto == "uno dos tres…" and len(corto) <= 15
    assert acotar("a\x00b\n\n\n\nc", 50) == "a b\n\nc"
    assert acotar("línea\nsegunda", 50, una_linea=True) == "línea segunda"
    assert acotar("   ", 10) is None and acotar(5, 10) is None


@pytest.mark.parametrize(
    ("mensaje", "cambio"),
    [
        ("'response_format.type' must be 'json_object' or 'text'", {"formato": "json_object"}),
        ("logprobs is not supported with this model", {"logprobs": False}),
        (
            "Unsupported parameter: 'max_tokens'; use 'max_completion_tokens'",
            {"campo_max": "max_completion_tokens"},
        ),
        ("Unsupported value: 'temperature' does not support 0", {"temperatura": False}),
        ("Internal server error", None),
    ],
)
def test_degradar_quita_lo_que_el_servidor_rechaza(mensaje, cambio) -> None:
    nuevas = degradar(Capacidades(), mensaje)
    assert nuevas == (None if cambio is None else Capacidades(**cambio))


def test_formato_se_degrada_hasta_texto_y_no_mas() -> None:
    caps = degradar(Capacidades(formato="json_object"), "response_format not supported")
    assert caps == Capacidades(formato="texto")
    assert degradar(caps, "response_format not supported") is None
