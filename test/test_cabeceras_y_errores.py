"""Cabeceras de seguridad en toda respuesta, una sola forma de 422 y fechas que nunca desbordan."""

import pytest

from seguridad import POLITICA_CONTENIDO
from test.ayudas_api import campos_con_error

SEGURIDAD = {
    "x-content-type-options": "nosniff",
    "content-security-policy": POLITICA_CONTENIDO,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _comprobar_cabeceras(respuesta, *, api: bool) -> None:
    for nombre, valor in SEGURIDAD.items():
        assert respuesta.headers.get(nombre) == valor, (respuesta.request.url, nombre)
    assert (respuesta.headers.get("cache-control") == "no-store") is api


def test_la_politica_de_contenido_prohibe_marcos_y_scripts_ajenos():
    assert "frame-ancestors 'none'" in POLITICA_CONTENIDO
    assert "script-src 'self'" in POLITICA_CONTENIDO
    assert "default-src 'self'" in POLITICA_CONTENIDO


@pytest.mark.parametrize(
    ("metodo", "ruta", "quien", "estado"),
    [
        ("GET", "/api/usuarios/me", "agente", 200),
        ("GET", "/api/llamadas/", None, 401),
        ("GET", "/api/usuarios/", "agente", 403),
        ("GET", "/api/llamadas/999999", "agente", 404),
        ("GET", "/api/llamadas/?limit=0", "agente", 422),
        ("GET", "/api/no-existe", None, 404),
        ("POST", "/api/usuarios/login", None, 422),
    ],
)
def test_cada_respuesta_de_la_api_lleva_las_cabeceras_y_no_store(
    cliente, cabeceras, metodo, ruta, quien, estado
):
    respuesta = cliente.request(metodo, ruta, headers=cabeceras(quien) if quien else {})
    assert respuesta.status_code == estado
    _comprobar_cabeceras(respuesta, api=True)


@pytest.mark.parametrize("ruta", ["/", "/salud", "/docs", "/redoc", "/openapi.json"])
def test_las_paginas_fuera_de_la_api_llevan_las_cabeceras_de_seguridad(cliente, ruta):
    respuesta = cliente.get(ruta)
    assert respuesta.status_code == 200
    _comprobar_cabeceras(respuesta, api=False)


def test_los_rechazos_por_tamano_tambien_llevan_las_cabeceras(cliente):
    grande = cliente.post("/api/usuarios/login", content=b"a" * (2 * 1024 * 1024))
    assert grande.status_code == 413
    _comprobar_cabeceras(grande, api=True)
    cabeceras_enormes = cliente.get("/api/usuarios/me", headers={"X-R": "a" * 20_000})
    assert cabeceras_enormes.status_code == 431
    _comprobar_cabeceras(cabeceras_enormes, api=True)


INVERTIDO = {"desde": "2025-02-01", "hasta": "2025-01-01"}
Q = "?desde=2025-02-01&hasta=2025-01-01"
CLAVE_MAL = {"password": "nueva-123", "password_actual": "mal"}


@pytest.mark.parametrize(
    ("metodo", "ruta", "quien", "cuerpo", "campo"),
    [
        ("POST", "/api/llamadas/", "agente", {"duracion_segundos": -1}, None),
        ("GET", f"/api/llamadas/{Q}", "agente", None, "desde"),
        ("GET", "/api/llamadas/?categoria=otra", "agente", None, "categoria"),
        ("POST", "/api/llamadas/", "admin", "llamada_de_usuario_inexistente", "usuario_id"),
        ("GET", f"/api/metricas/{Q}", "agente", None, "desde"),
        ("POST", "/api/reportes/", "supervisor", INVERTIDO, "desde"),
        ("GET", f"/api/reportes/{Q}", "supervisor", None, "desde"),
        ("PATCH", "/api/usuarios/{yo}", "agente", CLAVE_MAL, "password_actual"),
        ("PATCH", "/api/usuarios/{yo}", "admin", {"nombre": None}, "nombre"),
        ("POST", "/api/metricas/diarias/recalcular", "admin", INVERTIDO, "desde"),
        ("GET", f"/api/clasificaciones-ia/{Q}", "agente", None, "desde"),
    ],
)
def test_todo_422_es_una_lista_que_nombra_el_campo(
    cliente, cabeceras, metodo, ruta, quien, cuerpo, campo
):
    if cuerpo == "llamada_de_usuario_inexistente":
        cuerpo = {"numero_cliente": "600111222", "duracion_segundos": 1, "tipo": "venta"}
        cuerpo |= {"resultado": "resuelta", "usuario_id": 999_999}
    yo = cliente.get("/api/usuarios/me", headers=cabeceras(quien)).json()["id"]
    respuesta = cliente.request(metodo, ruta.format(yo=yo), json=cuerpo, headers=cabeceras(quien))
    campos = campos_con_error(respuesta)
    assert campo is None or campos == {campo}
    for error in respuesta.json()["detail"]:
        assert set(error) == {"loc", "campo", "msg", "type"}
        assert isinstance(error["loc"], list) and error["loc"][-1] == error["campo"].split(".")[-1]
        assert isinstance(error["type"], str)


def test_un_login_ilegible_da_422_con_la_misma_forma(cliente):
    respuesta = cliente.post(
        "/api/usuarios/login",
        content=b"--x\r\nroto",
        headers={"Content-Type": "multipart/form-data"},
    )
    assert respuesta.json()["detail"][0]["loc"] == ["body", "cuerpo"]
    assert campos_con_error(respuesta) == {"cuerpo"}


ANTIGUO = {"desde": "0001-01-01", "hasta": "2025-01-02"}
ULTIMO_INSTANTE = {"desde": "9999-12-31T23:59:59.999999Z"}


@pytest.mark.parametrize(
    ("metodo", "ruta", "quien", "cuerpo", "campo"),
    [
        ("GET", "/api/metricas/?hasta=0001-01-01T00:00:00Z", "agente", None, "hasta"),
        ("GET", "/api/metricas/?desde=9999-12-31T23:30:00Z", "agente", None, "desde"),
        ("GET", "/api/metricas/?desde=9999-12-31T23:00:00-14:00", "agente", None, "desde"),
        ("POST", "/api/reportes/", "supervisor", ULTIMO_INSTANTE, "desde"),
        ("POST", "/api/reportes/", "supervisor", {"hasta": "0001-01-01T00:00:00Z"}, "hasta"),
        ("GET", "/api/llamadas/?hasta=9999-12-31T23:59:59Z", "agente", None, "hasta"),
        ("GET", "/api/clasificaciones-ia/?desde=0001-01-01T00:00:00Z", "agente", None, "desde"),
        ("GET", "/api/reportes/?desde=0001-01-01T00:00:00Z", "supervisor", None, "desde"),
        ("GET", "/api/metricas/diarias?hasta=9999-12-31", "supervisor", None, "hasta"),
        ("POST", "/api/metricas/diarias/recalcular", "admin", ANTIGUO, "desde"),
    ],
)
def test_fechas_en_los_extremos_del_calendario_dan_422_y_no_500(
    cliente, cabeceras, metodo, ruta, quien, cuerpo, campo
):
    respuesta = cliente.request(metodo, ruta, json=cuerpo, headers=cabeceras(quien))
    assert campos_con_error(respuesta) == {campo}
    assert respuesta.json()["detail"][0]["msg"] == (
        f"{campo}: la fecha debe estar entre los años 1900 y 9998"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"hasta": "9998-12-31T23:59:59.999999Z"},
        {"desde": "9998-12-31T23:59:59.999999Z"},
        {"desde": "1900-01-01T00:00:00Z", "hasta": "1900-01-31T00:00:00Z"},
        {"hasta": "1900-01-01T00:00:00Z"},
    ],
)
def test_fechas_en_los_limites_admitidos_calculan_sin_desbordar(cliente, cabeceras, params):
    respuesta = cliente.get("/api/metricas/", params=params, headers=cabeceras("agente"))
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["total_llamadas"] == 0
    reporte = cliente.post("/api/reportes/", json=params, headers=cabeceras("supervisor"))
    assert reporte.status_code == 201, reporte.text
    pdf = cliente.get(
        f"/api/reportes/{reporte.json()['id']}/descargar",
        params={"formato": "pdf"},
        headers=cabeceras("supervisor"),
    )
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
