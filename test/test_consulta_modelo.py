"""Listas que validan su consulta con un modelo (rutas/consulta.py): la documentación sale del
modelo y los errores nombran cada parámetro, como los de FastAPI."""

import json
import os
import re

import pytest

from database import crear_motor
from rutas.llamadas import ConsultaLlamadas
from test.ayudas_api import campos_con_error, crear_llamada
from test.conftest import ajustes_de_prueba

LLAMADAS = "/api/llamadas/"


def test_openapi_documenta_cada_parametro_del_modelo(cliente):
    documento = cliente.get("/openapi.json").json()
    parametros = {p["name"]: p for p in documento["paths"][LLAMADAS]["get"]["parameters"]}
    assert set(parametros) == set(ConsultaLlamadas.model_fields)
    assert all(p["in"] == "query" and not p["required"] for p in parametros.values())
    limite = ConsultaLlamadas.model_fields["limit"]
    esquema = parametros["limit"]["schema"]
    assert (esquema["minimum"], esquema["maximum"], esquema["default"]) == (
        1,
        500,
        limite.default,
    )
    assert parametros["categoria"]["description"] == (
        ConsultaLlamadas.model_fields["categoria"].description
    )
    # Cada referencia (los enumerados) existe en components/schemas.
    texto = json.dumps(documento["paths"][LLAMADAS]["get"]["parameters"])
    referencias = set(re.findall(r'"#/components/schemas/([^"]+)"', texto))
    assert referencias and referencias <= set(documento["components"]["schemas"])


def test_varios_parametros_malos_se_nombran_todos(cliente, cabeceras):
    malos = {"limit": "0", "tipo": "otro", "desde": "ayer", "usuario_id": "x", "skip": "-1"}
    respuesta = cliente.get(LLAMADAS, params=malos, headers=cabeceras("supervisor"))
    assert campos_con_error(respuesta) == set(malos)


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_un_parametro_repetido_vale_el_ultimo_y_los_desconocidos_se_ignoran(cliente, cabeceras):
    sup = cabeceras("supervisor")
    for _ in range(3):
        crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.get(f"{LLAMADAS}?limit=0&limit=2&otro=1", headers=sup)
    assert respuesta.status_code == 200, respuesta.text
    assert len(respuesta.json()) == 2
    assert respuesta.headers["X-Total-Count"] == "3"
    assert campos_con_error(cliente.get(f"{LLAMADAS}?limit=2&limit=0", headers=sup)) == {"limit"}


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_la_lista_da_cada_llamada_igual_que_su_detalle(cliente, cabeceras):
    """La lista lee fechas y enumerados sin el ORM (en texto ISO desde la base): el JSON de
    cada fila es el mismo que el de su detalle, con segundos exactos, microsegundos y zonas."""
    agente = cabeceras("agente")
    fechas = ["2026-01-02T03:04:05+02:00", "2026-03-29T01:59:59.000001Z", "2025-12-31T23:00:00Z"]
    creadas = [crear_llamada(cliente, agente, fecha_hora=f, tipo="venta") for f in fechas]
    lista = cliente.get(LLAMADAS, params={"limit": 10}, headers=agente).json()
    assert {fila["id"] for fila in lista} == {c["id"] for c in creadas}
    for fila in lista:
        detalle = cliente.get(f"{LLAMADAS}{fila['id']}", headers=agente).json()
        assert fila == {campo: detalle[campo] for campo in fila}
    por_id = {fila["id"]: fila["fecha_hora"] for fila in lista}
    assert por_id[creadas[0]["id"]] == "2026-01-02T01:04:05Z"
    assert por_id[creadas[1]["id"]] == "2026-03-29T01:59:59.000001Z"


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="sin TEST_DATABASE_URL")
def test_la_sesion_de_postgresql_va_en_utc():
    """La lista lee los timestamptz sin convertirlos: psycopg los da en la zona de la sesión,
    que el motor fija en UTC aunque el servidor o la URL digan otra cosa."""
    url = os.environ["TEST_DATABASE_URL"]
    separador = "&" if "?" in url else "?"
    motor = crear_motor(f"{url}{separador}options=-c%20search_path%3Dpublic", ajustes_de_prueba())
    try:
        with motor.connect() as conexion:
            assert conexion.exec_driver_sql("SHOW timezone").scalar() == "UTC"
            assert conexion.exec_driver_sql("SHOW search_path").scalar() == "public"
    finally:
        motor.dispose()
