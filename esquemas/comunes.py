"""Tipos reutilizables de validación en el borde: textos, fechas, enums tolerantes."""

import unicodedata
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, StringConstraints

ID_MAXIMO = 2_147_483_647
ENTERO_MAXIMO = 2_147_483_647
# Fechas acotadas lejos de los extremos del calendario: sumar un periodo o un día nunca desborda.
AÑO_MINIMO = 1900
AÑO_MAXIMO = 9998
FUERA_DE_RANGO = f"la fecha debe estar entre los años {AÑO_MINIMO} y {AÑO_MAXIMO}"


def sin_tildes(texto: str) -> str:
    """Minúsculas sin tildes ni espacios sobrantes: 'Logística ' -> 'logistica'."""
    descompuesto = unicodedata.normalize("NFKD", texto.strip().lower())
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def normalizar_enum(valor: Any) -> Any:
    """Acepta mayúsculas y tildes en los valores de enumeración y los deja canónicos."""
    return sin_tildes(valor) if isinstance(valor, str) else valor


def _a_utc(valor: datetime) -> datetime:
    if valor.tzinfo is None:
        valor = valor.replace(tzinfo=UTC)
    try:
        valor = valor.astimezone(UTC)
    except OverflowError as error:  # 9999-12-31T23:00-14:00 cae fuera del calendario en UTC
        raise ValueError(FUERA_DE_RANGO) from error
    if not AÑO_MINIMO <= valor.year <= AÑO_MAXIMO:
        raise ValueError(FUERA_DE_RANGO)
    return valor


def _dia_acotado(valor: date) -> date:
    if not AÑO_MINIMO <= valor.year <= AÑO_MAXIMO:
        raise ValueError(FUERA_DE_RANGO)
    return valor


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
Dia = Annotated[date, AfterValidator(_dia_acotado)]


def _solo_fecha(valor: Any) -> Any:
    """'AAAA-MM-DD' sin hora pasa como date (un día civil en la zona del centro)."""
    if isinstance(valor, str) and len(valor.strip()) == 10:
        try:
            return date.fromisoformat(valor.strip())
        except ValueError:
            return valor
    return valor


# Fecha ('2026-11-30': el día civil entero en ZONA_HORARIA, lo resuelve el servicio) o instante
# ISO 8601 (sin zona se toma como UTC).
FechaODia = Annotated[
    Annotated[date, Strict(), AfterValidator(_dia_acotado)] | FechaUTC,
    Field(union_mode="left_to_right"),
    BeforeValidator(_solo_fecha),
]
Id = Annotated[int, Field(ge=1, le=ID_MAXIMO)]
