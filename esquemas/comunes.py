"""Tipos reutilizables de validación en el borde: textos, fechas, enums tolerantes."""

import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

ID_MAXIMO = 2_147_483_647
ENTERO_MAXIMO = 2_147_483_647


def sin_tildes(texto: str) -> str:
    """Minúsculas sin tildes ni espacios sobrantes: 'Logística ' -> 'logistica'."""
    descompuesto = unicodedata.normalize("NFKD", texto.strip().lower())
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def normalizar_enum(valor: Any) -> Any:
    """Acepta mayúsculas y tildes en los valores de enumeración y los deja canónicos."""
    return sin_tildes(valor) if isinstance(valor, str) else valor


def _sin_nulos(valor: str) -> str:
    if "\x00" in valor:
        raise ValueError("no puede contener el carácter nulo")
    return valor


def _a_utc(valor: datetime) -> datetime:
    if valor.tzinfo is None:
        return valor.replace(tzinfo=UTC)
    return valor.astimezone(UTC)


def enum_tolerante(enum: type[StrEnum]) -> Any:
    """Tipo anotado para un enum que admite 'Técnico', 'TECNICO' o 'tecnico'."""
    return Annotated[enum, BeforeValidator(normalizar_enum)]


Texto = Annotated[str, AfterValidator(_sin_nulos)]
FechaUTC = Annotated[datetime, AfterValidator(_a_utc)]
Id = Annotated[int, Field(ge=1, le=ID_MAXIMO)]
