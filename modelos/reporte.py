"""Tabla reportes: KPIs de un periodo guardados a petición o por el programador."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc


class Reporte(Base):
    __tablename__ = "reportes"
    __table_args__ = (
        # Un solo reporte automático por periodo aunque varios procesos corran el programador.
        Index(
            "uq_reportes_automatico_periodo",
            "desde",
            "hasta",
            unique=True,
            sqlite_where=text("automatico = 1"),
            postgresql_where=text("automatico"),
        ),
        SIN_REUTILIZAR_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    generado_por: Mapped[int | None] = mapped_column(
        ForeignKey("usuarios.id", ondelete="SET NULL"), index=True
    )
    fecha_generado: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc, index=True)
    descripcion: Mapped[str | None] = mapped_column(String(500))
    desde: Mapped[datetime] = mapped_column(FechaUTC)
    hasta: Mapped[datetime] = mapped_column(FechaUTC)
    filtros: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    contenido: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    automatico: Mapped[bool] = mapped_column(Boolean, default=False)
    # Reportes automáticos: diario, semanal o mensual; huella de las llamadas del periodo con
    # la que se calcularon (si cambia, el programador lo recalcula) y cuándo se recalculó.
    periodicidad: Mapped[str | None] = mapped_column(String(10))
    huella: Mapped[str | None] = mapped_column(String(200))
    actualizado_en: Mapped[datetime | None] = mapped_column(FechaUTC)
