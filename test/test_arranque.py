"""Arranque: migración en un fichero nuevo, datos iniciales idempotentes, salud y registro."""

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import create_engine, func, select, text

from config import Ajustes
from database import crear_fabrica
from main import crear_app
from modelos import ClasificacionIA, Llamada, Usuario
from servicios.semilla import LLAMADAS_DEMO, sembrar_demo, sembrar_usuarios
from test.conftest import ajustes_de_prueba

RAIZ = Path(__file__).resolve().parents[1]


def test_un_fichero_nuevo_se_migra_y_siembra_y_reiniciar_no_duplica(tmp_path):
    ajustes = ajustes_de_prueba(database_url=f"sqlite:///{tmp_path}/nueva/cc.db")
    for _ in range(2):
        app = crear_app(ajustes)
        with TestClient(app) as cliente:
            respuesta = cliente.post(
                "/api/usuarios/login", data={"username": "sup@example.com", "password": "123456"}
            )
            assert respuesta.status_code == 200
            with app.state.fabrica_sesiones() as sesion:
                assert sesion.scalar(select(func.count(Usuario.id))) == 3
                version = sesion.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version is not None and version >= "0002"


def test_sembrar_usuarios_es_idempotente(sesion_bd, app):
    assert sembrar_usuarios(sesion=sesion_bd, ajustes=app.state.ajustes) == 0
    emails = set(sesion_bd.scalars(select(Usuario.email)))
    assert emails == {"agente1@example.com", "sup@example.com", "admin@example.com"}


def test_demo_siembra_un_mes_variado_y_clasificado_una_sola_vez(sesion_bd, app):
    assert sembrar_demo(sesion=sesion_bd, ajustes=app.state.ajustes) == LLAMADAS_DEMO
    llamadas = list(sesion_bd.scalars(select(Llamada)))
    assert len(llamadas) == LLAMADAS_DEMO
    assert {ll.tipo.value for ll in llamadas} == {
        "venta",
        "soporte",
        "reclamo",
        "consulta",
        "tecnico",
        "logistica",
    }
    assert len({ll.resultado for ll in llamadas}) == 6
    ahora = datetime.now(UTC)
    assert all(ahora - timedelta(days=31) <= ll.fecha_hora <= ahora for ll in llamadas)
    assert all(ll.descripcion for ll in llamadas)
    clasificadas = sesion_bd.scalar(select(func.count(ClasificacionIA.id)))
    assert clasificadas == LLAMADAS_DEMO
    categorias = set(sesion_bd.scalars(select(ClasificacionIA.categoria).distinct()))
    assert {c.value for c in categorias} == {"venta", "soporte", "reclamo"}
    assert len({ll.usuario_id for ll in llamadas}) == 3
    assert sembrar_demo(sesion=sesion_bd, ajustes=app.state.ajustes) == 0


def test_bienvenida_enlaza_la_documentacion(cliente):
    respuesta = cliente.get("/")
    assert respuesta.status_code == 200
    assert respuesta.json()["documentacion"] == "/docs"
    assert respuesta.json()["redoc"] == "/redoc"
    assert cliente.get("/docs").status_code == 200


def test_salud_da_503_si_la_base_no_responde(cliente, app):
    app.state.fabrica_sesiones = crear_fabrica(create_engine("sqlite:////proc/no-existe/x.db"))
    respuesta = cliente.get("/salud")
    assert respuesta.status_code == 503
    assert respuesta.json()["base_datos"] == "error"
    assert respuesta.json()["estado"] == "degradado"


def test_salud_informa_motor_y_modo_del_clasificador(cliente, cambiar_ajustes):
    assert cliente.get("/salud").json()["clasificador"] == "local"
    cambiar_ajustes(openai_base_url="http://127.0.0.1:9/v1")
    assert cliente.get("/salud").json()["clasificador"] == "llm"


def test_cada_peticion_queda_registrada(cliente, caplog):
    with caplog.at_level(logging.INFO, logger="callcenter.peticiones"):
        cliente.get("/api/llamadas/")
    mensajes = [r.getMessage() for r in caplog.records if r.name == "callcenter.peticiones"]
    assert any(m.startswith("GET /api/llamadas/ 401 ") for m in mensajes)


def test_produccion_rechaza_la_clave_de_ejemplo():
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Ajustes(_env_file=None, entorno="produccion")
    assert (
        Ajustes(_env_file=None, entorno="produccion", secret_key="x" * 40).entorno == "produccion"
    )


def test_openapi_documenta_login_por_formulario_y_json_y_el_boton_authorize(cliente):
    esquema = cliente.get("/openapi.json").json()
    contenido = esquema["paths"]["/api/usuarios/login"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/json"} <= set(contenido)
    seguridad = esquema["components"]["securitySchemes"]
    flujo = next(iter(seguridad.values()))["flows"]["password"]
    assert flujo["tokenUrl"] == "/api/usuarios/login"


def test_el_arranque_saca_sus_objetos_del_recolector(tmp_path):
    """Tras arrancar, lo creado hasta entonces queda congelado (gc.freeze): una pasada completa
    del recolector no vuelve a recorrerlo; al parar, se descongela. En un intérprete nuevo,
    para contar solo lo suyo."""
    guion = f"""
import gc, json
from fastapi.testclient import TestClient
from main import crear_app
from test.conftest import ajustes_de_prueba
app = crear_app(ajustes_de_prueba(database_url="sqlite:///{tmp_path}/gc.db"))
antes = len(gc.get_objects())
with TestClient(app):
    medidas = [antes, gc.get_freeze_count(), len(gc.get_objects())]
print(json.dumps([*medidas, gc.get_freeze_count()]))
"""
    salida = subprocess.run(
        [sys.executable, "-c", guion], cwd=RAIZ, capture_output=True, text=True, timeout=120
    )
    assert salida.returncode == 0, salida.stderr
    antes, congelados, sueltos, al_parar = json.loads(salida.stdout.strip().splitlines()[-1])
    assert congelados >= antes  # todo lo que había antes de arrancar, y lo del arranque
    assert sueltos < congelados / 10  # el recolector solo recorre lo creado después
    assert al_parar == 0  # al parar vuelve al recolector (un proceso que sigue lo libera)
