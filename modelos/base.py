"""Base declarativa con convención de nombres y el tipo de fecha en UTC."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

CONVENCION_NOMBRES = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Sin AUTOINCREMENT, SQLite reutiliza el id más alto tras borrarlo: un token o un enlace viejo
# apuntaría a otra fila. Toda tabla con id entero lo lleva (PostgreSQL usa secuencias).
SIN_REUTILIZAR_IDS = {"sqlite_autoincrement": True}


def ahora_utc() -> datetime:
    """Instante actual con zona UTC."""
    return datetime.now(UTC)


class FechaUTC(TypeDecorator[datetime]):
    """Fecha con zona: se guarda en UTC y se lee siempre con tzinfo=UTC (también en SQLite)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, valor: datetime | None, dialect) -> datetime | None:
        if valor is None:
            return None
        if valor.tzinfo is None:
            valor = valor.replace(tzinfo=UTC)
        valor = valor.astimezone(UTC)
        return valor.replace(tzinfo=None) if dialect.name == "sqlite" else valor

    def process_result_value(self, valor: datetime | None, dialect) -> datetime | None:
        if valor is None:
            return None
        if valor.tzinfo is None:
            return valor.replace(tzinfo=UTC)
        return valor.astimezone(UTC)


class Base(DeclarativeBase):
    """Base de todos los modelos."""

    metadata = MetaData(naming_convention=CONVENCION_NOMBRES)
