"""La vigencia del token en la misma sentencia que la página (PostgreSQL, lecturas en el bucle):
una ida y vuelta a la base por página, y un token revocado da 401 al momento, con la página llena
o vacía y antes que cualquier otro error. En SQLite la vigencia se lee aparte; las respuestas
son las mismas en los dos motores."""

import pytest
from sqlalchemy import text

from lectura_en_bucle import lector_postgres_de
from test.ayudas_api import crear_llamada, crear_usuario, id_usuario
from test.conftest import iniciar_sesion

LLAMADAS = "/api/llamadas/"
DESACTIVADO = "El usuario del token no existe o está desactivado"
CUENTA_CAMBIADA = "El token ya no es válido: la cuenta cambió; inicia sesión de nuevo"

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")


def _ids(respuesta) -> list[int]:
    assert respuesta.status_code == 200, respuesta.text
    return [fila["id"] for fila in respuesta.json()]


def _sentencias(app, motor_bd) -> int | None:
    """Idas y vueltas del lector en el bucle de PostgreSQL hasta ahora (None en SQLite)."""
    lector = lector_postgres_de(app.state, motor_bd)
    return None if lector is None else lector.sentencias


def _agentes_con_llamadas(cliente, cabeceras) -> tuple[dict, dict, list[int], list[int]]:
    """agente1 y otra agente, cada uno con sus llamadas: (cabeceras de cada uno, sus ids)."""
    agente = cabeceras("agente")
    otra = crear_usuario(cliente, cabeceras("admin"))
    otra_cab = {"Authorization": f"Bearer {iniciar_sesion(cliente, otra['email'])}"}
    propias = [crear_llamada(cliente, agente)["id"] for _ in range(3)]
    ajenas = [crear_llamada(cliente, otra_cab)["id"] for _ in range(2)]
    return agente, otra_cab, propias, ajenas


def test_una_ida_y_vuelta_por_pagina(app, cliente, cabeceras, motor_bd):
    _, _, propias, ajenas = _agentes_con_llamadas(cliente, cabeceras)
    sup = cabeceras("supervisor")
    antes = _sentencias(app, motor_bd)
    pagina = cliente.get(LLAMADAS, params={"limit": 2}, headers=sup)
    assert _ids(pagina) == sorted(propias + ajenas, reverse=True)[:2]
    assert pagina.headers["X-Total-Count"] == str(len(propias + ajenas))
    vacia = cliente.get(LLAMADAS, params={"limit": 2, "tipo": "logistica"}, headers=sup)
    assert _ids(vacia) == [] and vacia.headers["X-Total-Count"] == "0"
    if antes is not None:
        # La llena: página, total y vigencia en una sentencia. La vacía: la página, su
        # recuento aparte y la vigencia aparte.
        assert _sentencias(app, motor_bd) == antes + 1 + 3


@pytest.mark.parametrize(
    ("cambio", "mensaje"),
    [
        ({"activo": False}, DESACTIVADO),
        ({"rol": "supervisor"}, CUENTA_CAMBIADA),
        ({"email": "otro.correo@example.com"}, CUENTA_CAMBIADA),
        ({"password": "otra-clave-segura-1"}, CUENTA_CAMBIADA),
    ],
)
def test_un_token_revocado_da_401_con_la_pagina_llena(cliente, cabeceras, cambio, mensaje):
    agente, _, propias, _ = _agentes_con_llamadas(cliente, cabeceras)
    assert _ids(cliente.get(LLAMADAS, headers=agente)) == sorted(propias, reverse=True)
    agente_id = id_usuario(cliente, agente)
    hecho = cliente.patch(f"/api/usuarios/{agente_id}", json=cambio, headers=cabeceras("admin"))
    assert hecho.status_code == 200, hecho.text
    for consulta in ({}, {"limit": 1}, {"tipo": "logistica"}):  # llena, corta y vacía
        respuesta = cliente.get(LLAMADAS, params=consulta, headers=agente)
        assert respuesta.status_code == 401, respuesta.text
        assert respuesta.json() == {"detail": mensaje}


def test_un_token_revocado_da_401_antes_que_403(cliente, cabeceras):
    agente, otra_cab, _, _ = _agentes_con_llamadas(cliente, cabeceras)
    ajena = {"usuario_id": id_usuario(cliente, otra_cab)}
    assert cliente.get(LLAMADAS, params=ajena, headers=agente).status_code == 403
    agente_id = id_usuario(cliente, agente)
    baja = cliente.patch(
        f"/api/usuarios/{agente_id}", json={"activo": False}, headers=cabeceras("admin")
    )
    assert baja.status_code == 200, baja.text
    respuesta = cliente.get(LLAMADAS, params=ajena, headers=agente)
    assert respuesta.status_code == 401 and respuesta.json() == {"detail": DESACTIVADO}
    periodo = {"desde": "2030-01-02T00:00:00Z", "hasta": "2030-01-01T00:00:00Z"}
    respuesta = cliente.get(LLAMADAS, params=periodo, headers=agente)
    assert respuesta.status_code == 401  # y no el 422 del periodo al revés


def test_un_rol_cambiado_fuera_de_la_api_se_lee_de_la_base(cliente, cabeceras, motor_bd):
    """Si el rol cambia sin renovar el sello (a mano en la base), el token sigue valiendo y la
    lista usa el rol de la base, como cualquier otra petición: la página se relee."""
    agente, _, propias, ajenas = _agentes_con_llamadas(cliente, cabeceras)
    assert _ids(cliente.get(LLAMADAS, headers=agente)) == sorted(propias, reverse=True)
    with motor_bd.begin() as conexion:
        cambio = text("UPDATE usuarios SET rol = 'supervisor' WHERE id = :i")
        conexion.execute(cambio, {"i": id_usuario(cliente, agente)})
    todas = sorted(propias + ajenas, reverse=True)
    assert _ids(cliente.get(LLAMADAS, headers=agente)) == todas
    vacia = cliente.get(LLAMADAS, params={"tipo": "logistica"}, headers=agente)
    assert _ids(vacia) == []
