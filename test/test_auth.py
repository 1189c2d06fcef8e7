"""Inicio de sesión, cuentas desactivadas, cambios de rol y contraseñas al crear usuarios;
lo que se acepta y se rechaza de un token está en test_auth_tokens.py."""

from datetime import UTC, datetime

import jwt

import servicios.usuarios as servicio_usuarios
from auth import hash_señuelo
from test.ayudas_api import (
    PASSWORD_NUEVA,
    bearer,
    campos_con_error,
    crear_usuario,
    id_usuario,
    sin_hash,
)
from test.conftest import EMAILS, iniciar_sesion

LOGIN = "/api/usuarios/login"
ME = "/api/usuarios/me"
CREDENCIALES_INCORRECTAS = {"detail": "Correo o contraseña incorrectos"}


def test_login_por_formulario_oauth2_devuelve_token_y_usuario(cliente):
    respuesta = cliente.post(LOGIN, data={"username": "sup@example.com", "password": "123456"})
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["token_type"] == "bearer"
    assert cuerpo["usuario"]["email"] == "sup@example.com"
    assert cuerpo["usuario"]["rol"] == "supervisor"
    assert sin_hash(cuerpo)
    me = cliente.get(ME, headers=bearer(cuerpo["access_token"]))
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


def test_usuario_desactivado_no_puede_iniciar_sesion(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"), activo=False)
    respuesta = cliente.post(LOGIN, json={"email": nuevo["email"], "password": PASSWORD_NUEVA})
    assert respuesta.status_code == 401
    assert respuesta.json() == CREDENCIALES_INCORRECTAS


def test_token_de_usuario_desactivado_deja_de_valer(cliente, cabeceras):
    agente = cabeceras("agente")
    agente_id = id_usuario(cliente, agente)
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
        f"/api/usuarios/{id_usuario(cliente, agente)}",
        json={"rol": "supervisor"},
        headers=cabeceras("admin"),
    )
    assert cambio.status_code == 200
    assert cliente.get("/api/usuarios/", headers=agente).status_code == 401
    nuevo = bearer(iniciar_sesion(cliente, EMAILS["agente"]))
    respuesta = cliente.get("/api/usuarios/", headers=nuevo)
    assert respuesta.status_code == 200
    assert len(respuesta.json()) == 3


def test_degradacion_de_rol_tiene_efecto_inmediato(cliente, cabeceras):
    supervisor = cabeceras("supervisor")
    assert cliente.get("/api/usuarios/", headers=supervisor).status_code == 200
    cambio = cliente.patch(
        f"/api/usuarios/{id_usuario(cliente, supervisor)}",
        json={"rol": "agente"},
        headers=cabeceras("admin"),
    )
    assert cambio.status_code == 200
    assert cliente.get("/api/usuarios/", headers=supervisor).status_code == 401
    nuevo = bearer(iniciar_sesion(cliente, EMAILS["supervisor"]))
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
