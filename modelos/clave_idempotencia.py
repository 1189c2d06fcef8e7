"""Tabla claves_idempotencia: el resultado de un alta repetible con la cabecera Idempotency-Key."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc


class ClaveIdempotencia(Base):
    """Una clave por usuario: la huella del cuerpo y la llamada que creó, hasta que caduca."""

    __tablename__ = "claves_idempotencia"
    __table_args__ = (
        UniqueConstraint("usuario_id", "clave"),
        Index("ix_claves_idempotencia_expira_en", "expira_en"),
        Index("ix_claves_idempotencia_llamada_id", "llamada_id"),
        SIN_REUTILIZAR_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("usuarios.id", ondelete="CASCADE"))
    clave: Mapped[str] = mapped_column(String(255))
    huella: Mapped[str] = mapped_column(String(64))
    llamada_id: Mapped[int] = mapped_column(ForeignKey("llamadas.id", ondelete="CASCADE"))
    creado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    expira_en: Mapped[datetime] = mapped_column(FechaUTC)
