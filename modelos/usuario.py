"""Tabla usuarios: agentes, supervisores y administradores."""

import secrets
from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from modelos.base import SIN_REUTILIZAR_IDS, Base, FechaUTC, ahora_utc
from modelos.enums import Rol, columna_enum


def nuevo_sello() -> str:
    """Valor aleatorio que firma cada token; cambiarlo invalida al momento los tokens emitidos."""
    return secrets.token_hex(16)


class Usuario(Base):
    __tablename__ = "usuarios"
    __table_args__ = SIN_REUTILIZAR_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    nombre: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    rol: Mapped[Rol] = mapped_column(columna_enum(Rol, "rol"), default=Rol.agente)
    activo: Mapped[bool] = mapped_column(Boolean, default=True)
    creado_en: Mapped[datetime] = mapped_column(FechaUTC, default=ahora_utc)
    # Cambia con la contraseña, el rol, el correo o el estado: los tokens anteriores dejan de valer.
    sello: Mapped[str] = mapped_column(String(32), default=nuevo_sello, server_default="")
