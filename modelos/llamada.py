"""Tabla llamadas: cada llamada que atiende o hace un agente."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc
from modelos.enums import Direccion, ResultadoLlamada, TipoLlamada, columna_enum

if TYPE_CHECKING:
    from modelos.clasificacion_ia import ClasificacionIA
    from modelos.usuario import Usuario


class Llamada(Base):
    __tablename__ = "llamadas"
    __table_args__ = (
        CheckConstraint("duracion_segundos >= 0", name="duracion_no_negativa"),
        CheckConstraint("satisfaccion BETWEEN 1 AND 5", name="satisfaccion_1_a_5"),
        CheckConstraint("tiempo_espera_segundos >= 0", name="espera_no_negativa"),
        # Filtros de la lista con su orden (fecha, id): la página y el total acotado sin recorrer
        # la tabla (migración 0011).
        Index("ix_llamadas_usuario_fecha", "usuario_id", "fecha_hora", "id"),
        Index("ix_llamadas_cliente_fecha", "numero_cliente", "fecha_hora", "id"),
        Index("ix_llamadas_fecha_hora", "fecha_hora", "id"),
        Index("ix_llamadas_tipo_fecha", "tipo", "fecha_hora", "id"),
        Index("ix_llamadas_tipo_resultado_fecha", "tipo", "resultado", "fecha_hora", "id"),
        SIN_REUTILIZAR_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("usuarios.id", ondelete="RESTRICT"))
    numero_cliente: Mapped[str] = mapped_column(String(30))
    duracion_segundos: Mapped[int] = mapped_column(Integer)
    tipo: Mapped[TipoLlamada] = mapped_column(columna_enum(TipoLlamada, "tipo"))
    resultado: Mapped[ResultadoLlamada] = mapped_column(columna_enum(ResultadoLlamada, "resultado"))
    fecha_hora: Mapped[datetime] = mapped_column(FechaUTC)
    descripcion: Mapped[str | None] = mapped_column(Text)
    satisfaccion: Mapped[int | None] = mapped_column(SmallInteger)
    tiempo_espera_segundos: Mapped[int | None] = mapped_column(Integer)
    direccion: Mapped[Direccion] = mapped_column(
        columna_enum(Direccion, "direccion"), default=Direccion.entrante
    )
    creado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    actualizado_en: Mapped[datetime] = mapped_column(
        FechaUTC, default=ahora_utc, onupdate=ahora_utc
    )

    usuario: Mapped["Usuario"] = relationship(lazy="raise")
    clasificacion: Mapped["ClasificacionIA | None"] = relationship(
        back_populates="llamada", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
