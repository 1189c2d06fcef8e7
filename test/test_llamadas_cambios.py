"""Llamadas: cambios con PUT y PATCH y borrado, con sus permisos y errores."""

import pytest
from sqlalchemy import func, select

from modelos.clasificacion_ia import ClasificacionIA
from modelos.llamada import Llamada
from test.ayudas_api import (
    campos_con_error,
    clasificar,
    crear_llamada,
    crear_usuario,
    datos_llamada,
    id_usuario,
    mensaje_422,
)

LLAMADAS = "/api/llamadas/"

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")


def _leer(cliente, cabeceras, llamada_id: int) -> dict:
    respuesta = cliente.get(f"{LLAMADAS}{llamada_id}", headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    return respuesta.json()


def test_agente_cambia_con_patch_su_propia_llamada(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}",
        json={"resultado": "Escalada", "satisfaccion": 2},
        headers=cabeceras("agente"),
    )
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert (cuerpo["resultado"], cuerpo["satisfaccion"]) == ("escalada", 2)
    assert cuerpo["numero_cliente"] == llamada["numero_cliente"]
    assert cuerpo["actualizado_en"] >= llamada["actualizado_en"]


def test_patch_puede_vaciar_un_campo_opcional(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"), satisfaccion=4)
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}",
        json={"satisfaccion": None, "descripcion": None},
        headers=cabeceras("agente"),
    )
    assert respuesta.status_code == 200
    assert respuesta.json()["satisfaccion"] is None
    assert respuesta.json()["descripcion"] is None


@pytest.mark.parametrize(
    "campo",
    ["numero_cliente", "duracion_segundos", "tipo", "resultado", "fecha_hora", "direccion"],
)
def test_patch_con_nulo_en_un_campo_obligatorio_da_422(cliente, cabeceras, campo):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}", json={campo: None}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == f"{campo}: no puede ser nulo"
    assert _leer(cliente, cabeceras, llamada["id"])[campo] == llamada[campo]


def test_patch_con_usuario_id_nulo_da_422_y_no_reasigna(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}", json={"usuario_id": None}, headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == "usuario_id: no puede ser nulo"
    assert _leer(cliente, cabeceras, llamada["id"])["usuario_id"] == llamada["usuario_id"]


def test_patch_con_valor_no_valido_da_422_nombrando_el_campo(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}",
        json={"duracion_segundos": -1, "tipo": "otro"},
        headers=cabeceras("agente"),
    )
    assert campos_con_error(respuesta) == {"duracion_segundos", "tipo"}


def test_agente_no_puede_cambiar_la_llamada_de_otro(cliente, cabeceras):
    ajena = crear_llamada(cliente, cabeceras("supervisor"))
    for metodo, cuerpo in (("patch", {"satisfaccion": 1}), ("put", datos_llamada())):
        respuesta = getattr(cliente, metodo)(
            f"{LLAMADAS}{ajena['id']}", json=cuerpo, headers=cabeceras("agente")
        )
        assert respuesta.status_code == 403
        assert respuesta.json() == {
            "detail": "Permiso denegado: la llamada pertenece a otro agente"
        }
    assert _leer(cliente, cabeceras, ajena["id"]) == {**ajena, "clasificacion": None}


def test_agente_no_puede_pasar_su_llamada_a_otro(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    otro = id_usuario(cliente, cabeceras("supervisor"))
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}", json={"usuario_id": otro}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": "Permiso denegado: un agente solo registra sus propias llamadas"
    }


def test_supervisor_reasigna_la_llamada_a_otro_agente(cliente, cabeceras):
    nuevo = crear_usuario(cliente, cabeceras("admin"))
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}",
        json={"usuario_id": nuevo["id"]},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario_id"] == nuevo["id"]


def test_supervisor_reasigna_a_usuario_desconocido_da_422(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.patch(
        f"{LLAMADAS}{llamada['id']}", json={"usuario_id": 999999}, headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == "usuario_id: el usuario 999999 no existe"


def test_agente_reemplaza_con_put_su_llamada(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"), satisfaccion=5)
    cuerpo = datos_llamada(numero_cliente="611", tipo="Venta", resultado="pendiente")
    respuesta = cliente.put(f"{LLAMADAS}{llamada['id']}", json=cuerpo, headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    nueva = respuesta.json()
    assert (nueva["numero_cliente"], nueva["tipo"], nueva["resultado"]) == (
        "611",
        "venta",
        "pendiente",
    )
    assert nueva["satisfaccion"] is None
    assert nueva["usuario_id"] == llamada["usuario_id"]
    assert nueva["fecha_hora"] == llamada["fecha_hora"]


def test_put_de_supervisor_sin_usuario_id_conserva_el_agente(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.put(
        f"{LLAMADAS}{llamada['id']}", json=datos_llamada(), headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario_id"] == llamada["usuario_id"]


def test_put_sin_campos_obligatorios_da_422(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.put(
        f"{LLAMADAS}{llamada['id']}", json={"tipo": "venta"}, headers=cabeceras("agente")
    )
    assert campos_con_error(respuesta) == {"numero_cliente", "duracion_segundos", "resultado"}


@pytest.mark.parametrize("metodo", ["put", "patch"])
def test_cambiar_llamada_desconocida_da_404(cliente, cabeceras, metodo):
    respuesta = getattr(cliente, metodo)(
        f"{LLAMADAS}999999", json=datos_llamada(), headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Llamada 999999 no encontrada"}


@pytest.mark.parametrize("metodo", ["put", "patch"])
def test_cambiar_llamada_sin_token_da_401(cliente, metodo):
    respuesta = getattr(cliente, metodo)(f"{LLAMADAS}1", json=datos_llamada())
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("quien", ["supervisor", "admin"])
def test_eliminar_llamada_da_204_y_luego_404(cliente, cabeceras, quien):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.delete(f"{LLAMADAS}{llamada['id']}", headers=cabeceras(quien))
    assert respuesta.status_code == 204
    assert respuesta.content == b""
    leida = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras(quien))
    assert leida.status_code == 404
    assert leida.json() == {"detail": f"Llamada {llamada['id']} no encontrada"}


def test_eliminar_llamada_borra_su_clasificacion(cliente, cabeceras, sesion_bd):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    otra = crear_llamada(cliente, cabeceras("agente"))
    clasificar(sesion_bd, llamada["id"])
    clasificar(sesion_bd, otra["id"])
    respuesta = cliente.delete(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 204
    sesion_bd.expire_all()
    restantes = sesion_bd.scalars(select(ClasificacionIA.llamada_id)).all()
    assert restantes == [otra["id"]]
    assert sesion_bd.get(Llamada, llamada["id"]) is None


def test_agente_no_puede_eliminar_llamadas_ni_las_suyas(cliente, cabeceras, sesion_bd):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.delete(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": "Permiso denegado: esta operación requiere el rol admin, supervisor"
    }
    assert sesion_bd.scalar(select(func.count(Llamada.id))) == 1


def test_eliminar_llamada_desconocida_da_404(cliente, cabeceras):
    respuesta = cliente.delete(f"{LLAMADAS}999999", headers=cabeceras("admin"))
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Llamada 999999 no encontrada"}


@pytest.mark.parametrize("llamada_id", ["0", str(10**20)])
def test_eliminar_llamada_con_id_no_valido_da_422(cliente, cabeceras, llamada_id):
    respuesta = cliente.delete(f"{LLAMADAS}{llamada_id}", headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"llamada_id"}


def test_eliminar_llamada_sin_token_da_401(cliente):
    respuesta = cliente.delete(f"{LLAMADAS}1")
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
