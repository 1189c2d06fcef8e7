"""Listas con cursor: Link rel="next", estabilidad con altas entre páginas, cursores inválidos
y el total acotado (X-Total-Count hasta LISTA_TOPE_TOTAL, X-Total-Exacto)."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from starlette.requests import Request

from rutas.paginas import _enlace_siguiente
from test.ayudas_api import campos_con_error, clasificar, crear_llamada, crear_usuario

LLAMADAS = "/api/llamadas/"
AHORA = datetime.now(UTC).replace(microsecond=0)

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")


def _hace(minutos: int) -> str:
    return (AHORA - timedelta(minutes=minutos)).isoformat()


def _siguiente(respuesta) -> str | None:
    enlace = respuesta.headers.get("Link")
    if enlace is None:
        return None
    coincide = re.fullmatch(r'<([^>]+)>; rel="next"', enlace)
    assert coincide, enlace
    return coincide.group(1)


def _recorrer(cliente, url, cabeceras, params, al_pasar=None) -> list[dict]:
    """Todas las filas siguiendo el Link rel="next" desde la primera página."""
    filas, respuesta = [], cliente.get(url, params=params, headers=cabeceras)
    while True:
        assert respuesta.status_code == 200, respuesta.text
        filas += respuesta.json()
        siguiente = _siguiente(respuesta)
        if siguiente is None:
            return filas
        if al_pasar:
            al_pasar()
        respuesta = cliente.get(siguiente, headers=cabeceras)


def _clave(llamada: dict) -> tuple[datetime, int]:
    return datetime.fromisoformat(llamada["fecha_hora"]), llamada["id"]


def test_cursor_con_altas_entre_paginas_no_repite_ni_salta(cliente, cabeceras):
    agente, sup = cabeceras("agente"), cabeceras("supervisor")
    # Cuatro a la misma hora (empate en fecha: decide el id) y otras en horas distintas.
    minutos = [5, 5, 5, 5, 30, 60, 61, 62, 120, 200]
    originales = [crear_llamada(cliente, agente, fecha_hora=_hace(m))["id"] for m in minutos]
    altas: list[dict] = []

    def alta_entre_paginas() -> None:
        # Una más reciente que todo (no debe colarse) y una con la hora ya servida (empate).
        n = len(altas)
        altas.append(crear_llamada(cliente, agente, fecha_hora=_hace(0)))
        altas.append(crear_llamada(cliente, agente, fecha_hora=_hace(minutos[n])))

    filas = _recorrer(cliente, LLAMADAS, sup, {"limit": 3}, alta_entre_paginas)
    ids = [f["id"] for f in filas]
    assert len(ids) == len(set(ids)), "ninguna fila dos veces"
    assert set(originales) <= set(ids), "ninguna de las que ya estaban se salta"
    claves = [_clave(f) for f in filas]
    assert claves == sorted(claves, reverse=True)
    assert all(alta["id"] not in ids for alta in altas[::2]), "las más nuevas quedan antes"


def test_cursor_respeta_los_filtros_y_el_total(cliente, cabeceras):
    agente = cabeceras("agente")
    ventas = [crear_llamada(cliente, agente, fecha_hora=_hace(m), tipo="venta") for m in range(7)]
    crear_llamada(cliente, agente, fecha_hora=_hace(3), tipo="reclamo")
    params = {"limit": 2, "tipo": "venta"}
    primera = cliente.get(LLAMADAS, params=params, headers=agente)
    assert primera.headers["X-Total-Count"] == "7"
    assert primera.headers["X-Total-Exacto"] == "true"
    filas = _recorrer(cliente, LLAMADAS, agente, params)
    assert [f["id"] for f in filas] == [v["id"] for v in ventas]


def test_total_acotado_y_exacto_bajo_pedido(cliente, cabeceras, cambiar_ajustes):
    cambiar_ajustes(lista_tope_total=3)
    agente = cabeceras("agente")
    for m in range(5):
        crear_llamada(cliente, agente, fecha_hora=_hace(m))
    acotada = cliente.get(LLAMADAS, params={"limit": 2}, headers=agente)
    assert acotada.headers["X-Total-Count"] == "3"
    assert acotada.headers["X-Total-Exacto"] == "false"
    profunda = cliente.get(LLAMADAS, params={"limit": 2, "skip": 2}, headers=agente)
    assert profunda.headers["X-Total-Count"] == "5", "al menos las ya vistas y una más"
    exacta = cliente.get(LLAMADAS, params={"limit": 2, "total": "exacto"}, headers=agente)
    assert exacta.headers["X-Total-Count"] == "5"
    assert exacta.headers["X-Total-Exacto"] == "true"


def test_cursores_invalidos_dan_422_en_cursor(cliente, cabeceras):
    agente = cabeceras("agente")
    for m in range(3):
        crear_llamada(cliente, agente, fecha_hora=_hace(m), tipo="venta")
    siguiente = _siguiente(cliente.get(LLAMADAS, params={"limit": 1}, headers=agente))
    cursor = re.search(r"cursor=([^&]+)", siguiente).group(1)
    carga, firma = cursor.split(".")
    otra_carga = ("A" if carga[0] != "A" else "B") + carga[1:]
    for malo in ["x", "no.es.base64", f"{otra_carga}.{firma}", f"{carga}.{firma[::-1]}", "é"]:
        respuesta = cliente.get(LLAMADAS, params={"cursor": malo}, headers=agente)
        assert campos_con_error(respuesta) == {"cursor"}, malo
    # El mismo cursor con otros filtros u otra lista tampoco vale.
    otra = cliente.get(LLAMADAS, params={"cursor": cursor, "tipo": "venta"}, headers=agente)
    assert campos_con_error(otra) == {"cursor"}
    ajena = cliente.get("/api/clasificaciones-ia/", params={"cursor": cursor}, headers=agente)
    assert campos_con_error(ajena) == {"cursor"}
    con_skip = cliente.get(LLAMADAS, params={"cursor": cursor, "skip": 1}, headers=agente)
    assert campos_con_error(con_skip) == {"skip"}
    assert cliente.get(siguiente, headers=agente).status_code == 200


def test_el_enlace_conserva_la_consulta_tal_cual_y_quita_skip(cliente, cabeceras):
    agente = cabeceras("agente")
    numero = "+34600111222"
    mias = [
        crear_llamada(cliente, agente, fecha_hora=_hace(m), numero_cliente=numero) for m in range(4)
    ]
    crear_llamada(cliente, agente, fecha_hora=_hace(1), numero_cliente="600999888")
    desde = quote(_hace(30), safe="")
    consulta = f"numero_cliente=%2B34600111222&limit=1&skip=1&desde={desde}"
    respuesta = cliente.get(f"{LLAMADAS}?{consulta}", headers=agente)
    siguiente = _siguiente(respuesta)
    assert siguiente.startswith(f"{LLAMADAS}?numero_cliente=%2B34600111222&limit=1&desde={desde}&")
    assert "skip" not in siguiente
    filas = respuesta.json()
    while siguiente is not None:
        respuesta = cliente.get(siguiente, headers=agente)
        assert respuesta.status_code == 200, respuesta.text
        filas += respuesta.json()
        siguiente = _siguiente(respuesta)
    assert [f["id"] for f in filas] == [c["id"] for c in mias[1:]]


def test_una_consulta_con_caracteres_que_romperian_la_cabecera_se_codifica():
    consulta = b'numero_cliente=6<0"0>&skip=2&limit=1'
    peticion = Request({"type": "http", "path": LLAMADAS, "query_string": consulta, "headers": []})
    enlace = _enlace_siguiente(peticion, "abc.def")
    assert enlace == f"{LLAMADAS}?numero_cliente=6%3C0%220%3E&limit=1&cursor=abc.def"
    assert not set('<>"') & set(enlace)


def _preparar(cliente, cabeceras, sesion_bd) -> None:
    agente, admin = cabeceras("agente"), cabeceras("admin")
    for m in range(6):
        llamada = crear_llamada(cliente, agente, fecha_hora=_hace(m))
        clasificar(sesion_bd, llamada["id"])
    for n in range(4):
        crear_usuario(cliente, admin, email=f"cursor{n}@example.com")
        reporte = cliente.post("/api/reportes/", json={"descripcion": f"R{n}"}, headers=admin)
        assert reporte.status_code == 201, reporte.text


@pytest.mark.parametrize(
    "url",
    [LLAMADAS, "/api/clasificaciones-ia/", "/api/usuarios/", "/api/auditoria/", "/api/reportes/"],
)
def test_cada_lista_por_cursor_da_lo_mismo_que_de_una_vez(cliente, cabeceras, sesion_bd, url):
    _preparar(cliente, cabeceras, sesion_bd)
    admin = cabeceras("admin")
    entera = cliente.get(url, params={"limit": 500}, headers=admin)
    assert entera.status_code == 200, entera.text
    assert "Link" not in entera.headers and len(entera.json()) >= 4
    por_cursor = _recorrer(cliente, url, admin, {"limit": 2})
    assert por_cursor == entera.json()
