"""Llamadas: lista, filtros, paginación e historiales por agente y por cliente."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from modelos.enums import Categoria
from test.ayudas_api import (
    campos_con_error,
    clasificar,
    crear_llamada,
    id_usuario,
    mensaje_422,
)

LLAMADAS = "/api/llamadas/"
AHORA = datetime.now(UTC).replace(microsecond=0)

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")


def _hace(horas: int) -> str:
    return (AHORA - timedelta(hours=horas)).isoformat()


@pytest.fixture
def llamadas(cliente, cabeceras) -> dict[str, dict]:
    """Cuatro llamadas: tres del agente y una de la supervisora, en horas distintas."""
    agente, supervisor = cabeceras("agente"), cabeceras("supervisor")
    return {
        "vieja": crear_llamada(
            cliente, agente, fecha_hora=_hace(48), tipo="venta", resultado="atendida"
        ),
        "media": crear_llamada(
            cliente, agente, fecha_hora=_hace(24), numero_cliente="700000001", tipo="reclamo"
        ),
        "nueva": crear_llamada(
            cliente, agente, fecha_hora=_hace(1), numero_cliente="700000001", tipo="Técnico"
        ),
        "ajena": crear_llamada(
            cliente, supervisor, fecha_hora=_hace(12), numero_cliente="700000001"
        ),
    }


def _ids(respuesta) -> list[int]:
    assert respuesta.status_code == 200, respuesta.text
    return [ll["id"] for ll in respuesta.json()]


def test_listar_como_supervisor_devuelve_todas_las_mas_recientes_primero(
    cliente, cabeceras, llamadas
):
    respuesta = cliente.get(LLAMADAS, headers=cabeceras("supervisor"))
    orden = ["nueva", "ajena", "media", "vieja"]
    assert _ids(respuesta) == [llamadas[n]["id"] for n in orden]
    assert respuesta.headers["X-Total-Count"] == "4"


def test_listar_como_agente_devuelve_solo_las_suyas(cliente, cabeceras, llamadas):
    respuesta = cliente.get(LLAMADAS, headers=cabeceras("agente"))
    assert _ids(respuesta) == [llamadas[n]["id"] for n in ("nueva", "media", "vieja")]
    assert respuesta.headers["X-Total-Count"] == "3"


def test_agente_que_filtra_por_otro_usuario_da_403(cliente, cabeceras, llamadas):
    otro = llamadas["ajena"]["usuario_id"]
    respuesta = cliente.get(LLAMADAS, params={"usuario_id": otro}, headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": "Permiso denegado: un agente solo ve sus propias llamadas"
    }


def test_listar_sin_token_da_401(cliente):
    respuesta = cliente.get(LLAMADAS)
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"


def test_listar_pagina_con_skip_y_limit(cliente, cabeceras, llamadas):
    respuesta = cliente.get(LLAMADAS, params={"skip": 1, "limit": 2}, headers=cabeceras("admin"))
    assert _ids(respuesta) == [llamadas["ajena"]["id"], llamadas["media"]["id"]]
    assert respuesta.headers["X-Total-Count"] == "4"


@pytest.mark.parametrize(
    ("parametros", "campo"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"skip": -1}, "skip"),
        ({"skip": 10**20}, "skip"),
        ({"limit": "muchas"}, "limit"),
    ],
)
def test_listar_con_paginacion_fuera_de_rango_da_422(cliente, cabeceras, parametros, campo):
    respuesta = cliente.get(LLAMADAS, params=parametros, headers=cabeceras("supervisor"))
    assert campos_con_error(respuesta) == {campo}


def test_listar_con_limit_500_da_200(cliente, cabeceras, llamadas):
    respuesta = cliente.get(LLAMADAS, params={"limit": 500}, headers=cabeceras("supervisor"))
    assert len(_ids(respuesta)) == 4


def test_filtrar_por_usuario_id(cliente, cabeceras, llamadas):
    supervisor = llamadas["ajena"]["usuario_id"]
    respuesta = cliente.get(
        LLAMADAS, params={"usuario_id": supervisor}, headers=cabeceras("supervisor")
    )
    assert _ids(respuesta) == [llamadas["ajena"]["id"]]
    assert respuesta.headers["X-Total-Count"] == "1"


def test_filtrar_por_numero_cliente(cliente, cabeceras, llamadas):
    respuesta = cliente.get(
        LLAMADAS, params={"numero_cliente": "700000001"}, headers=cabeceras("supervisor")
    )
    assert _ids(respuesta) == [llamadas[n]["id"] for n in ("nueva", "ajena", "media")]


@pytest.mark.parametrize("tipo", ["tecnico", "Técnico", "TECNICO"])
def test_filtrar_por_tipo_admite_tildes_y_mayusculas(cliente, cabeceras, llamadas, tipo):
    respuesta = cliente.get(LLAMADAS, params={"tipo": tipo}, headers=cabeceras("supervisor"))
    assert _ids(respuesta) == [llamadas["nueva"]["id"]]


def test_filtrar_por_resultado(cliente, cabeceras, llamadas):
    respuesta = cliente.get(
        LLAMADAS, params={"resultado": "Atendida"}, headers=cabeceras("supervisor")
    )
    assert _ids(respuesta) == [llamadas["vieja"]["id"]]


@pytest.mark.parametrize("parametro", ["tipo", "resultado"])
def test_filtrar_por_enum_desconocido_da_422(cliente, cabeceras, parametro):
    respuesta = cliente.get(LLAMADAS, params={parametro: "otro"}, headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {parametro}


def test_filtrar_por_categoria_y_sin_clasificar(cliente, cabeceras, llamadas, sesion_bd):
    clasificar(sesion_bd, llamadas["media"]["id"], Categoria.reclamo)
    clasificar(sesion_bd, llamadas["vieja"]["id"], Categoria.venta)
    supervisor = cabeceras("supervisor")
    reclamos = cliente.get(LLAMADAS, params={"categoria": "Reclamo"}, headers=supervisor)
    ventas = cliente.get(LLAMADAS, params={"categoria": "venta"}, headers=supervisor)
    sin = cliente.get(LLAMADAS, params={"categoria": "sin_clasificar"}, headers=supervisor)
    assert _ids(reclamos) == [llamadas["media"]["id"]]
    assert _ids(ventas) == [llamadas["vieja"]["id"]]
    assert _ids(sin) == [llamadas["nueva"]["id"], llamadas["ajena"]["id"]]
    assert sin.headers["X-Total-Count"] == "2"


def test_filtrar_por_categoria_desconocida_da_422(cliente, cabeceras):
    respuesta = cliente.get(LLAMADAS, params={"categoria": "spam"}, headers=cabeceras("admin"))
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta).startswith("categoria: valor no válido")


def test_filtrar_por_desde_y_hasta_inclusive(cliente, cabeceras, llamadas):
    desde = llamadas["media"]["fecha_hora"]
    hasta = llamadas["ajena"]["fecha_hora"]
    respuesta = cliente.get(
        LLAMADAS, params={"desde": desde, "hasta": hasta}, headers=cabeceras("supervisor")
    )
    assert _ids(respuesta) == [llamadas["ajena"]["id"], llamadas["media"]["id"]]


def test_filtrar_por_desde_sin_zona_se_lee_como_utc(cliente, cabeceras, llamadas):
    desde = (AHORA - timedelta(hours=2)).replace(tzinfo=None).isoformat()
    respuesta = cliente.get(LLAMADAS, params={"desde": desde}, headers=cabeceras("supervisor"))
    assert _ids(respuesta) == [llamadas["nueva"]["id"]]


def test_filtrar_por_hasta_con_otra_zona_la_convierte(cliente, cabeceras, llamadas):
    en_madrid = (AHORA - timedelta(hours=30)).astimezone(timezone(timedelta(hours=2)))
    respuesta = cliente.get(
        LLAMADAS, params={"hasta": en_madrid.isoformat()}, headers=cabeceras("supervisor")
    )
    assert _ids(respuesta) == [llamadas["vieja"]["id"]]


def test_filtrar_con_desde_posterior_a_hasta_da_422(cliente, cabeceras):
    respuesta = cliente.get(
        LLAMADAS,
        params={"desde": "2025-02-01T00:00:00Z", "hasta": "2025-01-01T00:00:00Z"},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == "desde: debe ser anterior o igual a hasta"


def test_filtrar_con_fecha_no_valida_da_422(cliente, cabeceras):
    respuesta = cliente.get(LLAMADAS, params={"desde": "ayer"}, headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"desde"}


def test_historial_de_usuario_como_supervisor(cliente, cabeceras, llamadas):
    agente = llamadas["vieja"]["usuario_id"]
    respuesta = cliente.get(f"{LLAMADAS}usuario/{agente}", headers=cabeceras("supervisor"))
    assert _ids(respuesta) == [llamadas[n]["id"] for n in ("nueva", "media", "vieja")]
    assert respuesta.headers["X-Total-Count"] == "3"


def test_historial_propio_como_agente(cliente, cabeceras, llamadas):
    yo = id_usuario(cliente, cabeceras("agente"))
    respuesta = cliente.get(
        f"{LLAMADAS}usuario/{yo}", params={"limit": 1}, headers=cabeceras("agente")
    )
    assert _ids(respuesta) == [llamadas["nueva"]["id"]]
    assert respuesta.headers["X-Total-Count"] == "3"


def test_historial_de_otro_usuario_como_agente_da_403(cliente, cabeceras, llamadas):
    otro = llamadas["ajena"]["usuario_id"]
    respuesta = cliente.get(f"{LLAMADAS}usuario/{otro}", headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": "Permiso denegado: un agente solo ve sus propias llamadas"
    }


@pytest.mark.parametrize("usuario_id", ["0", str(10**20)])
def test_historial_de_usuario_con_id_no_valido_da_422(cliente, cabeceras, usuario_id):
    respuesta = cliente.get(f"{LLAMADAS}usuario/{usuario_id}", headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {"usuario_id"}


def test_historial_de_cliente_como_supervisor_ve_todas(cliente, cabeceras, llamadas):
    respuesta = cliente.get(f"{LLAMADAS}cliente/700000001", headers=cabeceras("supervisor"))
    assert _ids(respuesta) == [llamadas[n]["id"] for n in ("nueva", "ajena", "media")]
    assert respuesta.headers["X-Total-Count"] == "3"


def test_historial_de_cliente_como_agente_solo_ve_las_suyas(cliente, cabeceras, llamadas):
    respuesta = cliente.get(f"{LLAMADAS}cliente/700000001", headers=cabeceras("agente"))
    assert _ids(respuesta) == [llamadas["nueva"]["id"], llamadas["media"]["id"]]
    assert respuesta.headers["X-Total-Count"] == "2"


def test_historial_de_cliente_sin_llamadas_da_lista_vacia(cliente, cabeceras):
    respuesta = cliente.get(f"{LLAMADAS}cliente/123", headers=cabeceras("supervisor"))
    assert respuesta.json() == []
    assert respuesta.headers["X-Total-Count"] == "0"


def test_historial_de_cliente_sin_token_da_401(cliente):
    respuesta = cliente.get(f"{LLAMADAS}cliente/123")
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
