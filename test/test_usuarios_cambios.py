"""Usuarios: cambios con PUT y PATCH, lo que cada uno puede cambiar de sí mismo y de otros."""

import pytest

from test.ayudas_api import (
    PASSWORD_NUEVA,
    campos_con_error,
    crear_usuario,
    mensaje_422,
    sin_hash,
)

USUARIOS = "/api/usuarios/"
LOGIN = "/api/usuarios/login"


def _yo(cliente, cabeceras) -> dict:
    return cliente.get("/api/usuarios/me", headers=cabeceras).json()


def _puede_entrar(cliente, email: str, password: str) -> bool:
    respuesta = cliente.post(LOGIN, json={"email": email, "password": password})
    return respuesta.status_code == 200


def test_admin_cambia_con_patch_cualquier_campo_de_otro(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    cambios = {"nombre": "Lucía P.", "email": "LP@example.com", "rol": "Supervisor"}
    respuesta = cliente.patch(f"{USUARIOS}{nuevo['id']}", json=cambios, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert (cuerpo["nombre"], cuerpo["email"], cuerpo["rol"]) == (
        "Lucía P.",
        "lp@example.com",
        "supervisor",
    )
    assert sin_hash(cuerpo)


def test_admin_cambia_la_password_de_otro_sin_la_actual(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    respuesta = cliente.patch(
        f"{USUARIOS}{nuevo['id']}", json={"password": "otra-clave"}, headers=cabeceras("admin")
    )
    assert respuesta.status_code == 200
    assert sin_hash(respuesta.json())
    assert _puede_entrar(cliente, nuevo["email"], "otra-clave")
    assert not _puede_entrar(cliente, nuevo["email"], PASSWORD_NUEVA)


def test_admin_reemplaza_con_put_los_datos_de_otro(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    cuerpo = {"nombre": "Otro Nombre", "email": "otro@example.com", "rol": "agente"}
    respuesta = cliente.put(f"{USUARIOS}{nuevo['id']}", json=cuerpo, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    assert respuesta.json()["nombre"] == "Otro Nombre"
    assert respuesta.json()["email"] == "otro@example.com"
    assert respuesta.json()["activo"] is True


def test_put_sin_campos_obligatorios_da_422_nombrandolos(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    respuesta = cliente.put(
        f"{USUARIOS}{nuevo['id']}", json={"nombre": "X"}, headers=cabeceras("admin")
    )
    assert campos_con_error(respuesta) == {"email", "rol"}


def test_cambiar_correo_a_uno_existente_da_409(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    respuesta = cliente.patch(
        f"{USUARIOS}{nuevo['id']}", json={"email": "Sup@Example.com"}, headers=cabeceras("admin")
    )
    assert respuesta.status_code == 409
    assert respuesta.json() == {"detail": "Ya existe un usuario con el correo sup@example.com"}


@pytest.mark.parametrize("campo", ["nombre", "email", "rol", "activo"])
def test_patch_con_nulo_en_un_campo_obligatorio_da_422(cliente, cabeceras, campo):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    respuesta = cliente.patch(
        f"{USUARIOS}{nuevo['id']}", json={campo: None}, headers=cabeceras("admin")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == f"{campo}: no puede ser nulo"
    leido = cliente.get(f"{USUARIOS}{nuevo['id']}", headers=cabeceras("admin")).json()
    assert leido == nuevo


def test_usuario_cambia_su_propio_nombre(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{USUARIOS}{yo['id']}", json={"nombre": "Agente Renombrado"}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 200
    assert respuesta.json() == {**yo, "nombre": "Agente Renombrado"}


def test_usuario_reemplaza_con_put_su_nombre_reenviando_sus_datos(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("supervisor"))
    cuerpo = {"nombre": "Supervisora Jefa", "email": yo["email"], "rol": yo["rol"]}
    respuesta = cliente.put(f"{USUARIOS}{yo['id']}", json=cuerpo, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    assert respuesta.json()["nombre"] == "Supervisora Jefa"


def test_usuario_cambia_su_password_dando_la_actual(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{USUARIOS}{yo['id']}",
        json={"password": "nueva-clave", "password_actual": PASSWORD_NUEVA},
        headers=cabeceras("agente"),
    )
    assert respuesta.status_code == 200
    assert sin_hash(respuesta.json())
    assert _puede_entrar(cliente, yo["email"], "nueva-clave")
    assert not _puede_entrar(cliente, yo["email"], PASSWORD_NUEVA)


@pytest.mark.parametrize("actual", [None, "clave-equivocada"])
def test_usuario_cambia_su_password_con_la_actual_mal_da_422(cliente, cabeceras, actual):
    yo = _yo(cliente, cabeceras("agente"))
    cuerpo = {"password": "nueva-clave"} | ({"password_actual": actual} if actual else {})
    respuesta = cliente.patch(f"{USUARIOS}{yo['id']}", json=cuerpo, headers=cabeceras("agente"))
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == "password_actual: la contraseña actual no es correcta"
    assert _puede_entrar(cliente, yo["email"], PASSWORD_NUEVA)


def test_admin_cambia_su_propia_password_necesita_la_actual(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("admin"))
    respuesta = cliente.patch(
        f"{USUARIOS}{yo['id']}", json={"password": "nueva-clave"}, headers=cabeceras("admin")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == "password_actual: la contraseña actual no es correcta"


def test_usuario_cambia_su_password_de_mas_de_72_bytes_da_422(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{USUARIOS}{yo['id']}",
        json={"password": "ñ" * 40, "password_actual": PASSWORD_NUEVA},
        headers=cabeceras("agente"),
    )
    assert campos_con_error(respuesta) == {"password"}


@pytest.mark.parametrize(
    ("cambios", "campo"),
    [
        ({"rol": "admin"}, "rol"),
        ({"email": "nuevo@example.com"}, "email"),
        ({"activo": False}, "activo"),
    ],
)
def test_usuario_no_puede_cambiar_su_rol_correo_ni_estado(cliente, cabeceras, cambios, campo):
    yo = _yo(cliente, cabeceras("agente"))
    respuesta = cliente.patch(f"{USUARIOS}{yo['id']}", json=cambios, headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": f"Permiso denegado: solo un administrador puede cambiar {campo}"
    }
    assert _yo(cliente, cabeceras("agente")) == yo


def test_supervisor_no_puede_ascenderse_con_put(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("supervisor"))
    cuerpo = {"nombre": yo["nombre"], "email": yo["email"], "rol": "admin"}
    respuesta = cliente.put(f"{USUARIOS}{yo['id']}", json=cuerpo, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 403
    assert respuesta.json()["detail"] == "Permiso denegado: solo un administrador puede cambiar rol"


@pytest.mark.parametrize("metodo", ["patch", "put"])
@pytest.mark.parametrize("quien", ["agente", "supervisor"])
def test_cambiar_a_otro_usuario_sin_ser_admin_da_403(cliente, cabeceras, metodo, quien):
    otro = crear_usuario(cliente, cabeceras("admin"))
    cuerpo = {"nombre": "Intruso", "email": otro["email"], "rol": "agente"}
    respuesta = getattr(cliente, metodo)(
        f"{USUARIOS}{otro['id']}", json=cuerpo, headers=cabeceras(quien)
    )
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": "Permiso denegado: solo un administrador puede ver o cambiar otros usuarios"
    }


@pytest.mark.parametrize("cambios", [{"rol": "supervisor"}, {"rol": "agente"}, {"activo": False}])
def test_admin_no_puede_degradarse_ni_desactivarse(cliente, cabeceras, cambios):
    yo = _yo(cliente, cabeceras("admin"))
    respuesta = cliente.patch(f"{USUARIOS}{yo['id']}", json=cambios, headers=cabeceras("admin"))
    assert respuesta.status_code == 409
    assert respuesta.json() == {
        "detail": "Un administrador no puede quitarse el rol ni desactivarse a sí mismo"
    }
    assert _yo(cliente, cabeceras("admin")) == yo


def test_admin_no_puede_degradarse_con_put(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("admin"))
    cuerpo = {"nombre": yo["nombre"], "email": yo["email"], "rol": "agente"}
    respuesta = cliente.put(f"{USUARIOS}{yo['id']}", json=cuerpo, headers=cabeceras("admin"))
    assert respuesta.status_code == 409
    assert _yo(cliente, cabeceras("admin"))["rol"] == "admin"


def test_cambiar_usuario_desconocido_da_404(cliente, cabeceras):
    respuesta = cliente.patch(
        f"{USUARIOS}999999", json={"nombre": "Nadie"}, headers=cabeceras("admin")
    )
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Usuario 999999 no encontrado"}


@pytest.mark.parametrize("usuario_id", ["0", str(10**20)])
def test_cambiar_usuario_con_id_no_valido_da_422(cliente, cabeceras, usuario_id):
    respuesta = cliente.patch(
        f"{USUARIOS}{usuario_id}", json={"nombre": "X"}, headers=cabeceras("admin")
    )
    assert campos_con_error(respuesta) == {"usuario_id"}


def test_cambiar_usuario_sin_token_da_401(cliente):
    respuesta = cliente.patch(f"{USUARIOS}1", json={"nombre": "X"})
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"


def test_patch_con_campo_desconocido_no_cambia_nada_ni_falla(cliente, cabeceras):
    yo = _yo(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{USUARIOS}{yo['id']}", json={"password_hash": "x"}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 200
    assert respuesta.json() == yo
    assert _puede_entrar(cliente, yo["email"], PASSWORD_NUEVA)
