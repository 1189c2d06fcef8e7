"""Fotos diarias y programador con reloj controlado: idempotencia y reportes automáticos."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from modelos.metrica import Metrica
from modelos.reporte import Reporte
from servicios import metricas_diarias, programador
from test.ayudas_api import mensaje_422
from test.datos_metricas import DIA, cargar_llamadas

# Las cifras de categoría las fija cada prueba: sin clasificación ni repesca automáticas.
pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

AHORA = DIA + timedelta(days=12, hours=3)  # 2025-03-22 03:00 UTC, sábado


@pytest.fixture
def agentes(sesion_bd):
    return cargar_llamadas(sesion_bd)


def _ejecutar(app, **cambios):
    ajustes = app.state.ajustes.model_copy(update=cambios)
    return programador.ejecutar(fabrica=app.state.fabrica_sesiones, ajustes=ajustes, ahora=AHORA)


def test_programador_guarda_cada_dia_cerrado_una_sola_vez(app, sesion_bd, agentes):
    primera = _ejecutar(app)
    segunda = _ejecutar(app)
    esperados = [(DIA - timedelta(hours=1)).date() + timedelta(days=i) for i in range(13)]
    assert primera.dias_guardados == esperados  # del 9 al 21 de marzo: el 22 aún no cerró
    assert segunda.dias_guardados == []
    assert sesion_bd.scalar(select(func.count(Metrica.id))) == 13
    foto = sesion_bd.scalar(select(Metrica).where(Metrica.fecha == DIA.date()))
    assert (foto.total_llamadas, foto.promedio_duracion, foto.vigente) == (2, 200.0, True)
    assert foto.contenido["por_categoria"] == {
        "venta": 1,
        "soporte": 0,
        "reclamo": 0,
        "sin_clasificar": 1,
    }


def test_programador_solo_hace_las_tareas_cuyo_turno_gana(app, sesion_bd, agentes):
    pedidos: list[str] = []

    def _solo_reporte(nombre: str) -> bool:
        pedidos.append(nombre)
        return nombre == "reporte_automatico"

    ajustes = app.state.ajustes.model_copy(update={"reporte_automatico": "diario"})
    resultado = programador.ejecutar(
        fabrica=app.state.fabrica_sesiones, ajustes=ajustes, ahora=AHORA, turno=_solo_reporte
    )
    assert pedidos == ["fotos_diarias", "reporte_automatico"]
    assert resultado.dias_guardados == [] and resultado.reporte_id is not None
    assert sesion_bd.scalar(select(func.count(Metrica.id)).where(Metrica.vigente)) == 0


def test_reporte_automatico_diario_se_crea_una_vez(app, sesion_bd, agentes):
    primera = _ejecutar(app, reporte_automatico="diario")
    segunda = _ejecutar(app, reporte_automatico="diario")
    assert primera.reporte_id is not None and segunda.reporte_id is None
    reportes = list(sesion_bd.scalars(select(Reporte)))
    assert len(reportes) == 1
    reporte = reportes[0]
    assert (reporte.automatico, reporte.generado_por) == (True, None)
    assert reporte.desde.date() == date(2025, 3, 21) == reporte.hasta.date()
    assert reporte.contenido["total_llamadas"] == 0


def test_reporte_automatico_semanal_cubre_la_ultima_semana_cerrada(app, sesion_bd, agentes):
    resultado = _ejecutar(app, reporte_automatico="semanal")
    reporte = sesion_bd.get(Reporte, resultado.reporte_id)
    assert (reporte.desde.date(), reporte.hasta.date()) == (date(2025, 3, 10), date(2025, 3, 16))
    assert reporte.contenido["total_llamadas"] == 5
    assert reporte.contenido["dias_desde_fotos"] == 7


def test_reporte_automatico_no_crea_ninguno(app, sesion_bd, agentes):
    resultado = _ejecutar(app, reporte_automatico="no")
    assert resultado.reporte_id is None
    assert sesion_bd.scalar(select(func.count(Reporte.id))) == 0


def test_listar_diarias_pagina_con_total(app, cliente, cabeceras, agentes):
    _ejecutar(app)
    respuesta = cliente.get(
        "/api/metricas/diarias",
        params={"desde": "2025-03-10", "hasta": "2025-03-19", "limit": 3},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200
    assert respuesta.headers["X-Total-Count"] == "10"
    assert [f["fecha"] for f in respuesta.json()] == ["2025-03-19", "2025-03-18", "2025-03-17"]
    assert respuesta.json()[0]["total_llamadas"] == 1


def test_listar_diarias_agente_da_403(cliente, cabeceras):
    respuesta = cliente.get("/api/metricas/diarias", headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert "supervisor" in respuesta.json()["detail"]


def test_listar_diarias_sin_token_da_401(cliente):
    respuesta = cliente.get("/api/metricas/diarias")
    assert respuesta.status_code == 401
    assert respuesta.json()["detail"]


def test_recalcular_rango_como_admin(cliente, cabeceras, sesion_bd, agentes):
    cuerpo = {"desde": "2025-03-10", "hasta": "2025-03-11"}
    respuesta = cliente.post(
        "/api/metricas/diarias/recalcular", json=cuerpo, headers=cabeceras("admin")
    )
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json() == {**cuerpo, "dias_recalculados": 2}
    totales = dict(sesion_bd.execute(select(Metrica.fecha, Metrica.total_llamadas)).all())
    assert totales == {date(2025, 3, 10): 2, date(2025, 3, 11): 2}


def test_recalcular_como_supervisor_da_403(cliente, cabeceras):
    respuesta = cliente.post(
        "/api/metricas/diarias/recalcular",
        json={"desde": "2025-03-10", "hasta": "2025-03-11"},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 403
    assert "admin" in respuesta.json()["detail"]


@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        ({"desde": "2024-01-01", "hasta": "2025-03-01"}, "hasta"),
        ({"desde": "2025-03-10", "hasta": "2025-03-01"}, "desde"),
        ({"desde": "2025-03-10", "hasta": "2999-01-01"}, "hasta"),
    ],
)
def test_recalcular_rango_invalido_da_422(cliente, cabeceras, cuerpo, campo):
    respuesta = cliente.post(
        "/api/metricas/diarias/recalcular", json=cuerpo, headers=cabeceras("admin")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta).startswith(f"{campo}:")


def test_las_rachas_van_de_los_dias_mas_recientes_a_los_mas_antiguos():
    inicio = date(2026, 1, 1)
    dias = [inicio + timedelta(days=n) for n in range(70)]
    dias += [inicio + timedelta(days=n) for n in range(75, 81)]  # un hueco de cuatro días
    rachas = metricas_diarias.rachas(dias, 31)
    # Cubren cada día una vez, sin pasar de 31 días, y la primera acaba en el último día.
    cubiertos = [p + timedelta(days=n) for p, u in rachas for n in range((u - p).days + 1)]
    assert sorted(cubiertos) == sorted(dias) and len(cubiertos) == len(dias)
    assert all((u - p).days < 31 for p, u in rachas)
    assert rachas[0][1] == max(dias)
    assert [u for _, u in rachas] == sorted((u for _, u in rachas), reverse=True)
    assert rachas[:2] == [(dias[-6], dias[-1]), (dias[69] - timedelta(days=30), dias[69])]
