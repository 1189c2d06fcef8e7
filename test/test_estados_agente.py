"""Estado de los agentes: leer, cambiar (con historial) y la lista de supervisión."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from modelos.estado_agente import TransicionEstado
from test.ayudas_api import campos_con_error, crear_usuario, id_usuario


def _instante(texto: str) -> datetime:
    return datetime.fromisoformat(texto.replace("Z", "+00:00"))


def test_estado_inicial_es_desconectado_desde_la_creacion_de_la_cuenta(cliente, cabeceras):
    yo = cliente.get("/api/usuarios/me", headers=cabeceras("agente")).json()
    respuesta = cliente.get("/api/estados-agente/me", headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    assert respuesta.json() == {
        "usuario_id": yo["id"],
        "nombre": yo["nombre"],
        "estado": "desconectado",
        "motivo": None,
        "desde": yo["creado_en"],
    }


def test_cambiar_estado_guarda_inicio_e_historial(cliente, cabeceras, sesion_bd):
    antes = datetime.now(UTC)
    cambio = cliente.put(
        "/api/estados-agente/me", json={"estado": "Disponible"}, headers=cabeceras("agente")
    )
    assert cambio.status_code == 200, cambio.text
    cuerpo = cambio.json()
    assert cuerpo["estado"] == "disponible" and cuerpo["motivo"] is None
    assert antes - timedelta(seconds=1) <= _instante(cuerpo["desde"]) <= datetime.now(UTC)
    assert cliente.get("/api/estados-agente/me", headers=cabeceras("agente")).json() == cuerpo

    pausa = cliente.put(
        "/api/estados-agente/me",
        json={"estado": "pausa", "motivo": " Descanso "},
        headers=cabeceras("agente"),
    )
    assert pausa.status_code == 200
    assert (pausa.json()["estado"], pausa.json()["motivo"]) == ("pausa", "Descanso")
    assert _instante(pausa.json()["desde"]) >= _instante(cuerpo["desde"])

    historial = sesion_bd.scalars(
        select(TransicionEstado)
        .where(TransicionEstado.usuario_id == cuerpo["usuario_id"])
        .order_by(TransicionEstado.id)
    ).all()
    assert [(t.estado.value, t.motivo) for t in historial] == [
        ("disponible", None),
        ("pausa", "Descanso"),
    ]


def test_repetir_el_mismo_estado_no_reinicia_el_reloj(cliente, cabeceras, sesion_bd):
    primero = cliente.put(
        "/api/estados-agente/me", json={"estado": "en_llamada"}, headers=cabeceras("agente")
    ).json()
    segundo = cliente.put(
        "/api/estados-agente/me", json={"estado": "en_llamada"}, headers=cabeceras("agente")
    )
    assert segundo.status_code == 200
    assert segundo.json()["desde"] == primero["desde"]
    assert len(sesion_bd.scalars(select(TransicionEstado)).all()) == 1


@pytest.mark.parametrize(
    ("cuerpo", "campo"),
    [
        ({"estado": "pausa"}, "motivo"),
        ({"estado": "pausa", "motivo": "   "}, "motivo"),
        ({"estado": "pausa", "motivo": "x" * 201}, "motivo"),
        ({"estado": "comiendo"}, "estado"),
        ({}, "estado"),
    ],
)
def test_estado_invalido_da_422_que_nombra_el_campo(cliente, cabeceras, cuerpo, campo):
    respuesta = cliente.put("/api/estados-agente/me", json=cuerpo, headers=cabeceras("agente"))
    assert campo in campos_con_error(respuesta)


@pytest.mark.parametrize(
    ("metodo", "ruta"),
    [
        ("get", "/api/estados-agente/me"),
        ("put", "/api/estados-agente/me"),
        ("get", "/api/estados-agente/"),
    ],
)
def test_estados_sin_token_da_401(cliente, metodo, ruta):
    respuesta = cliente.request(metodo.upper(), ruta, json={"estado": "disponible"})
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert "token" in respuesta.json()["detail"].lower()


def test_lista_de_estados_es_solo_para_supervision(cliente, cabeceras):
    respuesta = cliente.get("/api/estados-agente/", headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert "supervisor" in respuesta.json()["detail"]


def test_lista_de_estados_da_los_agentes_activos_con_su_estado(cliente, cabeceras):
    otra = crear_usuario(cliente, cabeceras("admin"), nombre="Zoe Agente", email="zoe@example.com")
    baja = crear_usuario(cliente, cabeceras("admin"), nombre="Baja", email="baja@example.com")
    cliente.delete(f"/api/usuarios/{baja['id']}", headers=cabeceras("admin"))
    cliente.put(
        "/api/estados-agente/me",
        json={"estado": "pausa", "motivo": "Formación"},
        headers=cabeceras("agente"),
    )
    agente_id = id_usuario(cliente, cabeceras("agente"))
    for quien in ("supervisor", "admin"):
        respuesta = cliente.get("/api/estados-agente/", headers=cabeceras(quien))
        assert respuesta.status_code == 200
        por_id = {fila["usuario_id"]: fila for fila in respuesta.json()}
        assert set(por_id) == {agente_id, otra["id"]}
        assert (por_id[agente_id]["estado"], por_id[agente_id]["motivo"]) == ("pausa", "Formación")
        assert por_id[otra["id"]]["estado"] == "desconectado"
        assert por_id[otra["id"]]["desde"] == otra["creado_en"]
