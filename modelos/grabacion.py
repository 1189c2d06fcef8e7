"""Tablas grabaciones y transcripciones: el audio de una llamada y lo que se dijo en él.

La transcripción cuelga de la llamada y no de la grabación: la retención borra los audios
viejos y las transcripciones (ya redactadas) se quedan.
"""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc


class Grabacion(Base):
    __tablename__ = "grabaciones"
    __table_args__ = (SIN_REUTILIZAR_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    llamada_id: Mapped[int] = mapped_column(
        ForeignKey("llamadas.id", ondelete="CASCADE"), unique=True
    )
    # Nombre del fichero dentro de GRABACIONES_DIR (nunca una ruta que dé el cliente).
    fichero: Mapped[str] = mapped_column(String(200))
    formato: Mapped[str] = mapped_column(String(20))
    codec: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    tamano_bytes: Mapped[int] = mapped_column(BigInteger)
    duracion_segundos: Mapped[float] = mapped_column(Float)
    canales: Mapped[int] = mapped_column(Integer)
    frecuencia_hz: Mapped[int] = mapped_column(Integer)
    subida_por_id: Mapped[int | None] = mapped_column(
        ForeignKey("usuarios.id", ondelete="SET NULL"), default=None
    )
    creado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc, index=True)


class Transcripcion(Base):
    __tablename__ = "transcripciones"
    __table_args__ = (SIN_REUTILIZAR_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    llamada_id: Mapped[int] = mapped_column(
        ForeignKey("llamadas.id", ondelete="CASCADE"), unique=True
    )
    estado: Mapped[str] = mapped_column(String(20), default="pendiente")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    intentos: Mapped[int] = mapped_column(Integer, default=0)
    motor: Mapped[str | None] = mapped_column(String(40), default=None)
    idioma: Mapped[str | None] = mapped_column(String(20), default=None)
    duracion_segundos: Mapped[float | None] = mapped_column(Float, default=None)
    # Mono: un solo hablante, `desconocido`; estéreo: agente y cliente, uno por canal.
    mono: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # Solo texto ya redactado: el original no se guarda nunca.
    segmentos: Mapped[list | None] = mapped_column(JSON, default=None)
    texto: Mapped[str | None] = mapped_column(Text, default=None)
    analitica: Mapped[dict | None] = mapped_column(JSON, default=None)
    sentimientos: Mapped[dict | None] = mapped_column(JSON, default=None)
    # Copias de la analítica para los KPIs (medias en SQL, igual en SQLite y PostgreSQL).
    cuota_habla: Mapped[float | None] = mapped_column(Float, default=None)
    cuota_silencio: Mapped[float | None] = mapped_column(Float, default=None)
    solape_segundos: Mapped[float | None] = mapped_column(Float, default=None)
    creado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    actualizado_en: Mapped[datetime] = mapped_column(
        FechaUTC, default=ahora_utc, onupdate=ahora_utc
    )
