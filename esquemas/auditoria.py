"""Esquemas de la auditoría: la fila pública (nunca con secretos: no los hay)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditoriaPublica(BaseModel):
    """Una fila del registro de auditoría."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    fecha: datetime
    usuario_id: int | None
    accion: str
    entidad: str
    entidad_id: int | None
    detalle: dict[str, Any]
    ip: str | None
    request_id: str | None
