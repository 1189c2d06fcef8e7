"""data/ddl.sql y data/datos.sql se cargan a mano en una base vacía y dejan usuarios válidos."""

import sqlite3

import bcrypt
from sqlalchemy import text

from data.generar_ddl import RUTA_DDL

RUTA_DATOS = RUTA_DDL.parent / "datos.sql"


def _seccion(dialecto: str) -> str:
    contenido = RUTA_DDL.read_text(encoding="utf-8")
    inicio = contenido.index(f"-- ===== {dialecto} =====")
    fin = contenido.find("-- ===== ", inicio + 10)
    return contenido[inicio : fin if fin != -1 else None]


def test_ddl_y_datos_sql_cargan_en_sqlite_vacio(tmp_path):
    conexion = sqlite3.connect(tmp_path / "manual.db")
    conexion.executescript(_seccion("SQLite"))
    conexion.executescript(RUTA_DATOS.read_text(encoding="utf-8"))
    usuarios = dict(conexion.execute("SELECT email, password_hash FROM usuarios").fetchall())
    assert set(usuarios) == {"agente1@example.com", "sup@example.com", "admin@example.com"}
    assert all(bcrypt.checkpw(b"123456", h.encode()) for h in usuarios.values())
    assert conexion.execute("SELECT COUNT(*) FROM llamadas").fetchone()[0] == 12
    tipos = {t for (t,) in conexion.execute("SELECT DISTINCT tipo FROM llamadas")}
    assert tipos == {"venta", "soporte", "reclamo", "consulta", "tecnico", "logistica"}
    disparadores = conexion.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'")
    assert disparadores.fetchone()[0] == 8


def test_datos_sql_carga_en_el_esquema_migrado(motor_bd, cliente):
    with motor_bd.begin() as conexion:
        conexion.execute(text("DELETE FROM usuarios"))
        conexion.exec_driver_sql(RUTA_DATOS.read_text(encoding="utf-8").split(";\n")[0])
    respuesta = cliente.post(
        "/api/usuarios/login", json={"email": "admin@example.com", "password": "123456"}
    )
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario"]["rol"] == "admin"
