"""Límites de cuerpo (413) y de cabeceras (431), aplicados mientras se lee y antes de autenticar."""

import asyncio
import select
import socket
import time

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from config import UN_MIB
from main import opciones_uvicorn
from seguridad import LimitesPeticion
from test.ayudas_api import datos_llamada
from test.conftest import ajustes_de_prueba
from test.servidor_real import servidor_real

LOGIN = "/api/usuarios/login"
DEMASIADO_GRANDE = {"detail": f"El cuerpo de la petición supera el máximo de {UN_MIB} bytes"}
TROZO = 64 * 1024


@pytest.fixture(scope="module")
def puerto(tmp_path_factory):
    """Un uvicorn real con las opciones de main.py y los límites por defecto."""
    ruta = tmp_path_factory.mktemp("limites") / "cc.db"
    with servidor_real(ajustes_de_prueba(database_url=f"sqlite:///{ruta}")) as (_, puerto):
        yield puerto


def _cabecera_http(puerto: int, *lineas: str) -> bytes:
    return "\r\n".join(
        [f"POST {LOGIN} HTTP/1.1", f"Host: 127.0.0.1:{puerto}", *lineas, "", ""]
    ).encode()


def _leer_respuesta(conexion: socket.socket) -> bytes:
    conexion.settimeout(10)
    datos = b""
    while b"\r\n\r\n" not in datos or not datos.rstrip().endswith(b"}"):
        parte = conexion.recv(65536)
        if not parte:
            break
        datos += parte
    return datos


def test_login_anonimo_por_trozos_enorme_da_413_sin_leerse_entero(puerto):
    total = 256 * UN_MIB
    marco = f"{TROZO:x}\r\n".encode() + b"a" * TROZO + b"\r\n"
    with socket.create_connection(("127.0.0.1", puerto)) as conexion:
        conexion.sendall(
            _cabecera_http(puerto, "Content-Type: application/json", "Transfer-Encoding: chunked")
        )
        enviados = 0
        conexion.settimeout(5)
        inicio = time.monotonic()
        try:
            while enviados < total and not select.select([conexion], [], [], 0)[0]:
                conexion.sendall(marco)
                enviados += TROZO
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            pass  # el servidor dejó de leer: el resto del cuerpo ya no cabe en ningún búfer
        respuesta = _leer_respuesta(conexion)
    assert respuesta.startswith(b"HTTP/1.1 413"), respuesta[:200]
    assert b"connection: close" in respuesta.lower()
    assert respuesta.endswith(
        b'{"detail":"El cuerpo de la petici\xc3\xb3n supera el m\xc3\xa1ximo de 1048576 bytes"}'
    )
    # Solo se llegó a enviar el límite más lo que cabe en los búferes del sistema.
    print(f"enviados antes del 413: {enviados} bytes")
    assert enviados < 32 * UN_MIB, enviados
    assert time.monotonic() - inicio < 10


def test_content_length_excesivo_da_413_sin_leer_el_cuerpo(puerto):
    with socket.create_connection(("127.0.0.1", puerto)) as conexion:
        conexion.sendall(
            _cabecera_http(puerto, "Content-Type: application/json", "Content-Length: 500000000")
        )
        respuesta = _leer_respuesta(conexion)
    assert respuesta.startswith(b"HTTP/1.1 413"), respuesta[:200]


def test_cabeceras_de_100_kb_dan_431_en_el_servidor_real(puerto):
    with socket.create_connection(("127.0.0.1", puerto)) as conexion:
        relleno = "X-Relleno: " + "a" * 100_000
        conexion.sendall(_cabecera_http(puerto, "Content-Length: 2", relleno) + b"{}")
        respuesta = _leer_respuesta(conexion)
    assert respuesta.startswith(b"HTTP/1.1 431"), respuesta[:200]
    assert b"Las cabeceras superan el m\xc3\xa1ximo de 16384 bytes" in respuesta


def test_cuerpo_json_mayor_que_el_limite_da_413_antes_de_autenticar(cliente):
    cuerpo = datos_llamada(descripcion="a" * (UN_MIB + 10))
    respuesta = cliente.post("/api/llamadas/", json=cuerpo)
    assert respuesta.status_code == 413
    assert respuesta.json() == DEMASIADO_GRANDE


def test_cabeceras_demasiado_grandes_dan_431_json(cliente):
    respuesta = cliente.get("/api/usuarios/me", headers={"X-Relleno": "a" * 20_000})
    assert respuesta.status_code == 431
    assert respuesta.json() == {"detail": "Las cabeceras superan el máximo de 16384 bytes"}


def test_cuerpo_justo_en_el_limite_pasa(cliente):
    relleno = "a" * (UN_MIB - 60)
    cuerpo = f'{{"email": "sup@example.com", "password": "123456", "x": "{relleno}"}}'
    assert len(cuerpo.encode()) <= UN_MIB
    respuesta = cliente.post(LOGIN, content=cuerpo, headers={"Content-Type": "application/json"})
    assert respuesta.status_code == 200


def _peticion(cuerpos: list[bytes], contador: list[int]):
    async def recibir():
        contador[0] += 1
        body = cuerpos.pop(0) if cuerpos else b"x" * 1000
        return {"type": "http.request", "body": body, "more_body": True}

    return recibir


def _scope(ruta: str = "/api/usuarios/login", cabeceras=()) -> dict:
    return {"type": "http", "method": "POST", "path": ruta, "headers": list(cabeceras)}


async def _app_que_lo_lee_todo(scope, receive, send) -> None:
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _app_que_convierte_el_corte_en_422(scope, receive, send) -> None:
    try:
        await _app_que_lo_lee_todo(scope, receive, send)
    except Exception:
        await send({"type": "http.response.start", "status": 422, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


@pytest.mark.parametrize("app", [_app_que_lo_lee_todo, _app_que_convierte_el_corte_en_422])
def test_un_cuerpo_interminable_se_corta_en_cuanto_pasa_el_limite(app):
    contador = [0]
    enviados: list[dict] = []

    async def enviar(mensaje):
        enviados.append(mensaje)

    middleware = LimitesPeticion(app, max_cuerpo=10_000, max_cabeceras=16_384)
    asyncio.run(middleware(_scope(), _peticion([], contador), enviar))
    assert contador[0] == 11  # diez trozos de 1000 bytes caben; el undécimo pasa y no se pide más
    assert [m.get("status") for m in enviados if m["type"] == "http.response.start"] == [413]


def test_una_ruta_puede_declarar_un_limite_mayor():
    middleware = LimitesPeticion(
        _app_que_lo_lee_todo,
        max_cuerpo=1_000,
        max_cabeceras=16_384,
        limites_por_ruta={"/api/grabaciones": 50_000, "/api/grabaciones/grandes": 90_000},
    )
    assert middleware.limite_cuerpo("/api/llamadas/") == 1_000
    assert middleware.limite_cuerpo("/api/grabaciones/1") == 50_000
    assert middleware.limite_cuerpo("/api/grabaciones/grandes/1") == 90_000


def test_el_limite_por_ruta_se_aplica_a_la_app():
    async def eco(request):
        return JSONResponse({"bytes": len(await request.body())})

    app = Starlette(routes=[Route("/{resto:path}", eco, methods=["POST"])])
    app.add_middleware(
        LimitesPeticion,
        max_cuerpo=1_000,
        max_cabeceras=16_384,
        limites_por_ruta={"/api/grabaciones": 5_000},
    )
    cliente = TestClient(app)
    assert cliente.post("/api/grabaciones/1", content=b"a" * 4_000).json() == {"bytes": 4_000}
    assert cliente.post("/api/otra", content=b"a" * 4_000).status_code == 413
    assert cliente.post("/api/grabaciones/1", content=b"a" * 6_000).status_code == 413


def test_opciones_de_uvicorn_limitan_cabeceras_y_no_creen_en_proxies_por_defecto():
    opciones = opciones_uvicorn(ajustes_de_prueba())
    assert opciones["proxy_headers"] is False
    assert opciones["h11_max_incomplete_event_size"] == 16 * 1024
    con_proxy = opciones_uvicorn(ajustes_de_prueba(trusted_proxies=["10.0.0.5", "10.1.0.0/16"]))
    assert con_proxy["proxy_headers"] is True
    assert con_proxy["forwarded_allow_ips"] == ["10.0.0.5", "10.1.0.0/16"]
