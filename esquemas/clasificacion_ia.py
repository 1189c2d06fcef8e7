"""Esquemas de la clasificación con IA de una llamada."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from esquemas.comunes import Id, texto
from modelos.enums import Categoria, MotorIA, Sentimiento

# El máximo depende del ajuste TEXTO_MAX_CARACTERES: lo comprueba la ruta.
TextoLlamada = texto(strip_whitespace=True, min_length=1)


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


class ClasificarLlamada(BaseModel):
    """Petición para clasificar (o reclasificar) una llamada guardada."""

    llamada_id: Id


class ClasificarTexto(BaseModel):
    """Texto libre a clasificar; no se guarda nada."""

    texto: TextoLlamada = Field(description="Notas o transcripción de la llamada")


class ClasificarTextoAlias(BaseModel):
    """Forma del endpoint original: acepta `descripcion` o `texto`."""

    texto: TextoLlamada | None = Field(default=None, description="Notas o transcripción")
    descripcion: TextoLlamada | None = Field(default=None, description="Alias de texto")


class ResultadoTexto(BaseModel):
    """Clasificación de un texto libre, con el motor y el modelo que la dieron."""

    categoria: Categoria
    confianza: float = Field(ge=0, le=1)
    recomendacion_agente: str
    sentimiento: Sentimiento
    resumen: str | None
    motor: MotorIA
    modelo: str
    latencia_ms: float
