"""Tablas metricas y metricas_agentes: la foto de cada día cerrado y sus sumas por agente."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc

# Sumas y recuentos por (día, agente): sumarlas da los KPIs exactos de cualquier conjunto de días.
COLUMNAS_VECTOR = (
    "total",
    "suma_duracion",
    "con_satisfaccion",
    "suma_satisfaccion",
    "satisfaccion_alta",
    "con_espera",
    "suma_espera",
    "dentro_nivel",
    "primer_contacto",
    "categoria_venta",
    "categoria_soporte",
    "categoria_reclamo",
    "categoria_sin_clasificar",
    "tipo_venta",
    "tipo_soporte",
    "tipo_reclamo",
    "tipo_consulta",
    "tipo_tecnico",
    "tipo_logistica",
    "resultado_atendida",
    "resultado_colgada",
    "resultado_resuelta",
    "resultado_escalada",
    "resultado_pendiente",
    "resultado_fallida",
    "direccion_entrante",
    "direccion_saliente",
)


class Metrica(Base):
    """Foto de un día UTC cerrado; vigente=False cuando una llamada de ese día cambió después."""

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


class MetricaAgente(Base):
    """Sumas de un agente en un día cerrado; se reescriben junto con la fila de metricas."""

    __tablename__ = "metricas_agentes"

    fecha: Mapped[date] = mapped_column(Date, primary_key=True)
    usuario_id: Mapped[int] = mapped_column(
        ForeignKey("usuarios.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    total: Mapped[int] = mapped_column(Integer, default=0)
    suma_duracion: Mapped[int] = mapped_column(Integer, default=0)
    con_satisfaccion: Mapped[int] = mapped_column(Integer, default=0)
    suma_satisfaccion: Mapped[int] = mapped_column(Integer, default=0)
    satisfaccion_alta: Mapped[int] = mapped_column(Integer, default=0)
    con_espera: Mapped[int] = mapped_column(Integer, default=0)
    suma_espera: Mapped[int] = mapped_column(Integer, default=0)
    dentro_nivel: Mapped[int] = mapped_column(Integer, default=0)
    primer_contacto: Mapped[int] = mapped_column(Integer, default=0)
    categoria_venta: Mapped[int] = mapped_column(Integer, default=0)
    categoria_soporte: Mapped[int] = mapped_column(Integer, default=0)
    categoria_reclamo: Mapped[int] = mapped_column(Integer, default=0)
    categoria_sin_clasificar: Mapped[int] = mapped_column(Integer, default=0)
    tipo_venta: Mapped[int] = mapped_column(Integer, default=0)
    tipo_soporte: Mapped[int] = mapped_column(Integer, default=0)
    tipo_reclamo: Mapped[int] = mapped_column(Integer, default=0)
    tipo_consulta: Mapped[int] = mapped_column(Integer, default=0)
    tipo_tecnico: Mapped[int] = mapped_column(Integer, default=0)
    tipo_logistica: Mapped[int] = mapped_column(Integer, default=0)
    resultado_atendida: Mapped[int] = mapped_column(Integer, default=0)
    resultado_colgada: Mapped[int] = mapped_column(Integer, default=0)
    resultado_resuelta: Mapped[int] = mapped_column(Integer, default=0)
    resultado_escalada: Mapped[int] = mapped_column(Integer, default=0)
    resultado_pendiente: Mapped[int] = mapped_column(Integer, default=0)
    resultado_fallida: Mapped[int] = mapped_column(Integer, default=0)
    direccion_entrante: Mapped[int] = mapped_column(Integer, default=0)
    direccion_saliente: Mapped[int] = mapped_column(Integer, default=0)
