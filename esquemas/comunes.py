"""Tipos reutilizables de validación en el borde: textos, fechas, enums tolerantes."""

import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

ID_MAXIMO = 2_147_483_647
ENTERO_MAXIMO = 2_147_483_647


def sin_tildes(texto: str) -> str:
    """Minúsculas sin tildes ni espacios sobrantes: 'Logística ' -> 'logistica'."""
    descompuesto = unicodedata.normalize("NFKD", texto.strip().lower())
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def normalizar_enum(valor: Any) -> Any:
    """Acepta mayúsculas y tildes en los valores de enumeración y los deja canónicos."""
    return sin_tildes(valor) if isinstance(valor, str) else valor


def _a_utc(valor: datetime) -> datetime:
    if valor.tzinfo is None:
        return valor.replace(tzinfo=UTC)
    try:
        return valor.astimezone(UTC)
    except OverflowError as error:  # 9999-12-31T23:00-14:00 cae fuera del calendario en UTC
        raise ValueError("la fecha está fuera del rango admitido") from error


def enum_tolerante(enum: type[StrEnum]) -> Any:
    """Tipo anotado para un enum que admite 'Técnico', 'TECNICO' o 'tecnico'."""
    return Annotated[enum, BeforeValidator(normalizar_enum)]


def _sin_nulos(valor: str) -> str:
    if "\x00" in valor:
        raise ValueError("no puede contener el carácter nulo")
    return valor


def texto(**restricciones: Any) -> Any:
    """str con sus restricciones (recorte, longitudes, patrón) y sin el carácter nulo."""
    # Las restricciones van en el propio str (así "   " recortado no cumple min_length=1) y el
    # nulo se comprueba después con un validador: no sale como `pattern` en el OpenAPI, donde
    # haría que Swagger UI inventase ejemplos ilegibles. No envolver un texto() en más
    # StringConstraints: se aplicarían tras el validador, sin recortar antes de medir.
    return Annotated[str, StringConstraints(**restricciones), AfterValidator(_sin_nulos)]


Texto = texto()
FechaUTC = Annotated[datetime, AfterValidator(_a_utc)]
Id = Annotated[int, Field(ge=1, le=ID_MAXIMO)]
