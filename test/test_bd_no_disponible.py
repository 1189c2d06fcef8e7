"""Base de datos colgada, caída, bloqueada o sin conexiones libres: JSON 503 con Retry-After
rápido, una línea de registro (no una traza por petición) y /salud en menos de 2 s."""

import os
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from database import conexiones_por_proceso, crear_motor, peticiones_en_vuelo
from main import crear_app
from test.ayudas_api import datos_llamada
from test.conftest import ajustes_de_prueba
from test.procesos import base_postgresql_vacia
from test.red_falsa import ProxyTCP, ServidorUvicorn

URL_PG = os.environ.get("TEST_DATABASE_URL")
requiere_pg = pytest.mark.skipif(not URL_PG, reason="sin TEST_DATABASE_URL")


def _afirmar_503(respuesta: httpx.Response, texto: str) -> None:
    assert respuesta.status_code == 503, respuesta.text
    assert int(respuesta.headers["Retry-After"]) >= 1
    assert texto in respuesta.json()["detail"]


@pytest.mark.parametrize("workers", [1, 2, 4, 8, 16])
def test_el_pool_por_proceso_nunca_pasa_del_limite_del_servidor(workers):
    ajustes = ajustes_de_prueba(
        database_url="postgresql://x@localhost/x", workers=workers, pg_max_conexiones=100
    )
    base, extra = conexiones_por_proceso(ajustes)
    assert base >= 1 and extra >= 0
    assert workers * (base + extra) <= 100 - ajustes.pg_conexiones_reserva
    # Las de las peticiones, las 4 del proceso y las de los hilos de apoyo de las métricas.
    assert base + extra <= ajustes.max_peticiones_en_vuelo + 4 + ajustes.metricas_lecturas_a_la_vez
    assert 1 <= peticiones_en_vuelo(ajustes) <= max(1, base + extra - 4)


def test_web_concurrency_fija_los_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    assert ajustes_de_prueba().workers == 4


@pytest.fixture
def app_propia(tmp_path):
    """Una app con su propio SQLite y esperas cortas, para bloquear o agotar su base."""
    ajustes = ajustes_de_prueba(
        database_url=f"sqlite:///{tmp_path}/cc.db",
        sqlite_espera_bloqueo_ms=100,
        bd_espera_conexion_segundos=0.3,
        max_peticiones_en_vuelo=4,
    )
    aplicacion = crear_app(ajustes)
    with TestClient(aplicacion) as cliente:
        respuesta = cliente.post(
            "/api/usuarios/login", json={"email": "agente1@example.com", "password": "123456"}
        )
        cliente.headers["Authorization"] = f"Bearer {respuesta.json()['access_token']}"
        yield aplicacion, cliente, tmp_path / "cc.db"


def test_sqlite_bloqueada_por_otro_escritor_da_503_y_no_500(app_propia, caplog):
    _, cliente, ruta = app_propia
    bloqueo = sqlite3.connect(ruta, isolation_level=None)
    bloqueo.execute("BEGIN IMMEDIATE")
    try:
        respuestas = [cliente.post("/api/llamadas/", json=datos_llamada()) for _ in range(3)]
    finally:
        bloqueo.execute("ROLLBACK")
        bloqueo.close()
    for respuesta in respuestas:
        _afirmar_503(respuesta, "base de datos no está disponible")
    avisos = [r for r in caplog.records if r.name == "callcenter.resiliencia"]
    assert len(avisos) <= 1 and all(r.exc_info is None for r in avisos)
    assert cliente.post("/api/llamadas/", json=datos_llamada()).status_code == 201


def test_pool_agotado_da_503_rapido_y_salud_sigue_respondiendo(app_propia):
    aplicacion, cliente, _ = app_propia
    motor = aplicacion.state.fabrica_sesiones.kw["bind"]
    base, extra = conexiones_por_proceso(aplicacion.state.ajustes)
    retenidas = [motor.connect() for _ in range(base + extra)]
    try:
        inicio = time.monotonic()
        respuesta = cliente.get("/api/usuarios/me")
        transcurrido = time.monotonic() - inicio
        salud = cliente.get("/salud")
        # Una página corta de SQLite se lee en el bucle con su propia conexión, fuera del pool:
        # sigue contestando; una que necesita el pool (total exacto, en un hilo) no.
        corta = cliente.get("/api/llamadas/")
        exacta = cliente.get("/api/llamadas/", params={"total": "exacto"})
    finally:
        for conexion in retenidas:
            conexion.close()
    _afirmar_503(respuesta, "No hay conexiones libres")
    assert transcurrido < 2
    assert salud.status_code == 200
    assert corta.status_code == 200
    _afirmar_503(exacta, "No hay conexiones libres")
    assert cliente.get("/api/usuarios/me").status_code == 200


@requiere_pg
def test_plazo_de_sentencia_en_postgresql_corta_una_consulta_lenta():
    ajustes = ajustes_de_prueba(database_url=URL_PG, bd_timeout_sentencia_ms=200)
    motor = crear_motor(URL_PG, ajustes)
    inicio = time.monotonic()
    with pytest.raises(OperationalError, match="statement timeout"), motor.connect() as conexion:
        conexion.execute(text("SELECT pg_sleep(3)"))
    motor.dispose()
    assert time.monotonic() - inicio < 2


def _pedir_lista(url: str, token: str) -> tuple[httpx.Response, float]:
    inicio = time.monotonic()
    respuesta = httpx.get(
        f"{url}/api/llamadas/", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return respuesta, time.monotonic() - inicio


def _salud(url: str) -> tuple[httpx.Response, float]:
    inicio = time.monotonic()
    respuesta = httpx.get(f"{url}/salud", timeout=30)
    return respuesta, time.monotonic() - inicio


@requiere_pg
def test_postgresql_colgado_y_luego_caido_responde_503_a_tiempo(tmp_path):
    # Un esquema propio y vacío: el servidor migra y siembra sus usuarios sin depender de lo
    # que otras pruebas dejaron en la base.
    url_pg = base_postgresql_vacia(URL_PG, "bd_colgada")
    destino = urlsplit(url_pg)
    proxy = ProxyTCP((destino.hostname or "127.0.0.1", destino.port or 5432))
    url_proxy = url_pg.replace(destino.netloc, f"{destino.username}@127.0.0.1:{proxy.puerto}")
    entorno = {
        "ENTORNO": "pruebas",
        "SECRET_KEY": "clave-solo-para-pruebas-0123456789abcdef",
        "BCRYPT_RONDAS": "4",
        "SEMBRAR_DEMO": "false",
        "PROGRAMADOR_ACTIVO": "false",
        "DATABASE_URL": url_proxy,
        "PLAZO_PETICION_SEGUNDOS": "2",
        "BD_ESPERA_CONEXION_SEGUNDOS": "1",
        "BD_TIMEOUT_CONEXION_SEGUNDOS": "2",
    }
    registro = tmp_path / "uvicorn.log"
    with ServidorUvicorn(entorno, registro=registro) as servidor:
        cuerpo = {"email": "agente1@example.com", "password": "123456"}
        token = httpx.post(f"{servidor.url}/api/usuarios/login", json=cuerpo).json()
        assert "access_token" in token, token
        token = token["access_token"]
        assert _pedir_lista(servidor.url, token)[0].status_code == 200

        proxy.colgar()  # acepta conexiones y nunca contesta
        with ThreadPoolExecutor(12) as hilos:
            listas = [hilos.submit(_pedir_lista, servidor.url, token) for _ in range(10)]
            time.sleep(0.5)  # las diez ya esperan a la base colgada
            salud, tarda_salud = _salud(servidor.url)
            colgadas = [f.result() for f in listas]
        assert tarda_salud < 2
        assert salud.status_code == 503
        assert salud.json()["estado"] == "degradado"
        assert salud.json()["base_datos"] == "sin_respuesta"
        for respuesta, tarda in colgadas:
            assert respuesta.status_code == 503 and "Retry-After" in respuesta.headers
            assert tarda < 5

        proxy.caer()  # puerto cerrado: conexión rechazada
        caidas = [_pedir_lista(servidor.url, token) for _ in range(20)]
        salud_caida, tarda_salud = _salud(servidor.url)
    for respuesta, tarda in caidas[2:]:  # las primeras pueden esperar a que acabe un hilo colgado
        _afirmar_503(respuesta, "base de datos no está disponible")
        assert tarda < 3
    assert tarda_salud < 2 and salud_caida.status_code == 503
    assert salud_caida.json()["base_datos"] in ("error", "sin_respuesta")
    texto = registro.read_text()
    assert texto.count("Base de datos no disponible") <= 3  # una línea cada 10 s, no 20
    assert "Traceback" not in texto, texto[texto.find("Traceback") - 300 :][:2500]
