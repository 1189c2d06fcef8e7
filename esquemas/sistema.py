"""Esquemas de las rutas de sistema: bienvenida y salud."""

from pydantic import BaseModel, Field


class Bienvenida(BaseModel):
    nombre: str
    version: str
    documentacion: str = Field(description="Swagger UI")
    redoc: str = Field(description="ReDoc")
    salud: str


class EstadoSalud(BaseModel):
    """Estado para balanceadores: 200 si la base de datos responde, 503 si no."""

    estado: str = Field(description="ok o degradado")
    base_datos: str = Field(description="ok, error o sin_respuesta")
    motor_bd: str = Field(description="sqlite o postgresql")
    clasificador: str = Field(description="Motor de clasificación en uso")
    trabajos: dict[str, int] | None = Field(
        default=None, description="Trabajos pendientes y en curso (null si la base no responde)"
    )
