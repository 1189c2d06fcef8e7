"""Tablas estados_agente (estado actual de cada agente) y transiciones_estado (su historial)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc
from modelos.enums import EstadoAgente, columna_enum


class EstadoActual(Base):
    """Estado vigente de un agente y desde cuándo (una fila por agente)."""

    __tablename__ = "estados_agente"

    usuario_id: Mapped[int] = mapped_column(
        ForeignKey("usuarios.id", ondelete="CASCADE"), primary_key=True
    )
    estado: Mapped[EstadoAgente] = mapped_column(columna_enum(EstadoAgente, "estado"))
    motivo: Mapped[str | None] = mapped_column(String(200))
    desde: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)


class TransicionEstado(Base):
    """Cada cambio de estado, para medir el tiempo pasado en cada uno."""

    __tablename__ = "transiciones_estado"
    __table_args__ = (
        Index("ix_transiciones_estado_usuario_desde", "usuario_id", "desde"),
        SIN_REUTILIZAR_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("usuarios.id", ondelete="CASCADE"))
    estado: Mapped[EstadoAgente] = mapped_column(columna_enum(EstadoAgente, "estado"))
    motivo: Mapped[str | None] = mapped_column(String(200))
    desde: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
