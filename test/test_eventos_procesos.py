"""Eventos entre procesos: apagado rápido con flujos abiertos y dos workers unidos por Redis."""

import asyncio
import os
import signal
import time

import httpx
import psutil
import pytest
from sqlalchemy import Engine

from database import crear_fabrica, crear_motor, migrar
from servicios.semilla import PASSWORD_INICIAL, sembrar_usuarios
from test.ayudas_api import datos_llamada
from test.conftest import ajustes_de_prueba, vaciar
from test.sse import LectorSSE, lanzar_uvicorn, matar_grupo

BASE_PG = os.environ.get("TEST_DATABASE_URL")
REDIS = os.environ.get("TEST_REDIS_URL")


async def _token(http: httpx.AsyncClient, email: str) -> str:
    respuesta = await http.post(
        "/api/usuarios/login", json={"email": email, "password": PASSWORD_INICIAL}
    )
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.json()["access_token"]


def _terminar(proceso) -> float:
    """Envía SIGTERM y devuelve cuántos segundos tardó en salir."""
    inicio = time.monotonic()
    proceso.send_signal(signal.SIGTERM)
    try:
        proceso.wait(timeout=15)
    except Exception:
        matar_grupo(proceso)
        raise
    return time.monotonic() - inicio


def test_apagado_con_flujos_abiertos_es_rapido(tmp_path):
    proceso, url = lanzar_uvicorn({"DATABASE_URL": f"sqlite:///{tmp_path / 'vivo.db'}"})
    try:

        async def escenario() -> float:
            async with httpx.AsyncClient(base_url=url, timeout=10) as http:
                token = await _token(http, "sup@example.com")
                lectores = [LectorSSE(http, token) for _ in range(3)]
                for lector in lectores:
                    await lector.__aenter__()
                segundos = await asyncio.to_thread(_terminar, proceso)
                for lector in lectores:
                    assert await lector.esperar_fin(2)
                    await lector.__aexit__()
                return segundos

        assert asyncio.run(escenario()) < 5
        # uvicorn vuelve a lanzar la señal capturada tras un apagado ordenado.
        assert proceso.returncode in (0, -signal.SIGTERM)
    finally:
        matar_grupo(proceso)


@pytest.fixture
def base_pg() -> Engine:
    """El PostgreSQL de pruebas, migrado, vacío y con los usuarios iniciales."""
    motor = crear_motor(BASE_PG)
    migrar(motor)
    vaciar(motor)
    with crear_fabrica(motor)() as sesion:
        sembrar_usuarios(sesion=sesion, ajustes=ajustes_de_prueba())
    yield motor
    motor.dispose()


def _trabajadores(pid: int) -> list[psutil.Process]:
    """Los workers de uvicorn (no el rastreador de recursos de multiprocessing)."""
    hijos = [
        hijo
        for hijo in psutil.Process(pid).children()
        if "resource_tracker" not in " ".join(hijo.cmdline())
    ]
    assert len(hijos) == 2, [h.cmdline() for h in hijos]
    return hijos


def _pid_de(lector: LectorSSE, trabajadores: list[psutil.Process]) -> int | None:
    """Worker que atiende la conexión del lector (por su puerto local)."""
    for trabajador in trabajadores:
        for conexion in trabajador.net_connections(kind="tcp"):
            if conexion.raddr and conexion.raddr.port == lector.direccion_local[1]:
                return trabajador.pid
    return None


@pytest.mark.skipif(
    not (BASE_PG and REDIS),
    reason="requiere TEST_DATABASE_URL y TEST_REDIS_URL (PostgreSQL y Redis)",
)
def test_dos_workers_comparten_eventos_por_redis(base_pg):
    entorno = {"DATABASE_URL": BASE_PG, "REDIS_URL": REDIS, "CLASIFICACION_AUTOMATICA": "false"}
    proceso, url = lanzar_uvicorn(entorno, "--workers", "2")
    try:

        async def escenario() -> None:
            trabajadores = _trabajadores(proceso.pid)
            async with httpx.AsyncClient(base_url=url, timeout=10) as http:
                token = await _token(http, "sup@example.com")
                lectores, por_pid = [], {}
                # Cada flujo va en su propia conexión: se abren hasta que ambos workers tengan uno.
                while len(por_pid) < 2:
                    assert len(lectores) < 40, f"un solo worker aceptó todo: {por_pid}"
                    lector = LectorSSE(httpx.AsyncClient(base_url=url, timeout=10), token)
                    await lector.__aenter__()
                    lectores.append(lector)
                    pid = _pid_de(lector, trabajadores)
                    por_pid.setdefault(pid, []).append(lector)
                assert set(por_pid) == {t.pid for t in trabajadores}

                enviadas = {}
                for _ in range(6):
                    async with httpx.AsyncClient(base_url=url, timeout=10) as suelto:
                        inicio = time.monotonic()
                        respuesta = await suelto.post(
                            "/api/llamadas/",
                            json=datos_llamada(),
                            headers={"Authorization": f"Bearer {token}"},
                        )
                        assert respuesta.status_code == 201
                        enviadas[respuesta.json()["id"]] = inicio
                ids_evento = set()
                for lector in lectores:
                    for llamada_id, inicio in enviadas.items():
                        evento = await lector.esperar(
                            lambda e, i=llamada_id: (
                                e.tipo == "llamada_creada" and e.datos["id"] == i
                            )
                        )
                        assert evento.instante - inicio < 2.0
                        ids_evento.add((llamada_id, evento.id))
                # El id de cada evento es el mismo en los dos workers (contador global en Redis).
                assert len(ids_evento) == len(enviadas)
                for lector in lectores:
                    await lector.__aexit__()
                    await lector.cliente.aclose()

        asyncio.run(escenario())
        assert _terminar(proceso) < 10
    finally:
        matar_grupo(proceso)


def test_redis_caido_no_frena_ni_rompe_las_peticiones(tmp_path, caplog):
    from fastapi.testclient import TestClient

    from auth import crear_token
    from crud import usuario as crud_usuario
    from main import crear_app

    ajustes = ajustes_de_prueba(
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        redis_url="redis://127.0.0.1:1/0",
        clasificacion_automatica=False,
    )
    app = crear_app(ajustes)
    with TestClient(app) as cliente, caplog.at_level("WARNING", logger="callcenter.eventos"):
        with app.state.fabrica_sesiones() as sesion:
            usuario = crud_usuario.obtener_por_email(sesion=sesion, email="sup@example.com")
            cabeceras = {"Authorization": f"Bearer {crear_token(usuario, ajustes)}"}
        for _ in range(3):
            inicio = time.monotonic()
            respuesta = cliente.post("/api/llamadas/", json=datos_llamada(), headers=cabeceras)
            assert respuesta.status_code == 201
            assert time.monotonic() - inicio < 1
        limite = time.monotonic() + 10
        while "publicar" not in caplog.text and time.monotonic() < limite:
            time.sleep(0.05)
        avisos = [r for r in caplog.records if "(publicar)" in r.getMessage()]
        assert len(avisos) == 1
