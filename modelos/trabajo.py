"""Tablas de trabajos en segundo plano (motor local) y turnos de las tareas periódicas."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc

ESTADOS_TRABAJO = ("pendiente", "procesando", "lista", "fallida")


class Trabajo(Base):
    """Un trabajo durable del motor local (SQLite); en PostgreSQL los guarda procrastinate."""

    __tablename__ = "trabajos"
    __table_args__ = (
        CheckConstraint(
            "estado IN ('pendiente', 'procesando', 'lista', 'fallida')", name="estado_valido"
        ),
        Index("ix_trabajos_estado_disponible", "estado", "disponible_en"),
        Index("ix_trabajos_clave_unica", "clave_unica"),
        # Como mucho un trabajo por clave sin empezar: encolar dos veces no lo duplica.
        Index(
            "uq_trabajos_clave_pendiente",
            "clave_unica",
            unique=True,
            sqlite_where=text("estado = 'pendiente' AND intentos = 0"),
            postgresql_where=text("estado = 'pendiente' AND intentos = 0"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo: Mapped[str] = mapped_column(String(64))
    carga: Mapped[dict[str, Any]] = mapped_column(JSON)
    estado: Mapped[str] = mapped_column(String(12), default="pendiente")
    clave_unica: Mapped[str | None] = mapped_column(String(200))
    intentos: Mapped[int] = mapped_column(Integer, default=0)
    disponible_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    arrendado_hasta: Mapped[datetime | None] = mapped_column(FechaUTC)
    trabajador: Mapped[str | None] = mapped_column(String(64))
    creado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    actualizado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)


class TrabajoError(Base):
    """Error de un intento fallido, con cualquiera de los dos motores de trabajos."""

    __tablename__ = "trabajos_errores"
    __table_args__ = SIN_REUTILIZAR_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    trabajo_id: Mapped[int] = mapped_column(Integer, index=True)
    intento: Mapped[int] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text)
    ocurrido_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)


class TareaPeriodica(Base):
    """Turno de una tarea periódica: quien lo toma la ejecuta una vez en ese periodo."""

    __tablename__ = "tareas_periodicas"

    nombre: Mapped[str] = mapped_column(String(64), primary_key=True)
    proxima_en: Mapped[datetime] = mapped_column(FechaUTC)
    ultima_en: Mapped[datetime | None] = mapped_column(FechaUTC)
    trabajador: Mapped[str | None] = mapped_column(String(64))


def incluir_en_alembic(nombre: str | None, tipo: str, _padres: dict) -> bool:
    """Alembic compara solo lo del servicio: el esquema de procrastinate trae sus tablas."""
    return not (tipo == "table" and (nombre or "").startswith("procrastinate_"))
