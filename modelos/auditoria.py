"""Tabla auditoria: quién hizo qué, cuándo y desde dónde; solo se añaden filas."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc


class Auditoria(Base):
    __tablename__ = "auditoria"
    __table_args__ = (Index("ix_auditoria_entidad", "entidad", "entidad_id"), SIN_REUTILIZAR_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    fecha: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc, index=True)
    # Sin clave foránea: el registro sobrevive al usuario y nunca se reescribe al borrarlo.
    usuario_id: Mapped[int | None] = mapped_column(index=True)
    accion: Mapped[str] = mapped_column(String(60), index=True)
    entidad: Mapped[str] = mapped_column(String(40))
    entidad_id: Mapped[int | None]
    detalle: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))
    request_id: Mapped[str | None] = mapped_column(String(128))
