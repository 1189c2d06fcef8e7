"""Sumas de las fotos en memoria: la misma petición no vuelve a sumarlas, y una foto rehecha
(por un cambio en su día, o tras vaciar la tabla con las versiones de vuelta a cero) nunca
deja pasar cifras viejas."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from servicios import metricas_fotos_memoria
from test.ayudas_api import crear_llamada

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

HOY = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
DIAS = [HOY - timedelta(days=n) for n in (12, 11, 10)]
PERIODO = {
    "desde": (DIAS[0] - timedelta(hours=12)).isoformat(),
    "hasta": (DIAS[-1] + timedelta(hours=11)).isoformat(),
}


def _recalcular(cliente, admin) -> None:
    cuerpo = {"desde": DIAS[0].date().isoformat(), "hasta": DIAS[-1].date().isoformat()}
    respuesta = cliente.post("/api/metricas/diarias/recalcular", json=cuerpo, headers=admin)
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["dias_recalculados"] == len(DIAS)


def _metricas(cliente, sup) -> dict:
    respuesta = cliente.get("/api/metricas/", params=PERIODO, headers=sup)
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["dias_desde_fotos"] == len(DIAS)  # todo de las fotos, nada en vivo
    # Las franjas también salen de las fotos (y de memoria): cuadran con el total.
    for franjas in (cuerpo["por_hora_del_dia"], cuerpo["por_dia_semana"]):
        assert sum(f["total_llamadas"] for f in franjas) == cuerpo["total_llamadas"]
    return cuerpo


def _por_agente(cuerpo: dict) -> dict[int, int]:
    return {a["usuario_id"]: a["total_llamadas"] for a in cuerpo["por_agente"]}


def test_las_sumas_de_las_fotos_se_leen_una_vez_y_nunca_pasadas(cliente, cabeceras, sesion_bd):
    agente, sup, admin = cabeceras("agente"), cabeceras("supervisor"), cabeceras("admin")
    metricas_fotos_memoria.olvidar()
    duraciones = [100, 200, 300]
    creadas = [
        crear_llamada(cliente, agente, fecha_hora=d.isoformat(), duracion_segundos=s)
        for d, s in zip(DIAS, duraciones, strict=True)
    ]
    _recalcular(cliente, admin)
    primera = _metricas(cliente, sup)
    assert primera["total_llamadas"] == len(creadas)
    assert primera["duracion_promedio_segundos"] == sum(duraciones) / len(duraciones)
    guardadas = len(metricas_fotos_memoria._guardadas)
    assert guardadas > 0
    assert _metricas(cliente, sup) == primera  # de memoria: nada nuevo guardado
    assert len(metricas_fotos_memoria._guardadas) == guardadas

    # Una llamada más en un día cerrado: su foto se invalida y se rehace.
    crear_llamada(cliente, agente, fecha_hora=DIAS[1].isoformat(), duracion_segundos=600)
    _recalcular(cliente, admin)
    segunda = _metricas(cliente, sup)
    assert segunda["total_llamadas"] == len(creadas) + 1
    assert segunda["duracion_promedio_segundos"] == (sum(duraciones) + 600) / (len(duraciones) + 1)
    agente_id = creadas[0]["usuario_id"]
    assert _por_agente(segunda)[agente_id] == len(creadas) + 1
    # Y las franjas de las fotos rehechas, no las guardadas: una más en la hora local nueva.
    hora = DIAS[1].astimezone(ZoneInfo(segunda["zona_horaria"])).hour
    antes = {f["franja"]: f["total_llamadas"] for f in primera["por_hora_del_dia"]}
    despues = {f["franja"]: f["total_llamadas"] for f in segunda["por_hora_del_dia"]}
    assert despues == {**antes, hora: antes[hora] + 1}

    # La tabla de fotos vaciada y rehecha: las versiones vuelven a cero, las cifras no se
    # confunden con las de antes (una llamada menos).
    borrada = cliente.delete(f"/api/llamadas/{creadas[2]['id']}", headers=admin)
    assert borrada.status_code == 204, borrada.text
    sesion_bd.execute(text("DELETE FROM metricas_agentes"))
    sesion_bd.execute(text("DELETE FROM metricas"))
    sesion_bd.commit()
    _recalcular(cliente, admin)
    tercera = _metricas(cliente, sup)
    assert tercera["total_llamadas"] == len(creadas)
    assert tercera["duracion_promedio_segundos"] == (100 + 200 + 600) / 3
