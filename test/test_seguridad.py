"""Credenciales iniciales, clave de firma, sello de los tokens e ids que nunca se reutilizan."""

import itertools
import logging
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from config import CLAVE_DE_EJEMPLO
from main import crear_app
from modelos import Usuario
from servicios.semilla import ArranqueInseguro
from test.ayudas_api import PASSWORD_NUEVA, bearer, crear_llamada, crear_usuario, id_usuario
from test.conftest import EMAILS, ajustes_de_prueba, iniciar_sesion

ME = "/api/usuarios/me"
USUARIOS = "/api/usuarios/"
PASSWORD_PROPIA = "una-clave-larga-y-propia"


def _login(cliente: TestClient, email: str, password: str = "123456") -> int:
    respuesta = cliente.post("/api/usuarios/login", json={"email": email, "password": password})
    return respuesta.status_code


def _arrancar(ruta, **cambios) -> TestClient:
    """Cliente de una app nueva sobre el fichero SQLite indicado (se arranca al entrar)."""
    return TestClient(crear_app(ajustes_de_prueba(database_url=f"sqlite:///{ruta}", **cambios)))


def test_usuarios_iniciales_renombrados_o_borrados_no_vuelven_al_reiniciar(tmp_path):
    ruta = tmp_path / "cc.db"
    with _arrancar(ruta) as cliente:
        admin = bearer(iniciar_sesion(cliente, EMAILS["admin"]))
        admin_id = id_usuario(cliente, admin)
        agente_id = id_usuario(cliente, bearer(iniciar_sesion(cliente, EMAILS["agente"])))
        renombrado = cliente.patch(
            f"{USUARIOS}{admin_id}", json={"email": "jefa@example.com"}, headers=admin
        )
        assert renombrado.status_code == 200
        admin = bearer(iniciar_sesion(cliente, "jefa@example.com"))
        assert cliente.delete(f"{USUARIOS}{agente_id}", headers=admin).status_code == 204
    with _arrancar(ruta) as cliente:
        assert _login(cliente, EMAILS["admin"]) == 401
        assert _login(cliente, EMAILS["agente"]) == 401
        assert _login(cliente, "jefa@example.com") == 200
        with cliente.app.state.fabrica_sesiones() as sesion:
            correos = set(sesion.scalars(select(Usuario.email)))
        assert correos == {"jefa@example.com", EMAILS["supervisor"]}


def test_produccion_no_siembra_usuarios_con_la_password_de_ejemplo(tmp_path):
    with pytest.raises(ArranqueInseguro, match="PASSWORD_INICIAL") as error:
        with _arrancar(tmp_path / "cc.db", entorno="produccion"):
            pass
    assert "123456" in str(error.value)
    with _arrancar(tmp_path / "cc.db", entorno="desarrollo", sembrar_usuarios=False) as cliente:
        with cliente.app.state.fabrica_sesiones() as sesion:
            assert sesion.scalar(select(func.count(Usuario.id))) == 0


def test_produccion_con_password_inicial_propia_arranca_y_123456_no_entra(tmp_path):
    with _arrancar(
        tmp_path / "cc.db", entorno="produccion", password_inicial=PASSWORD_PROPIA
    ) as cliente:
        assert _login(cliente, EMAILS["admin"], PASSWORD_PROPIA) == 200
        assert _login(cliente, EMAILS["admin"]) == 401


def test_produccion_no_arranca_mientras_una_cuenta_sembrada_entre_con_123456(tmp_path):
    ruta = tmp_path / "cc.db"
    with _arrancar(ruta) as cliente:
        admin = bearer(iniciar_sesion(cliente, EMAILS["admin"]))
        for quien in ("admin", "supervisor"):
            usuario_id = id_usuario(cliente, bearer(iniciar_sesion(cliente, EMAILS[quien])))
            cambio = cliente.patch(
                f"{USUARIOS}{usuario_id}",
                json={"password": PASSWORD_PROPIA, "password_actual": "123456"}
                if quien == "admin"
                else {"password": PASSWORD_PROPIA},
                headers=admin,
            )
            assert cambio.status_code == 200, cambio.text
            admin = bearer(iniciar_sesion(cliente, EMAILS["admin"], PASSWORD_PROPIA))
    with pytest.raises(ArranqueInseguro) as error:
        with _arrancar(ruta, entorno="produccion"):
            pass
    assert EMAILS["agente"] in str(error.value)
    assert EMAILS["admin"] not in str(error.value)
    with _arrancar(ruta) as cliente:
        admin = bearer(iniciar_sesion(cliente, EMAILS["admin"], PASSWORD_PROPIA))
        agente_id = id_usuario(cliente, bearer(iniciar_sesion(cliente, EMAILS["agente"])))
        baja = cliente.patch(f"{USUARIOS}{agente_id}", json={"activo": False}, headers=admin)
        assert baja.status_code == 200
    with _arrancar(ruta, entorno="produccion") as cliente:
        assert _login(cliente, EMAILS["admin"], PASSWORD_PROPIA) == 200


def test_desarrollo_avisa_en_el_registro_de_la_clave_y_la_password_de_ejemplo(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="callcenter.semilla"):
        with _arrancar(tmp_path / "cc.db", entorno="desarrollo", secret_key=CLAVE_DE_EJEMPLO):
            pass
    avisos = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("SECRET_KEY" in aviso for aviso in avisos), avisos
    assert any("123456" in aviso for aviso in avisos), avisos


def test_token_firmado_con_la_clave_de_ejemplo_no_vale_con_otra_clave(cliente, sesion_bd, app):
    assert app.state.ajustes.secret_key != CLAVE_DE_EJEMPLO
    admin = sesion_bd.scalar(select(Usuario).where(Usuario.email == EMAILS["admin"]))
    datos = {
        "sub": str(admin.id),
        "rol": "admin",
        "sello": admin.sello,
        "exp": datetime.now(UTC) + timedelta(hours=1),
    }
    falso = jwt.encode(datos, CLAVE_DE_EJEMPLO, algorithm="HS256")
    respuesta = cliente.get(USUARIOS, headers=bearer(falso))
    assert respuesta.status_code == 401
    assert respuesta.json() == {"detail": "Token inválido"}


def test_token_sin_sello_no_vale(cliente, sesion_bd, app):
    admin = sesion_bd.scalar(select(Usuario).where(Usuario.email == EMAILS["admin"]))
    datos = {"sub": str(admin.id), "exp": datetime.now(UTC) + timedelta(hours=1)}
    token = jwt.encode(datos, app.state.ajustes.secret_key, algorithm="HS256")
    respuesta = cliente.get(ME, headers=bearer(token))
    assert (respuesta.status_code, respuesta.json()) == (401, {"detail": "Token inválido"})


@pytest.mark.parametrize(
    "cambio",
    [
        {"password": "otra-clave-nueva"},
        {"rol": "supervisor"},
        {"activo": False},
        {"email": "nuevo-correo@example.com"},
    ],
    ids=["reset_de_password", "cambio_de_rol", "desactivacion", "cambio_de_correo"],
)
def test_un_cambio_de_acceso_hecho_por_un_admin_invalida_los_tokens_al_momento(
    cliente, cabeceras, cambio
):
    agente = cabeceras("agente")
    agente_id = id_usuario(cliente, agente)
    respuesta = cliente.patch(f"{USUARIOS}{agente_id}", json=cambio, headers=cabeceras("admin"))
    assert respuesta.status_code == 200, respuesta.text
    # También en la lista de llamadas, que comprueba el token por su propio camino (Core, en
    # el mismo salto a un hilo que la consulta).
    for ruta in (ME, "/api/llamadas/?limit=5"):
        rechazo = cliente.get(ruta, headers=agente)
        assert rechazo.status_code == 401, ruta
        assert rechazo.headers["WWW-Authenticate"] == "Bearer"


def test_cambiar_la_propia_password_invalida_los_tokens_anteriores(cliente, cabeceras):
    agente = cabeceras("agente")
    otro_token = bearer(iniciar_sesion(cliente, EMAILS["agente"]))
    cambio = cliente.patch(
        f"{USUARIOS}{id_usuario(cliente, agente)}",
        json={"password": "mi-clave-nueva", "password_actual": "123456"},
        headers=agente,
    )
    assert cambio.status_code == 200
    rutas = (ME, "/api/llamadas/", "/api/clasificaciones-ia/")
    for viejo, ruta in itertools.product((agente, otro_token), rutas):
        respuesta = cliente.get(ruta, headers=viejo)
        assert respuesta.status_code == 401
        assert respuesta.json() == {
            "detail": "El token ya no es válido: la cuenta cambió; inicia sesión de nuevo"
        }
    nuevo = bearer(iniciar_sesion(cliente, EMAILS["agente"], "mi-clave-nueva"))
    assert cliente.get(ME, headers=nuevo).json()["email"] == EMAILS["agente"]


def test_cambiar_solo_el_nombre_no_invalida_el_token(cliente, cabeceras):
    agente = cabeceras("agente")
    cambio = cliente.patch(
        f"{USUARIOS}{id_usuario(cliente, agente)}", json={"nombre": "Otro"}, headers=agente
    )
    assert cambio.status_code == 200
    assert cliente.get(ME, headers=agente).json()["nombre"] == "Otro"


def test_baja_con_historial_invalida_los_tokens(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    suyo = cabeceras(nuevo["email"])
    crear_llamada(cliente, suyo)
    assert cliente.delete(f"{USUARIOS}{nuevo['id']}", headers=cabeceras("admin")).status_code == 204
    assert cliente.get(ME, headers=suyo).status_code == 401
    for ruta in ("/api/llamadas/", "/api/clasificaciones-ia/"):
        assert cliente.get(ruta, headers=suyo).status_code == 401


def test_el_token_de_un_usuario_borrado_nunca_actua_como_el_siguiente(cliente, cabeceras):
    admin = cabeceras("admin")
    borrado = crear_usuario(cliente, admin, email="borrado@example.com")
    token_viejo = cabeceras("borrado@example.com")
    assert cliente.delete(f"{USUARIOS}{borrado['id']}", headers=admin).status_code == 204
    nuevo = crear_usuario(cliente, admin, email="jefe@example.com", rol="admin")
    assert nuevo["id"] > borrado["id"]
    respuesta = cliente.get(USUARIOS, headers=token_viejo)
    assert respuesta.status_code == 401
    assert cliente.get(ME, headers=cabeceras("jefe@example.com")).json()["id"] == nuevo["id"]
    assert _login(cliente, "jefe@example.com", PASSWORD_NUEVA) == 200


def test_el_id_de_una_llamada_borrada_no_se_reutiliza(cliente, cabeceras):
    primera = crear_llamada(cliente, cabeceras("agente"))
    borrada = crear_llamada(cliente, cabeceras("agente"))
    borrado = cliente.delete(f"/api/llamadas/{borrada['id']}", headers=cabeceras("supervisor"))
    assert borrado.status_code == 204
    siguiente = crear_llamada(cliente, cabeceras("agente"))
    assert siguiente["id"] > borrada["id"] > primera["id"]
