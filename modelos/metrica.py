"""Tabla metricas: una foto por día cerrado con los KPIs del día (datos del dashboard)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, Integer
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import Base, FechaUTC, ahora_utc


class Metrica(Base):
    __tablename__ = "metricas"

    id: Mapped[int] = mapped_column(primary_key=True)
    fecha: Mapped[date] = mapped_column(Date, unique=True)
    total_llamadas: Mapped[int] = mapped_column(Integer, default=0)
    promedio_duracion: Mapped[float | None] = mapped_column(Float)
    satisfaccion_cliente: Mapped[float | None] = mapped_column(Float)
    tasa_resolucion: Mapped[float | None] = mapped_column(Float)
    contenido: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    calculado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
