"""Usuarios: listar, crear, leer y borrar, con sus permisos y errores."""

import pytest
from sqlalchemy import select

from modelos.llamada import Llamada
from modelos.usuario import Usuario
from test.ayudas_api import (
    campos_con_error,
    crear_llamada,
    crear_usuario,
    datos_usuario,
    sin_hash,
)

USUARIOS = "/api/usuarios/"


def test_listar_usuarios_como_supervisor_devuelve_los_tres_iniciales(cliente, cabeceras):
    respuesta = cliente.get(USUARIOS, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    correos = [u["email"] for u in respuesta.json()]
    assert sorted(correos) == ["admin@example.com", "agente1@example.com", "sup@example.com"]
    assert respuesta.headers["X-Total-Count"] == "3"
    assert sin_hash(respuesta.json())


def test_listar_usuarios_como_admin_da_200(cliente, cabeceras):
    respuesta = cliente.get(USUARIOS, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    assert len(respuesta.json()) == 3


def test_listar_usuarios_como_agente_da_403(cliente, cabeceras):
    respuesta = cliente.get(USUARIOS, headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": "Permiso denegado: esta operación requiere el rol admin, supervisor"
    }


def test_listar_usuarios_sin_token_da_401(cliente):
    respuesta = cliente.get(USUARIOS)
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("rol", ["supervisor", "Supervisor", "SUPERVISOR"])
def test_listar_usuarios_filtra_por_rol(cliente, cabeceras, rol):
    respuesta = cliente.get(USUARIOS, params={"rol": rol}, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    assert [u["email"] for u in respuesta.json()] == ["sup@example.com"]
    assert respuesta.headers["X-Total-Count"] == "1"


def test_listar_usuarios_con_rol_desconocido_da_422(cliente, cabeceras):
    respuesta = cliente.get(USUARIOS, params={"rol": "jefe"}, headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"rol"}
    assert "se admite" in respuesta.json()["detail"][0]["msg"]


def test_listar_usuarios_filtra_por_activo(cliente, cabeceras):
    inactivo = crear_usuario(cliente, cabeceras("admin"), activo=False)
    admin = cabeceras("admin")
    inactivos = cliente.get(USUARIOS, params={"activo": "false"}, headers=admin)
    activos = cliente.get(USUARIOS, params={"activo": "true"}, headers=admin)
    assert [u["id"] for u in inactivos.json()] == [inactivo["id"]]
    assert inactivos.headers["X-Total-Count"] == "1"
    assert len(activos.json()) == 3
    assert all(u["activo"] for u in activos.json())


@pytest.mark.parametrize("buscar", ["lucía", "LUCIA@", "example.com"])
def test_listar_usuarios_busca_por_nombre_o_correo(cliente, cabeceras, buscar):
    crear_usuario(cliente, cabeceras("admin"))
    respuesta = cliente.get(USUARIOS, params={"buscar": buscar}, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    correos = {u["email"] for u in respuesta.json()}
    assert "lucia@example.com" in correos
    assert int(respuesta.headers["X-Total-Count"]) == len(correos)


@pytest.mark.parametrize("buscar", ["%", "_", "a%e", "\\"])
def test_listar_usuarios_buscar_trata_comodines_como_texto(cliente, cabeceras, buscar):
    respuesta = cliente.get(USUARIOS, params={"buscar": buscar}, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    assert respuesta.json() == []
    assert respuesta.headers["X-Total-Count"] == "0"


def test_listar_usuarios_pagina_con_skip_y_limit(cliente, cabeceras):
    admin = cabeceras("admin")
    for n in range(4):
        crear_usuario(cliente, admin, email=f"u{n}@example.com")
    todos = cliente.get(USUARIOS, headers=admin).json()
    pagina = cliente.get(USUARIOS, params={"skip": 2, "limit": 3}, headers=admin)
    assert pagina.status_code == 200
    assert pagina.json() == todos[2:5]
    assert pagina.headers["X-Total-Count"] == "7"
    assert todos[0]["email"] == "u3@example.com"


@pytest.mark.parametrize(
    ("parametros", "campo"),
    [({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"skip": -1}, "skip")],
)
def test_listar_usuarios_con_paginacion_fuera_de_rango_da_422(
    cliente, cabeceras, parametros, campo
):
    respuesta = cliente.get(USUARIOS, params=parametros, headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {campo}


def test_crear_usuario_como_admin_da_201(cliente, cabeceras):
    respuesta = cliente.post(
        USUARIOS, json=datos_usuario(email="Lucia@Example.COM"), headers=cabeceras("admin")
    )
    assert respuesta.status_code == 201
    cuerpo = respuesta.json()
    assert cuerpo["email"] == "lucia@example.com"
    assert cuerpo["nombre"] == "Lucía Pérez"
    assert cuerpo["rol"] == "agente"
    assert cuerpo["activo"] is True
    assert sin_hash(cuerpo)
    leido = cliente.get(f"{USUARIOS}{cuerpo['id']}", headers=cabeceras("admin"))
    assert leido.json() == cuerpo


@pytest.mark.parametrize(("rol", "canonico"), [("Supervisor", "supervisor"), ("ADMIN", "admin")])
def test_crear_usuario_acepta_el_rol_en_mayusculas(cliente, cabeceras, rol, canonico):
    nuevo = crear_usuario(cliente, cabeceras("admin"), rol=rol)
    assert nuevo["rol"] == canonico


def test_crear_usuario_con_correo_repetido_en_otras_mayusculas_da_409(cliente, cabeceras):
    respuesta = cliente.post(
        USUARIOS, json=datos_usuario(email="SUP@example.com"), headers=cabeceras("admin")
    )
    assert respuesta.status_code == 409
    assert respuesta.json() == {"detail": "Ya existe un usuario con el correo sup@example.com"}


@pytest.mark.parametrize("email", ["no-es-un-correo", "a@", "@example.com", ""])
def test_crear_usuario_con_correo_invalido_da_422(cliente, cabeceras, email):
    respuesta = cliente.post(USUARIOS, json=datos_usuario(email=email), headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"email"}
    assert respuesta.json()["detail"][0]["msg"] == "email: no es un correo electrónico válido"


def test_crear_usuario_con_rol_desconocido_da_422(cliente, cabeceras):
    respuesta = cliente.post(USUARIOS, json=datos_usuario(rol="jefe"), headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"rol"}


def test_crear_usuario_sin_campos_obligatorios_da_422_nombrandolos(cliente, cabeceras):
    respuesta = cliente.post(USUARIOS, json={}, headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"nombre", "email", "password"}


def test_crear_usuario_con_nombre_en_blanco_da_422(cliente, cabeceras):
    respuesta = cliente.post(USUARIOS, json=datos_usuario(nombre="   "), headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"nombre"}


@pytest.mark.parametrize("quien", ["agente", "supervisor"])
def test_crear_usuario_sin_ser_admin_da_403(cliente, cabeceras, quien):
    respuesta = cliente.post(USUARIOS, json=datos_usuario(), headers=cabeceras(quien))
    assert respuesta.status_code == 403
    assert respuesta.json() == {"detail": "Permiso denegado: esta operación requiere el rol admin"}


def test_crear_usuario_sin_token_da_401(cliente):
    respuesta = cliente.post(USUARIOS, json=datos_usuario())
    assert respuesta.status_code == 401


def test_leer_usuario_propio_como_agente_da_200(cliente, cabeceras):
    yo = cliente.get("/api/usuarios/me", headers=cabeceras("agente")).json()
    respuesta = cliente.get(f"{USUARIOS}{yo['id']}", headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    assert respuesta.json() == yo


@pytest.mark.parametrize("quien", ["agente", "supervisor"])
def test_leer_otro_usuario_sin_ser_admin_da_403(cliente, cabeceras, quien):
    admin_id = cliente.get("/api/usuarios/me", headers=cabeceras("admin")).json()["id"]
    respuesta = cliente.get(f"{USUARIOS}{admin_id}", headers=cabeceras(quien))
    assert respuesta.status_code == 403
    assert respuesta.json()["detail"].startswith("Permiso denegado")


def test_leer_usuario_desconocido_da_404(cliente, cabeceras):
    respuesta = cliente.get(f"{USUARIOS}999999", headers=cabeceras("admin"))
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Usuario 999999 no encontrado"}


@pytest.mark.parametrize("usuario_id", ["0", "-1", str(10**20), "abc", "1.5"])
def test_leer_usuario_con_id_no_valido_da_422(cliente, cabeceras, usuario_id):
    respuesta = cliente.get(f"{USUARIOS}{usuario_id}", headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"usuario_id"}


def test_eliminar_usuario_sin_historial_da_204_y_luego_404(cliente, cabeceras, sesion_bd):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    respuesta = cliente.delete(f"{USUARIOS}{nuevo['id']}", headers=cabeceras("admin"))
    assert respuesta.status_code == 204
    assert respuesta.content == b""
    leido = cliente.get(f"{USUARIOS}{nuevo['id']}", headers=cabeceras("admin"))
    assert leido.status_code == 404
    assert sesion_bd.get(Usuario, nuevo["id"]) is None


def test_eliminar_usuario_con_llamadas_lo_desactiva_y_conserva_las_llamadas(
    cliente, cabeceras, sesion_bd
):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    llamada = crear_llamada(cliente, cabeceras(nuevo["email"]))
    respuesta = cliente.delete(f"{USUARIOS}{nuevo['id']}", headers=cabeceras("admin"))
    assert respuesta.status_code == 204
    leido = cliente.get(f"{USUARIOS}{nuevo['id']}", headers=cabeceras("admin"))
    assert leido.status_code == 200
    assert leido.json()["activo"] is False
    ids = sesion_bd.scalars(select(Llamada.id).where(Llamada.usuario_id == nuevo["id"])).all()
    assert ids == [llamada["id"]]
    otra_vez = cliente.delete(f"{USUARIOS}{nuevo['id']}", headers=cabeceras("admin"))
    assert otra_vez.status_code == 204


def test_admin_no_puede_eliminarse_a_si_mismo(cliente, cabeceras):
    admin_id = cliente.get("/api/usuarios/me", headers=cabeceras("admin")).json()["id"]
    respuesta = cliente.delete(f"{USUARIOS}{admin_id}", headers=cabeceras("admin"))
    assert respuesta.status_code == 409
    assert respuesta.json() == {"detail": "Un administrador no puede eliminarse a sí mismo"}
    assert cliente.get("/api/usuarios/me", headers=cabeceras("admin")).status_code == 200


def test_eliminar_usuario_desconocido_da_404(cliente, cabeceras):
    respuesta = cliente.delete(f"{USUARIOS}999999", headers=cabeceras("admin"))
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Usuario 999999 no encontrado"}


@pytest.mark.parametrize("usuario_id", ["0", str(10**20)])
def test_eliminar_usuario_con_id_no_valido_da_422(cliente, cabeceras, usuario_id):
    respuesta = cliente.delete(f"{USUARIOS}{usuario_id}", headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"usuario_id"}


@pytest.mark.parametrize("quien", ["agente", "supervisor"])
def test_eliminar_usuario_sin_ser_admin_da_403(cliente, cabeceras, quien):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    respuesta = cliente.delete(f"{USUARIOS}{nuevo['id']}", headers=cabeceras(quien))
    assert respuesta.status_code == 403
    assert respuesta.json() == {"detail": "Permiso denegado: esta operación requiere el rol admin"}


def test_eliminar_usuario_sin_token_da_401(cliente):
    respuesta = cliente.delete(f"{USUARIOS}1")
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
