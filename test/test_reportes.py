"""Reportes: crear con periodo y filtros, listar, leer y errores de permisos y validación."""

import pytest

from test.ayudas_api import mensaje_422
from test.datos_metricas import DESDE, HASTA, cargar_llamadas

# Las cifras de categoría las fija cada prueba: sin clasificación ni repesca automáticas.
pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

PERIODO = {"desde": DESDE.isoformat(), "hasta": HASTA.isoformat()}


@pytest.fixture
def agentes(sesion_bd):
    return cargar_llamadas(sesion_bd)


def _crear(cliente, cabeceras, quien="supervisor", **extra):
    return cliente.post(
        "/api/reportes/",
        json={**PERIODO, "descripcion": "Marzo", **extra},
        headers=cabeceras(quien),
    )


def test_crear_reporte_guarda_kpis_y_autor(cliente, cabeceras, agentes):
    respuesta = _crear(cliente, cabeceras)
    assert respuesta.status_code == 201, respuesta.text
    cuerpo = respuesta.json()
    yo = cliente.get("/api/usuarios/me", headers=cabeceras("supervisor")).json()
    assert cuerpo["generado_por"] == yo["id"]
    assert (cuerpo["automatico"], cuerpo["descripcion"], cuerpo["filtros"]) == (False, "Marzo", {})
    assert cuerpo["contenido"]["total_llamadas"] == 7
    assert cuerpo["contenido"]["tasa_resolucion_primer_contacto"] == 0.5714
    assert len(cuerpo["contenido"]["por_agente"]) == 2


def test_crear_reporte_con_filtros(cliente, cabeceras, agentes):
    respuesta = _crear(
        cliente, cabeceras, "admin", usuario_id=agentes["B"], tipo="Técnico", categoria="venta"
    )
    assert respuesta.status_code == 201, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["filtros"] == {
        "usuario_id": agentes["B"],
        "tipo": "tecnico",
        "categoria": "venta",
    }
    assert cuerpo["contenido"]["total_llamadas"] == 1
    assert cuerpo["contenido"]["duracion_promedio_segundos"] == 150.0


def test_crear_reporte_agente_da_403(cliente, cabeceras):
    respuesta = _crear(cliente, cabeceras, "agente")
    assert respuesta.status_code == 403
    assert "supervisor" in respuesta.json()["detail"]


def test_crear_reporte_sin_token_da_401(cliente):
    respuesta = cliente.post("/api/reportes/", json=PERIODO)
    assert respuesta.status_code == 401
    assert respuesta.json()["detail"]


def test_crear_reporte_periodo_invertido_da_422(cliente, cabeceras):
    cuerpo = {"desde": HASTA.isoformat(), "hasta": DESDE.isoformat()}
    respuesta = cliente.post("/api/reportes/", json=cuerpo, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta).startswith("desde:")


def test_crear_reporte_categoria_invalida_da_422(cliente, cabeceras):
    respuesta = _crear(cliente, cabeceras, categoria="otra")
    assert respuesta.status_code == 422
    assert "categoria" in str(respuesta.json()["detail"])


def test_crear_reporte_de_usuario_inexistente_da_404(cliente, cabeceras):
    respuesta = _crear(cliente, cabeceras, usuario_id=999999)
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Usuario 999999 no encontrado"}


def test_listar_reportes_con_total_y_filtro(cliente, cabeceras, agentes):
    for _ in range(3):
        assert _crear(cliente, cabeceras).status_code == 201
    respuesta = cliente.get("/api/reportes/", params={"limit": 2}, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    assert respuesta.headers["X-Total-Count"] == "3"
    assert len(respuesta.json()) == 2
    assert respuesta.json()[0]["id"] > respuesta.json()[1]["id"]
    automaticos = cliente.get(
        "/api/reportes/", params={"automatico": True}, headers=cabeceras("supervisor")
    )
    assert automaticos.status_code == 200
    assert (automaticos.json(), automaticos.headers["X-Total-Count"]) == ([], "0")


def test_listar_reportes_agente_da_403(cliente, cabeceras):
    respuesta = cliente.get("/api/reportes/", headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert respuesta.json()["detail"]


def test_leer_reporte(cliente, cabeceras, agentes):
    creado = _crear(cliente, cabeceras).json()
    respuesta = cliente.get(f"/api/reportes/{creado['id']}", headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    assert respuesta.json() == creado


def test_leer_reporte_inexistente_da_404(cliente, cabeceras):
    respuesta = cliente.get("/api/reportes/424242", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Reporte 424242 no encontrado"}


def test_descargar_formato_desconocido_da_422(cliente, cabeceras, agentes):
    creado = _crear(cliente, cabeceras).json()
    respuesta = cliente.get(
        f"/api/reportes/{creado['id']}/descargar",
        params={"formato": "doc"},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 422
    assert "formato" in str(respuesta.json()["detail"])


def test_descargar_reporte_inexistente_da_404(cliente, cabeceras):
    respuesta = cliente.get("/api/reportes/9999/descargar", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Reporte 9999 no encontrado"}


def test_descargar_como_agente_da_403(cliente, cabeceras):
    respuesta = cliente.get("/api/reportes/1/descargar", headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert respuesta.json()["detail"]
