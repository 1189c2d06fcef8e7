"""Cifras del motor offline completo en las particiones que nunca se entrenan."""

import pytest

from data.evaluar_clasificador import evaluar, leer
from servicios.clasificador.local import clasificar_local


@pytest.fixture(scope="module")
def cifras() -> dict[str, dict]:
    """Cifras de la evaluación por fuente y de la evaluación difícil escrita a mano."""
    return {
        nombre: evaluar(leer(f"{nombre}.jsonl")) for nombre in ("evaluacion", "evaluacion_dificil")
    }


def test_evaluacion_por_fuente_supera_el_95_y_cada_categoria_el_90(cifras):
    propias = cifras["evaluacion"]
    assert propias["acierto"] >= 0.95
    assert min(propias["exhaustividad"].values()) >= 0.90
    assert propias["por_tipo"]["transcripcion"][0] >= 0.93
    assert propias["por_tipo"]["nota"][0] >= 0.93


def test_evaluacion_dificil_escrita_a_mano_supera_el_93(cifras):
    dificil = cifras["evaluacion_dificil"]
    assert dificil["n"] >= 40
    assert dificil["acierto"] >= 0.93
    assert min(dificil["exhaustividad"].values()) >= 0.90


def test_confianza_calibrada_ece_bajo_005(cifras):
    assert cifras["evaluacion"]["ece"] <= 0.05
    tramos = cifras["evaluacion"]["fiabilidad"]
    assert sum(t["casos"] for t in tramos) == cifras["evaluacion"]["n"]


def test_sentimiento_del_cliente_en_evaluacion(cifras):
    assert cifras["evaluacion"]["sentimiento"] >= 0.85
    assert cifras["evaluacion_dificil"]["sentimiento"] >= 0.85


@pytest.mark.parametrize("texto", ["asdf", "qwerty uiop", "jajaja", "xd"])
def test_texto_sin_sentido_no_parece_seguro(texto):
    assert clasificar_local(texto).confianza < 0.5


def test_nota_que_pide_dos_cosas_baja_la_confianza():
    mezcla = clasificar_local("quiero contratar fibra pero me cobraron dos veces y no anda el wifi")
    clara = clasificar_local("me cobraron dos veces la factura y quiero la devolución")
    assert mezcla.confianza < 0.6 <= clara.confianza
