"""Auditoría: sin secretos, consulta filtrada y paginada, CSV seguro y arranque registrado."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from config import CLAVE_DE_EJEMPLO
from crud import auditoria as crud_auditoria
from main import crear_app
from modelos import Auditoria
from servicios.auditoria_csv import celda_segura
from servicios.semilla import PASSWORD_INICIAL
from test.ayudas_api import campos_con_error, crear_usuario, id_usuario
from test.conftest import EMAILS, ajustes_de_prueba


def _listar(cliente, cabeceras, **filtros):
    return cliente.get("/api/auditoria/", params=filtros, headers=cabeceras("admin"))


def test_ninguna_fila_guarda_contrasenas_hashes_ni_tokens(cliente, cabeceras, sesion_bd, app):
    admin = cabeceras("admin")
    secretos = ["Clave-Inicial-Marta-2024", "Clave-Nueva-Marta-9876", "Intento-Erroneo-5555"]
    usuario = crear_usuario(cliente, admin, email="marta@example.com", password=secretos[0])
    ruta = f"/api/usuarios/{usuario['id']}"
    assert cliente.patch(ruta, json={"password": secretos[1]}, headers=admin).status_code == 200
    sesion_marta = cliente.post(
        "/api/usuarios/login", json={"email": "marta@example.com", "password": secretos[1]}
    ).json()
    propia = {"Authorization": f"Bearer {sesion_marta['access_token']}"}
    cambio = {"password": secretos[2] + "x", "password_actual": secretos[1]}
    assert cliente.patch(ruta, json=cambio, headers=propia).status_code == 200
    cliente.post(
        "/api/usuarios/login", json={"email": "marta@example.com", "password": secretos[2]}
    )
    cliente.get("/api/auditoria/exportar", headers=admin)
    tokens = [admin["Authorization"].split()[1], sesion_marta["access_token"]]
    hashes = [h for (h,) in sesion_bd.execute(select(Auditoria.detalle))]
    texto = json.dumps(
        [
            [f.detalle, f.accion, f.entidad, f.ip, f.request_id]
            for f in sesion_bd.scalars(select(Auditoria))
        ],
        ensure_ascii=False,
    )
    assert len(hashes) >= 7
    for secreto in [*secretos, PASSWORD_INICIAL, app.state.ajustes.secret_key, *tokens]:
        assert secreto not in texto
    assert "$2b$" not in texto and "password_hash" not in texto


def test_filtros_de_periodo_usuario_accion_y_entidad_con_total_y_paginas(
    cliente, cabeceras, sesion_bd
):
    admin_id = id_usuario(cliente, cabeceras("admin"))
    for indice in range(5):
        crear_usuario(cliente, cabeceras("admin"), email=f"u{indice}@example.com")
    respuesta = _listar(cliente, cabeceras, accion="usuario.creado", limit=2, skip=1)
    assert respuesta.status_code == 200
    assert respuesta.headers["x-total-count"] == "5"
    emails = [f["detalle"]["email"] for f in respuesta.json()]
    assert emails == ["u3@example.com", "u2@example.com"]  # lo más reciente primero
    por_entidad = _listar(cliente, cabeceras, entidad="usuario", usuario_id=admin_id).json()
    assert {f["accion"] for f in por_entidad} == {"usuario.creado", "login.correcto"}
    ahora = datetime.now(UTC)
    crud_auditoria.crear(
        sesion=sesion_bd,
        datos={"accion": "prueba.vieja", "entidad": "sistema", "fecha": ahora - timedelta(days=40)},
    )
    sesion_bd.commit()
    desde = (ahora - timedelta(days=1)).isoformat()
    recientes = _listar(cliente, cabeceras, desde=desde, limit=500)
    assert "prueba.vieja" not in {f["accion"] for f in recientes.json()}
    hasta = (ahora - timedelta(days=30)).isoformat()
    viejas = _listar(cliente, cabeceras, hasta=hasta)
    assert [f["accion"] for f in viejas.json()] == ["prueba.vieja"]
    assert viejas.headers["x-total-count"] == "1"


def test_filtros_no_validos_dan_422_nombrando_el_campo(cliente, cabeceras):
    assert campos_con_error(_listar(cliente, cabeceras, accion="'; DROP TABLE x")) == {"accion"}
    assert campos_con_error(_listar(cliente, cabeceras, usuario_id=0)) == {"usuario_id"}
    assert campos_con_error(_listar(cliente, cabeceras, desde="ayer")) == {"desde"}
    assert campos_con_error(_listar(cliente, cabeceras, limit=0)) == {"limit"}
    invertido = _listar(
        cliente, cabeceras, desde="2025-02-01T00:00:00Z", hasta="2025-01-01T00:00:00Z"
    )
    assert invertido.status_code == 422
    assert campos_con_error(invertido) == {"desde"}


def test_supervisor_y_agente_no_leen_la_auditoria(cliente, cabeceras):
    for rol in ("agente", "supervisor"):
        for ruta in ("/api/auditoria/", "/api/auditoria/exportar"):
            respuesta = cliente.get(ruta, headers=cabeceras(rol))
            assert respuesta.status_code == 403
            assert respuesta.json()["detail"].startswith("Permiso denegado")


def test_celdas_que_empiezan_como_formula_se_neutralizan():
    assert celda_segura("=1+1") == "'=1+1"
    assert [celda_segura(v) for v in ("+1", "-1", "@SUM(A1)", "\tx")] == [
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
    ]
    assert (
        celda_segura("normal") == "normal" and celda_segura(None) == "" and celda_segura(5) == "5"
    )


def _csv(respuesta) -> list[list[str]]:
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.headers["content-type"].startswith("text/csv")
    assert "attachment" in respuesta.headers["content-disposition"]
    return list(csv.reader(io.StringIO(respuesta.content.decode("utf-8-sig")), delimiter=";"))


def test_exportar_csv_filtra_neutraliza_y_registra_quien_exporta(cliente, cabeceras, sesion_bd):
    admin = cabeceras("admin")
    for ip, rid in (("=cmd|' /C calc'!A0", "-2+3"), ("@SUMA(1)", "+ok")):
        crud_auditoria.crear(
            sesion=sesion_bd,
            datos={"accion": "prueba.formula", "entidad": "sistema", "ip": ip, "request_id": rid},
        )
    sesion_bd.commit()
    filas = _csv(cliente.get("/api/auditoria/exportar?accion=prueba.formula", headers=admin))
    cabecera, *datos = filas
    assert cabecera[:4] == ["id", "fecha", "usuario_id", "accion"]
    assert len(datos) == 2
    for fila in datos:
        celdas = dict(zip(cabecera, fila, strict=True))
        assert celdas["accion"] == "prueba.formula"
        assert celdas["ip"].startswith("'") and celdas["request_id"].startswith("'")
    assert [dict(zip(cabecera, f, strict=True))["ip"] for f in datos] == [
        "'=cmd|' /C calc'!A0",
        "'@SUMA(1)",
    ]
    respuesta = _listar(cliente, cabeceras, accion="auditoria.exportada")
    (exportada,) = respuesta.json()
    assert exportada["detalle"] == {"accion": "prueba.formula"}
    assert exportada["usuario_id"] == id_usuario(cliente, admin)


def test_exportar_todo_el_registro_incluye_cada_fila(cliente, cabeceras):
    for indice in range(3):
        crear_usuario(cliente, cabeceras("admin"), email=f"c{indice}@example.com")
    total = int(_listar(cliente, cabeceras).headers["x-total-count"])
    filas = _csv(cliente.get("/api/auditoria/exportar", headers=cabeceras("admin")))
    # La fila de la propia exportación se escribe antes del flujo: sale la última.
    assert len(filas) - 1 == total + 1
    assert filas[-1][3] == "auditoria.exportada"
    detalles = [json.loads(f[6]) for f in filas[1:]]
    assert sum(d.get("email", "").startswith("c") for d in detalles) == 3


def test_arranque_con_la_clave_de_ejemplo_queda_registrado(tmp_path):
    ajustes = ajustes_de_prueba(
        database_url=f"sqlite:///{tmp_path}/arranque.db", secret_key=CLAVE_DE_EJEMPLO
    )
    app = crear_app(ajustes)
    with TestClient(app), app.state.fabrica_sesiones() as sesion:
        filas = list(sesion.scalars(select(Auditoria).order_by(Auditoria.id)))
    assert [f.accion for f in filas] == ["sistema.arranque", "sistema.clave_insegura"]
    assert filas[0].detalle["entorno"] == "pruebas"
    assert filas[0].detalle["metricas"] == "solo loopback"
    assert filas[1].detalle == {"motivo": "SECRET_KEY es la clave de ejemplo"}
    assert all(f.usuario_id is None for f in filas)
    assert CLAVE_DE_EJEMPLO not in json.dumps([f.detalle for f in filas])
    assert EMAILS["admin"] not in json.dumps([f.detalle for f in filas])
