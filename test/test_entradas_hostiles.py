"""Entradas hostiles: nada que envíe un cliente da un 500 ni deja una fila a medias."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from modelos.llamada import Llamada
from modelos.usuario import Usuario
from test.ayudas_api import (
    campos_con_error,
    crear_llamada,
    datos_llamada,
    datos_usuario,
    mensaje_422,
)

LLAMADAS = "/api/llamadas/"
USUARIOS = "/api/usuarios/"
LOGIN = "/api/usuarios/login"
SQL = "'; DROP TABLE llamadas; --"

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")


@pytest.fixture
def robusto(app, cliente) -> TestClient:
    """Cliente que devuelve los 500 como respuesta en vez de lanzar la excepción."""
    return TestClient(app, raise_server_exceptions=False)


def _filas(sesion_bd, modelo) -> int:
    sesion_bd.expire_all()
    return sesion_bd.scalar(select(func.count()).select_from(modelo))


def _json_crudo(cabeceras: dict[str, str]) -> dict[str, str]:
    return {**cabeceras, "Content-Type": "application/json"}


@pytest.mark.parametrize(
    "cuerpo",
    [b'{"numero_cliente": "6', b"{", b"nada", b'{"a":' * 100_000, '{"ñ": 1}'.encode("latin-1")],
    ids=["cortado", "llave", "texto", "anidado", "latin1"],
)
def test_json_ilegible_da_422_nombrando_el_cuerpo(robusto, cabeceras, sesion_bd, cuerpo):
    respuesta = robusto.post(LLAMADAS, content=cuerpo, headers=_json_crudo(cabeceras("agente")))
    assert campos_con_error(respuesta) == {"cuerpo"}
    assert respuesta.json()["detail"][0]["msg"] == "cuerpo: el cuerpo no es un JSON válido"
    assert _filas(sesion_bd, Llamada) == 0


@pytest.mark.parametrize(
    "cuerpo", [[datos_llamada()], "texto", 42, None], ids=["lista", "cadena", "numero", "null"]
)
def test_json_que_no_es_un_objeto_da_422(robusto, cabeceras, sesion_bd, cuerpo):
    respuesta = robusto.post(LLAMADAS, json=cuerpo, headers=cabeceras("agente"))
    assert campos_con_error(respuesta) == {"cuerpo"}
    assert _filas(sesion_bd, Llamada) == 0


@pytest.mark.parametrize("tipo", [None, "text/plain", "application/xml"])
def test_cuerpo_vacio_o_de_otro_tipo_da_422(robusto, cabeceras, tipo):
    extra = {"Content-Type": tipo} if tipo else {}
    respuesta = robusto.post(LLAMADAS, content=b"", headers={**cabeceras("agente"), **extra})
    assert campos_con_error(respuesta) == {"cuerpo"}


def test_formulario_en_vez_de_json_da_422(robusto, cabeceras, sesion_bd):
    respuesta = robusto.post(LLAMADAS, data=datos_llamada(), headers=cabeceras("agente"))
    assert campos_con_error(respuesta) == {"cuerpo"}
    assert _filas(sesion_bd, Llamada) == 0


@pytest.mark.parametrize(
    ("campo", "valor"),
    [
        ("duracion_segundos", "tres minutos"),
        ("duracion_segundos", 1.5),
        ("duracion_segundos", [1]),
        ("duracion_segundos", 10**30),
        ("duracion_segundos", -(10**30)),
        ("satisfaccion", {"nota": 5}),
        ("tiempo_espera_segundos", -1),
        ("numero_cliente", 600111222),
        ("numero_cliente", ["600"]),
        ("tipo", 5),
        ("resultado", None),
        ("usuario_id", 10**20),
        ("usuario_id", 0),
        ("usuario_id", "uno"),
        ("fecha_hora", 10**20),
        ("fecha_hora", "9999-12-31T23:59:59-14:00"),
        ("fecha_hora", "0001-01-01T00:00:00+14:00"),
        ("descripcion", 12),
        ("direccion", "arriba"),
    ],
)
def test_tipos_y_valores_imposibles_dan_422_nombrando_el_campo(
    robusto, cabeceras, sesion_bd, campo, valor
):
    respuesta = robusto.post(
        LLAMADAS, json=datos_llamada(**{campo: valor}), headers=cabeceras("supervisor")
    )
    assert campos_con_error(respuesta) == {campo}
    assert _filas(sesion_bd, Llamada) == 0


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_numeros_no_finitos_dan_422(robusto, cabeceras, sesion_bd, literal):
    cuerpo = json.dumps(datos_llamada(duracion_segundos="N")).encode().replace(b'"N"', literal)
    respuesta = robusto.post(LLAMADAS, content=cuerpo, headers=_json_crudo(cabeceras("agente")))
    assert campos_con_error(respuesta) == {"duracion_segundos"}
    assert _filas(sesion_bd, Llamada) == 0


@pytest.mark.parametrize(
    "ruta",
    [
        f"{LLAMADAS}{10**20}",
        f"{LLAMADAS}-{10**20}",
        f"{LLAMADAS}usuario/{10**20}",
        f"{USUARIOS}{10**20}",
        f"{LLAMADAS}1e3",
        f"{LLAMADAS}%00",
    ],
)
def test_ids_enormes_o_extranos_en_la_ruta_dan_422(robusto, cabeceras, ruta):
    respuesta = robusto.get(ruta, headers=cabeceras("admin"))
    assert campos_con_error(respuesta) <= {"llamada_id", "usuario_id"}


@pytest.mark.parametrize(
    ("parametro", "valor"),
    [
        ("usuario_id", 10**20),
        ("usuario_id", -1),
        ("skip", 10**20),
        ("limit", -(10**20)),
        ("numero_cliente", SQL),
        ("numero_cliente", "\x00"),
        ("tipo", "venta\x00"),
        ("desde", "\x00"),
        ("hasta", "9999-12-31T23:59:59-14:00"),
        ("categoria", "x" * 21),
    ],
)
def test_parametros_hostiles_en_la_lista_de_llamadas_dan_422(robusto, cabeceras, parametro, valor):
    respuesta = robusto.get(LLAMADAS, params={parametro: valor}, headers=cabeceras("admin"))
    assert campos_con_error(respuesta) == {parametro}


@pytest.mark.parametrize("categoria", ["\x00", "' OR 1=1"])
def test_categoria_hostil_da_422(robusto, cabeceras, categoria):
    respuesta = robusto.get(LLAMADAS, params={"categoria": categoria}, headers=cabeceras("admin"))
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta).startswith("categoria: valor no válido")


def test_cadena_con_aspecto_de_sql_se_guarda_tal_cual_y_no_hace_nada(cliente, cabeceras, sesion_bd):
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=SQL)
    leida = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente")).json()
    assert leida["descripcion"] == SQL
    assert _filas(sesion_bd, Llamada) == 1
    assert cliente.get(LLAMADAS, headers=cabeceras("agente")).json()[0]["descripcion"] == SQL


def test_sql_en_numero_de_cliente_y_busqueda_no_rompe_nada(robusto, cabeceras, sesion_bd):
    en_ruta = robusto.get(f"{LLAMADAS}cliente/{SQL}", headers=cabeceras("admin"))
    buscar = robusto.get(USUARIOS, params={"buscar": SQL}, headers=cabeceras("admin"))
    login = robusto.post(LOGIN, json={"email": f"sup@example.com{SQL}", "password": SQL})
    assert campos_con_error(en_ruta) == {"numero_cliente"}
    assert (buscar.status_code, buscar.json()) == (200, [])
    assert (login.status_code, login.json()) == (401, {"detail": "Correo o contraseña incorrectos"})
    assert _filas(sesion_bd, Usuario) == 3


def test_descripcion_de_1_mb_da_422_nombrando_el_campo(robusto, cabeceras, sesion_bd):
    respuesta = robusto.post(
        LLAMADAS, json=datos_llamada(descripcion="a" * 1_000_000), headers=cabeceras("agente")
    )
    assert campos_con_error(respuesta) == {"descripcion"}
    assert respuesta.json()["detail"][0]["msg"] == (
        "descripcion: debe tener como máximo 20000 caracteres"
    )
    assert _filas(sesion_bd, Llamada) == 0


def test_cuerpo_de_10_mb_da_413_sin_guardar_nada(robusto, cabeceras, sesion_bd):
    cuerpo = datos_llamada(numero_cliente="6" * 10_000_000)
    respuesta = robusto.post(LLAMADAS, json=cuerpo, headers=cabeceras("agente"))
    assert respuesta.status_code == 413
    assert respuesta.json() == {
        "detail": "El cuerpo de la petición supera el máximo de 1048576 bytes"
    }
    assert _filas(sesion_bd, Llamada) == 0


@pytest.mark.parametrize("campo", ["descripcion", "numero_cliente"])
def test_caracter_nulo_en_un_texto_da_422(robusto, cabeceras, sesion_bd, campo):
    respuesta = robusto.post(
        LLAMADAS, json=datos_llamada(**{campo: "600\x00111"}), headers=cabeceras("agente")
    )
    assert campos_con_error(respuesta) == {campo}
    assert respuesta.json()["detail"][0]["msg"] == f"{campo}: no puede contener el carácter nulo"
    assert _filas(sesion_bd, Llamada) == 0


@pytest.mark.parametrize("campo", ["nombre", "email", "password"])
def test_caracter_nulo_al_crear_usuario_da_422(robusto, cabeceras, sesion_bd, campo):
    valor = {"nombre": "Ana\x00", "email": "ana\x00@example.com", "password": "123456\x00"}[campo]
    respuesta = robusto.post(
        USUARIOS, json=datos_usuario(**{campo: valor}), headers=cabeceras("admin")
    )
    assert campos_con_error(respuesta) == {campo}
    assert _filas(sesion_bd, Usuario) == 3


def test_caracter_nulo_en_la_busqueda_de_usuarios_no_da_500(robusto, cabeceras):
    respuesta = robusto.get(USUARIOS, params={"buscar": "sup\x00"}, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    assert [u["email"] for u in respuesta.json()] == ["sup@example.com"]


@pytest.mark.parametrize(
    "credenciales",
    [
        {"json": {"email": "sup@example.com\x00", "password": "123456"}},
        {"json": {"email": "sup@example.com", "password": "123456\x00"}},
        {"data": {"username": "sup@example.com\x00", "password": "123456"}},
    ],
)
def test_caracter_nulo_en_el_login_da_422(robusto, credenciales):
    respuesta = robusto.post(LOGIN, **credenciales)
    campos = campos_con_error(respuesta)
    assert campos in ({"email"}, {"password"})
    assert respuesta.json()["detail"][0]["msg"].endswith("no puede contener el carácter nulo")


@pytest.mark.parametrize(
    ("cuerpo", "tipo"),
    [
        (b"[1]", "application/json"),
        (b"{", "application/json"),
        (b"\xff\xfe\xfd", "application/x-www-form-urlencoded"),
        (b"--x\r\nbasura", "multipart/form-data; boundary=x"),
        (b"", "text/plain"),
    ],
)
def test_login_con_cuerpo_hostil_da_422(robusto, cuerpo, tipo):
    respuesta = robusto.post(LOGIN, content=cuerpo, headers={"Content-Type": tipo})
    assert respuesta.status_code == 422
    assert respuesta.json()["detail"]


def test_texto_con_emoji_y_alfabetos_varios_se_guarda_intacto(cliente, cabeceras):
    texto = "Cliente 😡 muy molesto — 退款 — ¿reembolso? ñandú Ωmega"
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=texto)
    leida = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente")).json()
    assert leida["descripcion"] == texto


def test_nombre_con_emoji_se_guarda_intacto(cliente, cabeceras):
    respuesta = cliente.post(
        USUARIOS, json=datos_usuario(nombre="Zoë 🎧 Núñez"), headers=cabeceras("admin")
    )
    assert respuesta.status_code == 201
    assert respuesta.json()["nombre"] == "Zoë 🎧 Núñez"


def test_sustituto_unicode_suelto_da_422(robusto, cabeceras, sesion_bd):
    cuerpo = json.dumps(datos_llamada(descripcion="X")).replace('"X"', '"\\ud800"').encode()
    respuesta = robusto.post(LLAMADAS, content=cuerpo, headers=_json_crudo(cabeceras("agente")))
    assert campos_con_error(respuesta) == {"descripcion"}
    assert _filas(sesion_bd, Llamada) == 0


def test_patch_hostil_no_deja_la_llamada_a_medias(robusto, cabeceras, sesion_bd):
    llamada = crear_llamada(robusto, cabeceras("agente"))
    respuesta = robusto.patch(
        f"{LLAMADAS}{llamada['id']}",
        json={"satisfaccion": 5, "duracion_segundos": 10**30},
        headers=cabeceras("agente"),
    )
    assert campos_con_error(respuesta) == {"duracion_segundos"}
    leida = robusto.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente")).json()
    assert leida["satisfaccion"] is None
    assert leida["duracion_segundos"] == llamada["duracion_segundos"]
