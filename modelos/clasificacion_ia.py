"""Tabla clasificacion_ia: la categoría y el consejo que la IA dio para una llamada."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc
from modelos.enums import Categoria, MotorIA, Sentimiento, columna_enum

if TYPE_CHECKING:
    from modelos.llamada import Llamada


class ClasificacionIA(Base):
    __tablename__ = "clasificacion_ia"
    __table_args__ = (
        CheckConstraint("confianza BETWEEN 0 AND 1", name="confianza_0_a_1"),
        SIN_REUTILIZAR_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    llamada_id: Mapped[int] = mapped_column(
        ForeignKey("llamadas.id", ondelete="CASCADE"), unique=True
    )
    categoria: Mapped[Categoria] = mapped_column(columna_enum(Categoria, "categoria"), index=True)
    confianza: Mapped[float] = mapped_column(Float)
    recomendacion_agente: Mapped[str] = mapped_column(Text)
    sentimiento: Mapped[Sentimiento] = mapped_column(
        columna_enum(Sentimiento, "sentimiento"), default=Sentimiento.neutral
    )
    resumen: Mapped[str | None] = mapped_column(Text)
    motor: Mapped[MotorIA] = mapped_column(columna_enum(MotorIA, "motor"))
    modelo: Mapped[str] = mapped_column(String(120))
    latencia_ms: Mapped[float] = mapped_column(Float, default=0.0)
    creado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    # Corrección humana: `categoria` pasa a ser la corregida y la del clasificador queda aquí.
    categoria_modelo: Mapped[Categoria | None] = mapped_column(
        columna_enum(Categoria, "categoria_modelo"), default=None
    )
    corregida_por_id: Mapped[int | None] = mapped_column(
        ForeignKey("usuarios.id", ondelete="SET NULL"), default=None
    )
    corregida_en: Mapped[datetime | None] = mapped_column(FechaUTC, default=None)
    nota_correccion: Mapped[str | None] = mapped_column(Text, default=None)

    llamada: Mapped["Llamada"] = relationship(back_populates="clasificacion", lazy="raise")
