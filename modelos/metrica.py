"""Tablas metricas y metricas_agentes: la foto de cada día cerrado y sus sumas por agente."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc
from modelos.sumas import COLUMNAS_FOTO, COLUMNAS_VECTOR

__all__ = ["COLUMNAS_VECTOR", "Metrica", "MetricaAgente"]


class Metrica(Base):
    """Foto de un día civil cerrado en la zona del centro: [inicio, fin) en UTC y la zona con
    que se hizo; vigente=False cuando una llamada de ese tramo cambió después."""

    __tablename__ = "metricas"
    __table_args__ = SIN_REUTILIZAR_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    fecha: Mapped[date] = mapped_column(Date, unique=True)
    total_llamadas: Mapped[int] = mapped_column(Integer, default=0)
    promedio_duracion: Mapped[float | None] = mapped_column(Float)
    satisfaccion_cliente: Mapped[float | None] = mapped_column(Float)
    tasa_resolucion: Mapped[float | None] = mapped_column(Float)
    contenido: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    calculado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    vigente: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    umbral_nivel_servicio: Mapped[int | None] = mapped_column(Integer)
    zona: Mapped[str | None] = mapped_column(String(64))
    umbral_confianza: Mapped[float | None] = mapped_column(Float)
    inicio: Mapped[datetime | None] = mapped_column(FechaUTC)
    fin: Mapped[datetime | None] = mapped_column(FechaUTC)


INDICE_KPI = (
    "total",
    "suma_duracion",
    "suma_satisfaccion",
    "con_satisfaccion",
    "resultado_resuelta",
    "resultado_escalada",
    "resultado_colgada",
    "primer_contacto",
)


class MetricaAgente(Base):
    """Sumas de un agente en un día cerrado; se reescriben junto con la fila de metricas."""

    __tablename__ = "metricas_agentes"

    fecha: Mapped[date] = mapped_column(Date, primary_key=True)
    usuario_id: Mapped[int] = mapped_column(
        ForeignKey("usuarios.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# Una columna entera por suma del vector y de las franjas (modelos/sumas.py), en la fila del
# agente y en la del día (las del equipo entero): no se copian a mano.
for _columna in COLUMNAS_FOTO:
    setattr(MetricaAgente, _columna, mapped_column(_columna, Integer, default=0, nullable=False))
    setattr(Metrica, _columna, mapped_column(_columna, Integer, default=0, nullable=False))

# Cubre la tabla por agente de un periodo (crud/metrica_fotos.COLUMNAS_POR_AGENTE): se suma desde el
# índice, sin leer las filas de ~125 columnas.
Index(
    "ix_metricas_agentes_kpi",
    MetricaAgente.fecha,
    MetricaAgente.usuario_id,
    *(getattr(MetricaAgente, columna) for columna in INDICE_KPI),
)
