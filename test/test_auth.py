"""Inicio de sesión, /me y tokens: qué se acepta, qué se rechaza y con qué respuesta."""

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

import servicios.usuarios as servicio_usuarios
from auth import hash_señuelo
from test.ayudas_api import PASSWORD_NUEVA, campos_con_error, crear_usuario, sin_hash
from test.conftest import EMAILS, iniciar_sesion

LOGIN = "/api/usuarios/login"
ME = "/api/usuarios/me"
CREDENCIALES_INCORRECTAS = {"detail": "Correo o contraseña incorrectos"}
TOKEN_INVALIDO = {"detail": "Token inválido"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(app, **datos) -> str:
    """Token firmado con la clave de la app y los datos dados."""
    return jwt.encode(datos, app.state.ajustes.secret_key, algorithm="HS256")


def _id_de(cliente, cabeceras) -> int:
    return cliente.get(ME, headers=cabeceras).json()["id"]


def _b64(datos: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(datos).encode()).rstrip(b"=").decode()


def test_login_por_formulario_oauth2_devuelve_token_y_usuario(cliente):
    respuesta = cliente.post(LOGIN, data={"username": "sup@example.com", "password": "123456"})
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["token_type"] == "bearer"
    assert cuerpo["usuario"]["email"] == "sup@example.com"
    assert cuerpo["usuario"]["rol"] == "supervisor"
    assert sin_hash(cuerpo)
    me = cliente.get(ME, headers=_bearer(cuerpo["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == "sup@example.com"


def test_login_por_json_devuelve_token_y_usuario(cliente):
    respuesta = cliente.post(LOGIN, json={"email": "admin@example.com", "password": "123456"})
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["usuario"]["rol"] == "admin"
    assert cuerpo["expira_en"] > 0
    assert sin_hash(cuerpo)


def test_login_no_distingue_mayusculas_ni_espacios_en_el_correo(cliente):
    respuesta = cliente.post(LOGIN, json={"email": " SUP@Example.COM ", "password": "123456"})
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario"]["email"] == "sup@example.com"


def test_token_lleva_sub_rol_y_exp(cliente, app):
    respuesta = cliente.post(LOGIN, json={"email": "sup@example.com", "password": "123456"})
    datos = jwt.decode(
        respuesta.json()["access_token"], app.state.ajustes.secret_key, algorithms=["HS256"]
    )
    assert datos["sub"] == str(respuesta.json()["usuario"]["id"])
    assert datos["rol"] == "supervisor"
    assert datos["exp"] > datetime.now(UTC).timestamp()


def test_login_email_desconocido_y_password_erronea_dan_el_mismo_401(cliente):
    desconocido = cliente.post(LOGIN, json={"email": "nadie@example.com", "password": "123456"})
    erronea = cliente.post(LOGIN, json={"email": "sup@example.com", "password": "otra-clave"})
    for respuesta in (desconocido, erronea):
        assert respuesta.status_code == 401
        assert respuesta.json() == CREDENCIALES_INCORRECTAS
        assert respuesta.headers["WWW-Authenticate"] == "Bearer"


def test_login_email_desconocido_comprueba_el_hash_señuelo(cliente, app, monkeypatch):
    hashes_usados = []
    original = servicio_usuarios.verificar_password

    def _espia(password: str, password_hash: str) -> bool:
        hashes_usados.append(password_hash)
        return original(password, password_hash)

    monkeypatch.setattr(servicio_usuarios, "verificar_password", _espia)
    respuesta = cliente.post(LOGIN, json={"email": "nadie@example.com", "password": "123456"})
    assert respuesta.status_code == 401
    assert hashes_usados == [hash_señuelo(app.state.ajustes.bcrypt_rondas)]


def test_login_sin_password_da_422_nombrando_el_campo(cliente):
    respuesta = cliente.post(LOGIN, json={"email": "sup@example.com"})
    assert campos_con_error(respuesta) == {"password"}
    assert respuesta.json()["detail"][0]["msg"] == "password: es obligatorio"


def test_login_formulario_sin_username_da_422(cliente):
    respuesta = cliente.post(LOGIN, data={"password": "123456"})
    assert campos_con_error(respuesta) == {"email"}


def test_login_con_password_de_mas_de_72_bytes_da_401(cliente):
    respuesta = cliente.post(LOGIN, json={"email": "sup@example.com", "password": "ñ" * 40})
    assert respuesta.status_code == 401
    assert respuesta.json() == CREDENCIALES_INCORRECTAS


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
    usuario_id = _id_de(cliente, cabeceras("agente"))
    caducado = _token(
        app, sub=str(usuario_id), sello="x", exp=datetime.now(UTC) - timedelta(minutes=1)
    )
    respuesta = cliente.get(ME, headers=_bearer(caducado))
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert respuesta.json() == {"detail": "El token ha caducado; inicia sesión de nuevo"}


def test_un_token_ya_usado_caduca_igual_a_su_hora(cliente, app, cabeceras):
    """La firma de un token se comprueba una vez por proceso; el plazo, en cada petición."""
    usuario_id = _id_de(cliente, cabeceras("agente"))
    sello = jwt.decode(
        cabeceras("agente")["Authorization"].removeprefix("Bearer "),
        options={"verify_signature": False},
    )["sello"]
    caduca = int(time.time()) + 2
    token = _token(app, sub=str(usuario_id), sello=sello, exp=caduca)
    assert cliente.get(ME, headers=_bearer(token)).status_code == 200
    assert cliente.get(ME, headers=_bearer(token)).status_code == 200
    time.sleep(max(0.0, caduca - time.time()) + 0.05)
    respuesta = cliente.get(ME, headers=_bearer(token))
    assert respuesta.status_code == 401
    assert respuesta.json() == {"detail": "El token ha caducado; inicia sesión de nuevo"}


def test_me_con_firma_alterada_da_401(cliente, cabeceras):
    agente_id = _id_de(cliente, cabeceras("agente"))
    admin_id = _id_de(cliente, cabeceras("admin"))
    cabecera, _, firma = cabeceras("agente")["Authorization"].removeprefix("Bearer ").split(".")
    datos = {"sub": str(admin_id), "rol": "admin", "exp": 4_000_000_000}
    assert agente_id != admin_id
    respuesta = cliente.get(ME, headers=_bearer(f"{cabecera}.{_b64(datos)}.{firma}"))
    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


def test_me_con_token_de_otra_clave_da_401(cliente, cabeceras):
    usuario_id = _id_de(cliente, cabeceras("admin"))
    falso = jwt.encode(
        {"sub": str(usuario_id), "exp": datetime.now(UTC) + timedelta(hours=1)},
        "otra-clave-que-no-es-la-de-la-app-000000",
        algorithm="HS256",
    )
    respuesta = cliente.get(ME, headers=_bearer(falso))
    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


def test_me_con_token_alg_none_da_401(cliente, cabeceras):
    usuario_id = _id_de(cliente, cabeceras("admin"))
    sin_firma = jwt.encode(
        {"sub": str(usuario_id), "exp": datetime.now(UTC) + timedelta(hours=1)},
        None,
        algorithm="none",
    )
    respuesta = cliente.get(ME, headers=_bearer(sin_firma))
    assert respuesta.status_code == 401
    assert respuesta.json() == TOKEN_INVALIDO


@pytest.mark.parametrize(
    "datos",
    [{"sub": "1"}, {"exp": 4_000_000_000}, {"sub": "uno", "exp": 4_000_000_000}],
    ids=["sin_exp", "sin_sub", "sub_no_numerico"],
)
def test_me_con_token_sin_exp_o_sub_valido_da_401(cliente, app, datos):
    respuesta = cliente.get(ME, headers=_bearer(_token(app, **datos)))
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
    respuesta = cliente.get(ME, headers=_bearer(token))
    assert respuesta.status_code == 401
    assert respuesta.json() == {"detail": "El usuario del token no existe o está desactivado"}


def test_usuario_desactivado_no_puede_iniciar_sesion(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"), activo=False)
    respuesta = cliente.post(LOGIN, json={"email": nuevo["email"], "password": PASSWORD_NUEVA})
    assert respuesta.status_code == 401
    assert respuesta.json() == CREDENCIALES_INCORRECTAS


def test_token_de_usuario_desactivado_deja_de_valer(cliente, cabeceras):
    agente = cabeceras("agente")
    agente_id = _id_de(cliente, agente)
    cambio = cliente.patch(
        f"/api/usuarios/{agente_id}", json={"activo": False}, headers=cabeceras("admin")
    )
    assert cambio.status_code == 200
    assert cambio.json()["activo"] is False
    respuesta = cliente.get("/api/llamadas/", headers=agente)
    assert respuesta.status_code == 401
    assert respuesta.json() == {"detail": "El usuario del token no existe o está desactivado"}


def test_ascenso_de_rol_tiene_efecto_inmediato_con_un_token_nuevo(cliente, cabeceras):
    agente = cabeceras("agente")
    assert cliente.get("/api/usuarios/", headers=agente).status_code == 403
    cambio = cliente.patch(
        f"/api/usuarios/{_id_de(cliente, agente)}",
        json={"rol": "supervisor"},
        headers=cabeceras("admin"),
    )
    assert cambio.status_code == 200
    assert cliente.get("/api/usuarios/", headers=agente).status_code == 401
    nuevo = _bearer(iniciar_sesion(cliente, EMAILS["agente"]))
    respuesta = cliente.get("/api/usuarios/", headers=nuevo)
    assert respuesta.status_code == 200
    assert len(respuesta.json()) == 3


def test_degradacion_de_rol_tiene_efecto_inmediato(cliente, cabeceras):
    supervisor = cabeceras("supervisor")
    assert cliente.get("/api/usuarios/", headers=supervisor).status_code == 200
    cambio = cliente.patch(
        f"/api/usuarios/{_id_de(cliente, supervisor)}",
        json={"rol": "agente"},
        headers=cabeceras("admin"),
    )
    assert cambio.status_code == 200
    assert cliente.get("/api/usuarios/", headers=supervisor).status_code == 401
    nuevo = _bearer(iniciar_sesion(cliente, EMAILS["supervisor"]))
    respuesta = cliente.get("/api/usuarios/", headers=nuevo)
    assert respuesta.status_code == 403
    assert respuesta.json()["detail"].startswith("Permiso denegado")


def test_crear_usuario_con_password_de_60_bytes_utf8_permite_entrar(cliente, cabeceras):
    password = "ñ" * 30
    nuevo = crear_usuario(cliente, cabeceras("admin"), password=password)
    respuesta = cliente.post(LOGIN, json={"email": nuevo["email"], "password": password})
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario"]["id"] == nuevo["id"]


def test_crear_usuario_con_password_de_80_bytes_utf8_da_422(cliente, cabeceras):
    respuesta = cliente.post(
        "/api/usuarios/",
        json={"nombre": "Largo", "email": "largo@example.com", "password": "ñ" * 40},
        headers=cabeceras("admin"),
    )
    assert campos_con_error(respuesta) == {"password"}
    assert respuesta.json()["detail"][0]["msg"] == "password: no puede superar 72 bytes en UTF-8"


def test_crear_usuario_con_password_corta_da_422(cliente, cabeceras):
    respuesta = cliente.post(
        "/api/usuarios/",
        json={"nombre": "Corto", "email": "corto@example.com", "password": "12345"},
        headers=cabeceras("admin"),
    )
    assert campos_con_error(respuesta) == {"password"}
    assert "al menos 6" in respuesta.json()["detail"][0]["msg"]
