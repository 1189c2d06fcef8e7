"""Entorno de Alembic: usa la conexión que le pasa el servicio o DATABASE_URL."""

from logging.config import fileConfig

from alembic import context

from config import obtener_ajustes
from database import claves_foraneas_desactivadas, crear_motor
from modelos import Base
from modelos.trabajo import incluir_en_alembic

configuracion = context.config
if configuracion.config_file_name and configuracion.attributes.get("conexion") is None:
    fileConfig(configuracion.config_file_name, disable_existing_loggers=False)

metadatos = Base.metadata


def _migrar(conexion) -> None:
    context.configure(
        connection=conexion,
        target_metadata=metadatos,
        render_as_batch=conexion.dialect.name == "sqlite",
        compare_type=True,
        include_name=incluir_en_alembic,
    )
    with context.begin_transaction():
        context.run_migrations()


def ejecutar_en_linea() -> None:
    """Migra con la conexión recibida o, desde la línea de órdenes, con DATABASE_URL."""
    conexion = configuracion.attributes.get("conexion")
    if conexion is not None:
        _migrar(conexion)
        return
    motor = crear_motor(obtener_ajustes().database_url)
    with motor.connect() as conexion, claves_foraneas_desactivadas(conexion):
        _migrar(conexion)
    motor.dispose()


if context.is_offline_mode():
    context.configure(url=obtener_ajustes().database_url, target_metadata=metadatos)
    with context.begin_transaction():
        context.run_migrations()
else:
    ejecutar_en_linea()
