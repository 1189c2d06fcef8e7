"""Fixtures: una app por sesión; cada prueba con datos frescos en SQLite y, si hay
TEST_DATABASE_URL, también en PostgreSQL; tokens del endpoint real de login."""

import os
import shutil
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

import trabajos
from config import Ajustes
from crud.auditoria import permiso_de_purga
from database import crear_fabrica, crear_motor, migrar
from main import crear_app
from modelos import Base
from servicios.semilla import PASSWORD_INICIAL, sembrar_usuarios

AJUSTES_PRUEBA: dict[str, Any] = {
    "entorno": "pruebas",
    "secret_key": "clave-solo-para-pruebas-0123456789abcdef",
    "bcrypt_rondas": 4,
    "sembrar_demo": False,
    "programador_activo": False,
    # Las fotos las construye cada prueba cuando quiere (test_fotos_al_momento las pide).
    "fotos_al_momento": False,
    "openai_base_url": None,
    "login_intentos": 5,
    "llm_timeout_segundos": 2.0,
    "trabajos_intentos": 3,
    "trabajos_espera_segundos": 0.1,
    "trabajos_sondeo_segundos": 0.2,
    "trabajos_arriendo_segundos": 3.0,
    # Las cifras de KPIs de las pruebas cuentan días UTC; las de la zona del centro la fijan.
    "zona_horaria": "UTC",
    # Ninguna prueba carga un modelo de Whisper por accidente: la que transcribe lo pide.
    "transcripcion_motor": "remoto",
    "transcripcion_remota_url": None,
}
# Un techo, no una espera: una transcripción local real tarda decenas de segundos con carga.
ESPERA_TRABAJOS_SEGUNDOS = 90.0
EMAILS = {
    "agente": "agente1@example.com",
    "supervisor": "sup@example.com",
    "admin": "admin@example.com",
}
MOTORES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def ajustes_de_prueba(**cambios: Any) -> Ajustes:
    """Ajustes de prueba (bcrypt barato, sin demo ni programador), con cambios opcionales."""
    return Ajustes(_env_file=None, **{**AJUSTES_PRUEBA, **cambios})


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """La aplicación real, arrancada una vez (migra y siembra su fichero SQLite)."""
    ruta = tmp_path_factory.mktemp("bd") / "pruebas.db"
    grabaciones = tmp_path_factory.mktemp("grabaciones")
    aplicacion = crear_app(
        ajustes_de_prueba(database_url=f"sqlite:///{ruta}", grabaciones_dir=str(grabaciones))
    )
    with TestClient(aplicacion) as arranque:
        # Un solo bucle para todas las peticiones de la sesión, como en un proceso de uvicorn
        # (sin él, el cliente de cada prueba abre un bucle por petición).
        aplicacion.state.portal_de_pruebas = arranque.portal
        aplicacion.state.motor_sqlite = aplicacion.state.fabrica_sesiones.kw["bind"]
        yield aplicacion


def _motor_postgresql() -> Engine:
    motor = crear_motor(os.environ["TEST_DATABASE_URL"])
    with motor.begin() as conexion:
        conexion.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conexion.execute(text("CREATE SCHEMA public"))
    migrar(motor)
    return motor


@pytest.fixture(scope="session", params=MOTORES)
def motor_bd(request: pytest.FixtureRequest, app: FastAPI) -> Iterator[Engine]:
    """Motor de la prueba: el SQLite de la app o un PostgreSQL migrado desde cero."""
    if request.param == "sqlite":
        yield app.state.motor_sqlite
        return
    motor = _motor_postgresql()
    # El trabajador de la app atiende su SQLite; este atiende los trabajos de PostgreSQL.
    trabajador = trabajos.crear_trabajador(
        url=os.environ["TEST_DATABASE_URL"],
        ajustes=lambda: app.state.ajustes,
        hilos=2,
        bus=app.state.bus,
    )
    trabajador.iniciar()
    yield motor
    trabajador.detener()
    motor.dispose()


# TRUNCATE bloquea las tablas una a una; si un lector de la prueba anterior (un flujo de
# eventos que aún cierra, el trabajador que sondea) tiene otra, PostgreSQL puede cortar el
# TRUNCATE por interbloqueo. Se reintenta: el lector termina enseguida.
INTENTOS_VACIAR = 5


def vaciar(motor: Engine) -> None:
    """Borra todas las filas (y reinicia los id en PostgreSQL); la auditoría, con su permiso."""
    tablas = [t.name for t in reversed(Base.metadata.sorted_tables)]
    if motor.dialect.name != "postgresql":
        with motor.begin() as conexion, permiso_de_purga(conexion):
            for tabla in tablas:
                conexion.execute(text(f"DELETE FROM {tabla}"))
        return
    orden = text(f"TRUNCATE {', '.join([*tablas, 'procrastinate_jobs'])} RESTART IDENTITY CASCADE")
    for intento in range(1, INTENTOS_VACIAR + 1):
        try:
            with motor.begin() as conexion, permiso_de_purga(conexion):
                conexion.execute(orden)
            return
        except OperationalError as error:
            interbloqueo = getattr(error.orig, "sqlstate", None) == "40P01"
            if not interbloqueo or intento == INTENTOS_VACIAR:
                raise
            time.sleep(0.1 * intento)


def esperar_trabajos(app: FastAPI, plazo: float = ESPERA_TRABAJOS_SEGUNDOS) -> None:
    """Espera a que no quede ningún trabajo en curso ni listo para empezar."""
    limite = time.monotonic() + plazo
    while True:
        with app.state.fabrica_sesiones() as sesion:
            if trabajos.en_marcha(sesion=sesion) == 0:
                return
        assert time.monotonic() < limite, "los trabajos en segundo plano no terminaron"
        time.sleep(0.01)


@pytest.fixture
def cliente(app: FastAPI, motor_bd: Engine) -> Iterator[TestClient]:
    """Cliente HTTP sobre la app con la base vacía y los tres usuarios iniciales.

    Tras cada escritura espera a que los trabajos que encoló terminen, para que las pruebas
    vean el resultado de la clasificación automática sin depender del reloj.
    """
    vaciar(motor_bd)
    shutil.rmtree(app.state.ajustes.grabaciones_dir, ignore_errors=True)
    ajustes_originales = app.state.ajustes
    app.state.fabrica_sesiones = crear_fabrica(motor_bd, bus=app.state.bus)
    with app.state.fabrica_sesiones() as sesion:
        sembrar_usuarios(sesion=sesion, ajustes=ajustes_originales)
    app.state.limitador_login.reiniciar()
    cliente_http = TestClient(app)
    cliente_http.portal = app.state.portal_de_pruebas

    def _tras_escribir(respuesta: httpx.Response) -> None:
        if respuesta.request.method != "GET":
            esperar_trabajos(app)

    cliente_http.event_hooks["response"].append(_tras_escribir)
    yield cliente_http
    app.state.ajustes = ajustes_originales


@pytest.fixture
def cambiar_ajustes(app: FastAPI, cliente: TestClient) -> Callable[..., Ajustes]:
    """Cambia ajustes de la app solo durante la prueba (el fixture cliente los restaura)."""

    def _cambiar(**cambios: Any) -> Ajustes:
        app.state.ajustes = app.state.ajustes.model_copy(update=cambios)
        return app.state.ajustes

    return _cambiar


@pytest.fixture
def sin_clasificacion_automatica(cambiar_ajustes: Callable[..., Ajustes]) -> None:
    """Para pruebas que deciden ellas mismas qué llamadas tienen clasificación."""
    cambiar_ajustes(clasificacion_automatica=False)


@pytest.fixture
def sesion_bd(cliente: TestClient, app: FastAPI):
    """Sesión directa sobre la base de la prueba, para preparar o comprobar datos."""
    with app.state.fabrica_sesiones() as sesion:
        yield sesion


def iniciar_sesion(cliente: TestClient, email: str, password: str = PASSWORD_INICIAL) -> str:
    """Token del endpoint real de login."""
    respuesta = cliente.post("/api/usuarios/login", json={"email": email, "password": password})
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.json()["access_token"]


@pytest.fixture
def cabeceras(cliente: TestClient) -> Callable[[str], dict[str, str]]:
    """cabeceras('agente'|'supervisor'|'admin' o un e-mail) -> Authorization Bearer."""
    cache: dict[str, dict[str, str]] = {}

    def _cabeceras(quien: str) -> dict[str, str]:
        if quien not in cache:
            token = iniciar_sesion(cliente, EMAILS.get(quien, quien))
            cache[quien] = {"Authorization": f"Bearer {token}"}
        return cache[quien]

    return _cabeceras


# Fixtures de las pruebas en navegador (uvicorn real + Chromium); al final porque usan lo de arriba.
from test.navegador import abrir_pagina, chromium, servidor, vigilancia  # noqa: E402, F401
