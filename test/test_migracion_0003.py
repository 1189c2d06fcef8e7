"""Migración 0003: reconstruye sin perder filas, sella a cada usuario y pliega los números."""

import importlib.util
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text

from database import crear_motor, migrar, normalizar_url

RAIZ = Path(__file__).resolve().parents[1]
_ESPECIFICACION = importlib.util.spec_from_file_location(
    "migracion_0002", RAIZ / "data" / "migraciones" / "versions" / "0002_metricas_diarias.py"
)
_MIGRACION_0002 = importlib.util.module_from_spec(_ESPECIFICACION)
_ESPECIFICACION.loader.exec_module(_MIGRACION_0002)
COLUMNAS_VECTOR = _MIGRACION_0002.COLUMNAS_VECTOR  # las de metricas_agentes en la 0002
TABLAS_CON_ID = ("usuarios", "llamadas", "clasificacion_ia", "metricas", "reportes")
FILAS_0002 = (
    "INSERT INTO usuarios (id, nombre, email, password_hash, rol, activo, creado_en) VALUES "
    "(1, 'A', 'a@example.com', 'h', 'agente', TRUE, '2025-01-01'), "
    "(2, 'B', 'b@example.com', 'h', 'admin', TRUE, '2025-01-01'), "
    "(5, 'C', 'c@example.com', 'h', 'agente', TRUE, '2025-01-01')",
    "INSERT INTO llamadas (id, usuario_id, numero_cliente, duracion_segundos, tipo, resultado, "
    "fecha_hora, direccion, creado_en, actualizado_en) VALUES "
    "(1, 1, '+34 600 111 222', 10, 'venta', 'resuelta', '2025-01-02 10:00:00', 'entrante', "
    "'2025-01-02', '2025-01-02'), "
    "(2, 5, '６００１１１２２２', 10, 'venta', 'resuelta', '2025-01-02 11:00:00', 'entrante', "
    "'2025-01-02', '2025-01-02'), "
    "(3, 5, '+SUM(1)', 10, 'venta', 'resuelta', '2025-01-02 12:00:00', 'entrante', "
    "'2025-01-02', '2025-01-02')",
    "INSERT INTO clasificacion_ia (id, llamada_id, categoria, confianza, recomendacion_agente, "
    "sentimiento, motor, modelo, latencia_ms, creado_en) VALUES "
    "(7, 1, 'venta', 0.5, 'r', 'neutral', 'local', 'm', 1, '2025-01-02')",
    "INSERT INTO metricas (id, fecha, total_llamadas, contenido, calculado_en, vigente, version) "
    "VALUES (1, '2025-01-02', 3, '{}', '2025-01-03', TRUE, 0)",
    f"INSERT INTO metricas_agentes (fecha, usuario_id, {', '.join(COLUMNAS_VECTOR)}) "
    f"VALUES ('2025-01-02', 5, {', '.join(['1'] * len(COLUMNAS_VECTOR))})",
    "INSERT INTO reportes (id, generado_por, fecha_generado, desde, hasta, filtros, contenido, "
    "automatico) VALUES (3, 2, '2025-01-03', '2025-01-01', '2025-01-02', '{}', '{}', FALSE)",
)


def _hasta_0002(motor: Engine) -> None:
    configuracion = Config(str(RAIZ / "alembic.ini"))
    configuracion.set_main_option("script_location", str(RAIZ / "data" / "migraciones"))
    with motor.begin() as conexion:
        configuracion.attributes["conexion"] = conexion
        command.upgrade(configuracion, "0002")
        for sentencia in FILAS_0002:
            conexion.exec_driver_sql(sentencia)


def _comprobar_datos(motor: Engine) -> None:
    with motor.connect() as conexion:
        consulta = conexion.exec_driver_sql
        version = consulta("SELECT version_num FROM alembic_version").scalar()
        assert version >= "0003"
        numeros = dict(consulta("SELECT id, numero_cliente FROM llamadas ORDER BY id").fetchall())
        assert numeros == {1: "+34600111222", 2: "600111222", 3: "+SUM(1)"}
        sellos = [s for (s,) in consulta("SELECT sello FROM usuarios ORDER BY id")]
        assert len(sellos) == 3 and len(set(sellos)) == 3
        assert all(len(sello) == 32 for sello in sellos)
        # Con las claves foráneas activas, rehacer usuarios habría borrado o anulado estas filas.
        assert consulta("SELECT usuario_id FROM metricas_agentes").scalar() == 5
        assert consulta("SELECT generado_por FROM reportes WHERE id = 3").scalar() == 2
        assert consulta("SELECT llamada_id FROM clasificacion_ia WHERE id = 7").scalar() == 1
        # Plegar los números invalida la foto del día: los disparadores siguen en su sitio.
        assert consulta("SELECT vigente FROM metricas WHERE id = 1").scalar() in (0, False)


def _disparadores_de_base_nueva(tmp_path) -> set[str]:
    """Los disparadores de una base creada desde cero: la migrada debe acabar con los mismos."""
    motor = crear_motor(f"sqlite:///{tmp_path / 'nueva.db'}")
    migrar(motor)
    with motor.connect() as conexion:
        filas = conexion.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        nombres = {nombre for (nombre,) in filas}
    motor.dispose()
    return nombres


def test_migracion_0003_en_sqlite_conserva_todo_y_usa_autoincrement(tmp_path):
    motor = crear_motor(f"sqlite:///{tmp_path / 'vieja.db'}")
    _hasta_0002(motor)
    migrar(motor)
    _comprobar_datos(motor)
    with motor.begin() as conexion:
        consulta = conexion.exec_driver_sql
        assert consulta("PRAGMA foreign_keys").scalar() == 1
        assert consulta("PRAGMA foreign_key_check").fetchall() == []
        for tabla in TABLAS_CON_ID:
            sql = consulta(f"SELECT sql FROM sqlite_master WHERE name = '{tabla}'").scalar()
            assert "PRIMARY KEY AUTOINCREMENT" in sql, sql
        disparadores = consulta("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert {nombre for (nombre,) in disparadores} == _disparadores_de_base_nueva(tmp_path)
        consulta("DELETE FROM metricas_agentes")
        consulta("DELETE FROM llamadas WHERE usuario_id = 5")
        consulta("DELETE FROM usuarios WHERE id = 5")
        consulta(
            "INSERT INTO usuarios (nombre, email, password_hash, rol, activo, creado_en, sello) "
            "VALUES ('D', 'd@example.com', 'h', 'agente', 1, '2025-01-01', 's')"
        )
        assert consulta("SELECT MAX(id) FROM usuarios").scalar() == 6
    motor.dispose()


@pytest.fixture
def motor_postgresql_aparte() -> Iterator[Engine]:
    """Un esquema de PostgreSQL propio, para no tocar el de las demás pruebas."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("sin TEST_DATABASE_URL")
    esquema = f"migracion_{uuid.uuid4().hex[:8]}"
    administrador = create_engine(normalizar_url(url))
    with administrador.begin() as conexion:
        conexion.execute(text(f"CREATE SCHEMA {esquema}"))
    motor = create_engine(normalizar_url(url), connect_args={"options": f"-csearch_path={esquema}"})
    yield motor
    motor.dispose()
    with administrador.begin() as conexion:
        conexion.execute(text(f"DROP SCHEMA {esquema} CASCADE"))
    administrador.dispose()


def test_migracion_0003_en_postgresql_sella_y_pliega(motor_postgresql_aparte):
    _hasta_0002(motor_postgresql_aparte)
    with motor_postgresql_aparte.begin() as conexion:
        conexion.exec_driver_sql("SELECT setval('usuarios_id_seq', 5)")
    migrar(motor_postgresql_aparte)
    _comprobar_datos(motor_postgresql_aparte)
    with motor_postgresql_aparte.begin() as conexion:
        consulta = conexion.exec_driver_sql
        consulta("DELETE FROM metricas_agentes")
        consulta("DELETE FROM llamadas WHERE usuario_id = 5")
        consulta("DELETE FROM usuarios WHERE id = 5")
        nuevo = consulta(
            "INSERT INTO usuarios (nombre, email, password_hash, rol, activo, creado_en, sello) "
            "VALUES ('D', 'd@example.com', 'h', 'agente', TRUE, '2025-01-01', 's') RETURNING id"
        ).scalar()
        assert nuevo == 6


def test_toda_tabla_sqlite_con_id_entero_usa_autoincrement(app):
    with app.state.motor_sqlite.connect() as conexion:
        consulta = conexion.exec_driver_sql
        tablas = consulta(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name <> 'alembic_version'"
        ).fetchall()
        con_id = []
        for nombre, sql in tablas:
            clave = [c for c in consulta(f"PRAGMA table_info('{nombre}')") if c.pk]
            # Una clave que es a la vez clave foránea (estado de un agente) no genera ids.
            ajenas = {f[3] for f in consulta(f"PRAGMA foreign_key_list('{nombre}')")}
            if (
                len(clave) == 1
                and clave[0].type.upper() == "INTEGER"
                and clave[0].name not in ajenas
            ):
                con_id.append(nombre)
                assert "AUTOINCREMENT" in sql, f"{nombre} reutilizaría ids borrados"
    assert set(TABLAS_CON_ID) <= set(con_id)
