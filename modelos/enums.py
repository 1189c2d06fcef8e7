"""Valores de dominio: se guardan en forma canónica (minúsculas, sin tildes)."""

from enum import StrEnum

from sqlalchemy import Enum as SAEnum


class Rol(StrEnum):
    agente = "agente"
    supervisor = "supervisor"
    admin = "admin"


class TipoLlamada(StrEnum):
    venta = "venta"
    soporte = "soporte"
    reclamo = "reclamo"
    consulta = "consulta"
    tecnico = "tecnico"
    logistica = "logistica"


class ResultadoLlamada(StrEnum):
    atendida = "atendida"
    colgada = "colgada"
    resuelta = "resuelta"
    escalada = "escalada"
    pendiente = "pendiente"
    fallida = "fallida"


class Direccion(StrEnum):
    entrante = "entrante"
    saliente = "saliente"


class Categoria(StrEnum):
    venta = "venta"
    soporte = "soporte"
    reclamo = "reclamo"


class Sentimiento(StrEnum):
    positivo = "positivo"
    neutral = "neutral"
    negativo = "negativo"


class MotorIA(StrEnum):
    llm = "llm"
    local = "local"


class EstadoAgente(StrEnum):
    disponible = "disponible"
    en_llamada = "en_llamada"
    pausa = "pausa"
    desconectado = "desconectado"


def columna_enum(enum: type[StrEnum], nombre: str) -> SAEnum:
    """Enum guardado como VARCHAR con CHECK (portable entre SQLite y PostgreSQL)."""
    return SAEnum(
        enum,
        name=nombre,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
