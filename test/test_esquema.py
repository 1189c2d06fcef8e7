"""El esquema: migraciones, modelos y data/ddl.sql cuentan la misma historia."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from data.generar_ddl import RUTA_DDL, generar_ddl
from modelos import Base
from modelos.trabajo import incluir_en_alembic


def test_ddl_sql_esta_al_dia_con_los_modelos():
    assert RUTA_DDL.read_text(encoding="utf-8") == generar_ddl(), (
        "data/ddl.sql no coincide con los modelos: ejecuta `python data/generar_ddl.py`"
    )


def test_migraciones_crean_exactamente_el_esquema_de_los_modelos(motor_bd):
    with motor_bd.connect() as conexion:
        opciones = {"compare_type": True, "include_name": incluir_en_alembic}
        contexto = MigrationContext.configure(conexion, opts=opciones)
        diferencias = compare_metadata(contexto, Base.metadata)
    assert diferencias == []


def test_indices_del_historial_y_de_los_kpis_existen(motor_bd):
    indices = {i["name"] for i in inspect(motor_bd).get_indexes("llamadas")}
    assert {
        "ix_llamadas_usuario_fecha",
        "ix_llamadas_cliente_fecha",
        "ix_llamadas_fecha_hora",
    } <= indices


def test_sqlite_usa_wal_y_claves_foraneas(app):
    with app.state.motor_sqlite.connect() as conexion:
        assert conexion.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conexion.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conexion.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
