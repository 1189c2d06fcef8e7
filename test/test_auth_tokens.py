"""Tokens en /me: qué se acepta y qué se rechaza (sin token, malformado, caducado, firma
alterada, otra clave, alg=none, campos que faltan, usuario borrado o inexistente)."""

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from test.ayudas_api import bearer, crear_usuario, id_usuario

ME = "/api/usuarios/me"
TOKEN_INVALIDO = {"detail": "Token inválido"}


def _token(app, **datos) -> str:
    """Token firmado con la clave de la app y los datos dados."""
    return jwt.encode(datos, app.state.ajustes.secret_key, algorithm="HS256")


def _b64(datos: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(datos).encode()).rstrip(b"=").decode()


def test_me_sin_token_da_401(cliente):
    respuesta = cliente.get(ME)
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert "Falta el token" in respuesta.json()["detail"]


@pytest.mark.parametrize(
    ("autorizacion", "mensaje"),
    [
        ("Bearer abc", "Token inválido"),
        ("Bearer a.b.c", "Token inválido"),
        ("Bearer eyJhbGciOiJIUzI1NiJ9.e30.", "Token inválido"),
        ("Bearer ", "Falta el token: envía 'Authorization: Bearer <token>'"),
        ("Basic c3VwOjEyMzQ1Ng==", "Falta el token: envía 'Authorization: Bearer <token>'"),
    ],
)
def test_me_con_token_malformado_da_401(cliente, autorizacion, mensaje):
    respuesta = cliente.get(ME, headers={"Authorization": autorizacion})
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert respuesta.json() == {"detail": mensaje}


def test_me_con_token_caducado_da_401(cliente, app, cabeceras):
    usuario_id = id_usuario(cliente, cabeceras("agente"))
    caducado = _token(
        app, sub=str(usuario_id), sello="x", exp=datetime.now(UTC) - timedelta(minutes=1)
    )
    respuesta = cliente.get(ME, headers=bearer(caducado))
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert respuesta.json() == {"detail": "El token ha caducado; inicia sesión de nuevo"}


def test_un_token_ya_usado_caduca_igual_a_su_hora(cliente, app, cabeceras):
    """La firma de un token se comprueba una vez por proceso; el plazo, en cada petición."""
    usuario_id = id_usuario(cliente, cabeceras("agente"))
    sello = jwt.decode(
        cabeceras("agente")["Authorization"].removeprefix("Bearer "),
        options={"verify_signature": False},
    )["sello"]
    caduca = int(time.time()) + 2
    token = _token(app, sub=str(usuario_id), sello=sello, exp=caduca)
    assert cliente.get(ME, headers=bearer(token)).status_code == 200
    assert cliente.get(ME, headers=bearer(token)).status_code == 200
    time.sleep(max(0.0, caduca - time.time()) + 0.05)
    respuesta = cliente.get(ME, headers=bearer(token))
    assert respuesta.status_code == 401
    assert respuesta.json() == {"detail": "El token ha caducado; inicia sesión de nuevo"}


def test_me_con_firma_alterada_da_401(cliente, cabeceras):
    agente_id = id_usuario(cliente, cabeceras("agente"))
    admin_id = id_usuario(cliente, cabeceras("admin"))
    cabecera, _, firma = cabeceras("agente")["Authorization"].removeprefix("Bearer ").split(".")
    datos = {"sub": str(admin_id), "rol": "admin", "exp": 4_000_000_000}
    assert agente_id != admin_id
    respuesta = cliente.get(ME, headers=bearer(f"{cabecera}.{_b64(datos)}.{firma}"))
    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


@pytest.mark.parametrize(
    ("clave", "algoritmo"),
    [("otra-clave-que-no-es-la-de-la-app-000000", "HS256"), (None, "none")],
    ids=["otra_clave", "alg_none"],
)
def test_me_con_token_mal_firmado_da_401(cliente, cabeceras, clave, algoritmo):
    usuario_id = id_usuario(cliente, cabeceras("admin"))
    falso = jwt.encode(
        {"sub": str(usuario_id), "exp": datetime.now(UTC) + timedelta(hours=1)},
        clave,
        algorithm=algoritmo,
    )
    respuesta = cliente.get(ME, headers=bearer(falso))
    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


@pytest.mark.parametrize(
    "datos",
    [{"sub": "1"}, {"exp": 4_000_000_000}, {"sub": "uno", "exp": 4_000_000_000}],
    ids=["sin_exp", "sin_sub", "sub_no_numerico"],
)
def test_me_con_token_sin_exp_o_sub_valido_da_401(cliente, app, datos):
    respuesta = cliente.get(ME, headers=bearer(_token(app, **datos)))
    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


def test_token_de_usuario_borrado_da_401(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    cabeceras_nuevo = cabeceras(nuevo["email"])
    borrado = cliente.delete(f"/api/usuarios/{nuevo['id']}", headers=cabeceras("admin"))
    assert borrado.status_code == 204
    respuesta = cliente.get(ME, headers=cabeceras_nuevo)
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert respuesta.json() == {"detail": "El usuario del token no existe o está desactivado"}


def test_token_de_id_inexistente_da_401(cliente, app):
    token = _token(app, sub="999999", sello="x", exp=4_000_000_000)
    respuesta = cliente.get(ME, headers=bearer(token))
    assert respuesta.status_code == 401
    assert respuesta.json() == {"detail": "El usuario del token no existe o está desactivado"}
