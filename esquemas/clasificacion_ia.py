"""Esquemas de la clasificación con IA de una llamada."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from modelos.enums import Categoria, MotorIA, Sentimiento


class ClasificacionPublica(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    llamada_id: int
    categoria: Categoria
    confianza: float
    recomendacion_agente: str
    sentimiento: Sentimiento
    resumen: str | None
    motor: MotorIA
    modelo: str
    latencia_ms: float
    creado_en: datetime
