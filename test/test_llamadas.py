"""Llamadas: registro, lectura con su clasificación, fechas en UTC y enums canónicos."""

from datetime import UTC, datetime, timedelta

import pytest

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


def _fecha(texto: str) -> datetime:
    return datetime.fromisoformat(texto.replace("Z", "+00:00"))


def test_crear_llamada_como_agente_la_registra_a_su_nombre(cliente, cabeceras):
    respuesta = cliente.post(LLAMADAS, json=datos_llamada(), headers=cabeceras("agente"))
    assert respuesta.status_code == 201
    cuerpo = respuesta.json()
    assert cuerpo["usuario_id"] == id_usuario(cliente, cabeceras("agente"))
    assert cuerpo["numero_cliente"] == "600111222"
    assert cuerpo["direccion"] == "entrante"
    assert cuerpo["satisfaccion"] is None
    assert abs(_fecha(cuerpo["fecha_hora"]) - datetime.now(UTC)) < timedelta(minutes=5)


def test_crear_llamada_sin_token_da_401(cliente):
    respuesta = cliente.post(LLAMADAS, json=datos_llamada())
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert "token" in respuesta.json()["detail"]


def test_agente_no_puede_registrar_una_llamada_a_nombre_de_otro(cliente, cabeceras):
    otro = id_usuario(cliente, cabeceras("supervisor"))
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(usuario_id=otro), headers=cabeceras("agente")
    )
    assert respuesta.status_code == 403
    assert respuesta.json() == {
        "detail": "Permiso denegado: un agente solo registra sus propias llamadas"
    }


def test_agente_puede_indicar_su_propio_usuario_id(cliente, cabeceras):
    yo = id_usuario(cliente, cabeceras("agente"))
    llamada = crear_llamada(cliente, cabeceras("agente"), usuario_id=yo)
    assert llamada["usuario_id"] == yo


def test_supervisor_registra_una_llamada_para_un_agente(cliente, cabeceras):
    agente = id_usuario(cliente, cabeceras("agente"))
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(usuario_id=agente), headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 201
    assert respuesta.json()["usuario_id"] == agente


def test_registrar_para_un_usuario_desconocido_da_422(cliente, cabeceras):
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(usuario_id=999999), headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == "usuario_id: el usuario 999999 no existe"


def test_registrar_para_un_usuario_desactivado_da_422(cliente, cabeceras):
    inactivo = crear_usuario(cliente, cabeceras("admin"), activo=False)
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(usuario_id=inactivo["id"]), headers=cabeceras("admin")
    )
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta) == f"usuario_id: el usuario {inactivo['id']} está desactivado"


@pytest.mark.parametrize(
    ("tipo", "resultado", "direccion"),
    [
        ("Técnico", "Resuelta", "Saliente"),
        ("LOGÍSTICA", "ESCALADA", "ENTRANTE"),
        (" tecnico ", "atendida", "saliente"),
    ],
)
def test_crear_llamada_guarda_los_enums_en_forma_canonica(
    cliente, cabeceras, tipo, resultado, direccion
):
    llamada = crear_llamada(
        cliente, cabeceras("agente"), tipo=tipo, resultado=resultado, direccion=direccion
    )
    leida = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente")).json()
    esperado = (
        tipo.strip().lower().replace("é", "e").replace("í", "i"),
        resultado.lower(),
        direccion.lower(),
    )
    assert (leida["tipo"], leida["resultado"], leida["direccion"]) == esperado


@pytest.mark.parametrize(
    ("campo", "valor"),
    [("tipo", "llamada_rara"), ("resultado", "perdida"), ("direccion", "lateral")],
)
def test_crear_llamada_con_enum_desconocido_da_422(cliente, cabeceras, campo, valor):
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(**{campo: valor}), headers=cabeceras("agente")
    )
    assert campos_con_error(respuesta) == {campo}
    assert "se admite" in respuesta.json()["detail"][0]["msg"]


def test_fecha_sin_zona_se_lee_como_utc(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"), fecha_hora="2025-03-10T09:30:00")
    assert _fecha(llamada["fecha_hora"]) == datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
    assert llamada["fecha_hora"].endswith(("Z", "+00:00"))


def test_fecha_con_zona_se_guarda_en_utc(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"), fecha_hora="2025-03-10T09:30:00+02:00")
    leida = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente")).json()
    assert _fecha(leida["fecha_hora"]) == datetime(2025, 3, 10, 7, 30, tzinfo=UTC)
    assert _fecha(leida["fecha_hora"]).utcoffset() == timedelta(0)


def test_fecha_en_el_futuro_da_422(cliente, cabeceras):
    manana = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(fecha_hora=manana), headers=cabeceras("agente")
    )
    assert campos_con_error(respuesta) == {"fecha_hora"}
    assert "futuro" in respuesta.json()["detail"][0]["msg"]


@pytest.mark.parametrize("fecha", ["ayer", "2025-13-01T00:00:00", "1999-12-31T23:00:00Z"])
def test_fecha_no_valida_o_anterior_a_2000_da_422(cliente, cabeceras, fecha):
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(fecha_hora=fecha), headers=cabeceras("agente")
    )
    assert campos_con_error(respuesta) == {"fecha_hora"}


@pytest.mark.parametrize(
    ("campo", "valor"),
    [
        ("duracion_segundos", -1),
        ("duracion_segundos", 86_401),
        ("satisfaccion", 0),
        ("satisfaccion", 6),
        ("tiempo_espera_segundos", -5),
        ("numero_cliente", ""),
        ("numero_cliente", "   "),
        ("numero_cliente", "1" * 31),
    ],
)
def test_crear_llamada_con_valor_fuera_de_rango_da_422(cliente, cabeceras, campo, valor):
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(**{campo: valor}), headers=cabeceras("agente")
    )
    assert campos_con_error(respuesta) == {campo}


def test_crear_llamada_sin_campos_obligatorios_da_422_nombrandolos(cliente, cabeceras):
    respuesta = cliente.post(LLAMADAS, json={}, headers=cabeceras("agente"))
    assert campos_con_error(respuesta) == {
        "numero_cliente",
        "duracion_segundos",
        "tipo",
        "resultado",
    }
    assert "numero_cliente: es obligatorio" in [e["msg"] for e in respuesta.json()["detail"]]


def test_leer_llamada_sin_clasificacion_la_trae_nula(cliente, cabeceras):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    assert respuesta.json() == {**llamada, "clasificacion": None}


def test_leer_llamada_clasificada_incluye_la_clasificacion(cliente, cabeceras, sesion_bd):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    clasificar(sesion_bd, llamada["id"])
    respuesta = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    clasificacion = respuesta.json()["clasificacion"]
    assert clasificacion["llamada_id"] == llamada["id"]
    assert clasificacion["categoria"] == "reclamo"
    assert clasificacion["sentimiento"] == "negativo"
    assert clasificacion["recomendacion_agente"] == "Ofrecer una compensación y escalar"
    assert clasificacion["motor"] == "local"


def test_agente_no_puede_leer_la_llamada_de_otro(cliente, cabeceras):
    agente = id_usuario(cliente, cabeceras("agente"))
    ajena = crear_llamada(
        cliente, cabeceras("supervisor"), usuario_id=id_usuario(cliente, cabeceras("admin"))
    )
    respuesta = cliente.get(f"{LLAMADAS}{ajena['id']}", headers=cabeceras("agente"))
    assert ajena["usuario_id"] != agente
    assert respuesta.status_code == 403
    assert respuesta.json() == {"detail": "Permiso denegado: la llamada pertenece a otro agente"}


def test_leer_llamada_desconocida_da_404(cliente, cabeceras):
    respuesta = cliente.get(f"{LLAMADAS}999999", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Llamada 999999 no encontrada"}


@pytest.mark.parametrize("llamada_id", ["0", "-3", str(10**20), "uno"])
def test_leer_llamada_con_id_no_valido_da_422(cliente, cabeceras, llamada_id):
    respuesta = cliente.get(f"{LLAMADAS}{llamada_id}", headers=cabeceras("supervisor"))
    assert campos_con_error(respuesta) == {"llamada_id"}


def test_leer_llamada_sin_token_da_401(cliente):
    respuesta = cliente.get(f"{LLAMADAS}1")
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
