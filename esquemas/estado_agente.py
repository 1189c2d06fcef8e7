"""Esquemas del estado de un agente (disponible, en llamada, en pausa con motivo, desconectado)."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, ValidationInfo, field_validator

from esquemas.comunes import Texto, enum_tolerante
from modelos.enums import EstadoAgente

EstadoEntrada = enum_tolerante(EstadoAgente)
Motivo = Annotated[Texto, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class EstadoCambiar(BaseModel):
    """Nuevo estado; la pausa exige un motivo."""

    estado: EstadoEntrada
    motivo: Motivo | None = Field(
        default=None, validate_default=True, description="Obligatorio para 'pausa'"
    )

    @field_validator("motivo")
    @classmethod
    def _pausa_con_motivo(cls, valor: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("estado") == EstadoAgente.pausa and not valor:
            raise ValueError("es obligatorio para la pausa")
        return valor


class EstadoPublico(BaseModel):
    usuario_id: int
    nombre: str
    estado: EstadoAgente
    motivo: str | None
    desde: datetime
