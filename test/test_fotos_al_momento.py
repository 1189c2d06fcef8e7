"""Fotos al momento: un GET de métricas que lee días cerrados en vivo (sin foto, como tras una
importación masiva) encola el trabajo que las construye; la petición siguiente ya las lee de
las fotos y da las mismas cifras."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from modelos.metrica import Metrica
from test.conftest import esperar_trabajos
from test.datos_metricas import DESDE, HASTA, LLAMADAS, cargar_llamadas

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

PERIODO = {"desde": DESDE.isoformat(), "hasta": HASTA.isoformat()}


@pytest.fixture
def agentes(sesion_bd):
    return cargar_llamadas(sesion_bd)


def _fotos_vigentes(sesion) -> int:
    sesion.expire_all()
    return sesion.scalar(select(func.count(Metrica.id)).where(Metrica.vigente)) or 0


def test_dias_sin_foto_se_construyen_al_pedir_las_metricas(
    app, cliente, cabeceras, sesion_bd, cambiar_ajustes, agentes
):
    cambiar_ajustes(fotos_al_momento=True)
    supervisor = cabeceras("supervisor")
    primera = cliente.get("/api/metricas/", params=PERIODO, headers=supervisor)
    assert primera.status_code == 200, primera.text
    assert primera.json()["dias_desde_fotos"] == 0
    esperar_trabajos(app)
    # Días locales (UTC en las pruebas) enteros del periodo, todos cerrados y con llamadas antes.
    dias = (HASTA.date() - DESDE.date()).days + 1
    assert _fotos_vigentes(sesion_bd) == dias
    segunda = cliente.get("/api/metricas/", params=PERIODO, headers=supervisor).json()
    assert segunda["dias_desde_fotos"] == dias
    primera = primera.json()
    for cuerpo in (primera, segunda):
        cuerpo.pop("dias_desde_fotos")
    assert segunda == primera
    assert segunda["total_llamadas"] == sum(DESDE <= f[2] <= HASTA for f in LLAMADAS)


def test_sin_dias_que_fotografiar_no_se_encola_nada(
    app, cliente, cabeceras, sesion_bd, cambiar_ajustes, agentes
):
    supervisor = cabeceras("supervisor")
    # Apagado (el valor de las pruebas): la lectura en vivo no construye nada.
    cliente.get("/api/metricas/", params=PERIODO, headers=supervisor)
    esperar_trabajos(app)
    assert _fotos_vigentes(sesion_bd) == 0
    cambiar_ajustes(fotos_al_momento=True)
    primera_llamada = min(f[2] for f in LLAMADAS)
    antes = {
        "desde": (primera_llamada - timedelta(days=20)).isoformat(),
        "hasta": (primera_llamada - timedelta(days=1)).isoformat(),
    }
    respuesta = cliente.get("/api/metricas/", params=antes, headers=supervisor)
    assert respuesta.status_code == 200 and respuesta.json()["total_llamadas"] == 0
    esperar_trabajos(app)
    assert _fotos_vigentes(sesion_bd) == 0
