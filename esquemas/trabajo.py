"""Esquemas de los trabajos en segundo plano (solo lectura)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from trabajos import EstadoTrabajo


class TrabajoPublico(BaseModel):
    """Un trabajo: tipo, carga, estado, intentos y el último error si lo hubo."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    tipo: str
    estado: EstadoTrabajo
    carga: dict[str, Any]
    clave_unica: str | None
    intentos: int
    error: str | None
    disponible_en: datetime | None
    creado_en: datetime | None
    actualizado_en: datetime | None
