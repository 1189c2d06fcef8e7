"""Esquemas de las grabaciones y de su transcripción con la analítica de voz."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from modelos.enums import Sentimiento

Hablante = Literal["agente", "cliente", "desconocido"]
EstadoTranscripcion = Literal["pendiente", "procesando", "lista", "fallida"]


class GrabacionPublica(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    llamada_id: int
    formato: str = Field(description="wav, mp3, ogg, m4a o flac, según el contenido")
    codec: str
    sha256: str
    tamano_bytes: int
    duracion_segundos: float
    canales: int
    frecuencia_hz: int
    creado_en: datetime
    transcripcion_estado: EstadoTranscripcion = "pendiente"


class Segmento(BaseModel):
    inicio: float = Field(description="Segundos desde el comienzo de la grabación")
    fin: float
    hablante: Hablante
    texto: str = Field(description="Lo dicho, con los datos personales ya redactados")


class VozHablante(BaseModel):
    tiempo_habla: float
    cuota_habla: float
    palabras: int
    palabras_por_minuto: float
    interrupciones: int = Field(description="Veces que empezó a hablar sobre otro hablante")


class Tramo(BaseModel):
    inicio: float
    fin: float
    segundos: float


class Monologo(Tramo):
    hablante: Hablante


class Analitica(BaseModel):
    duracion: float
    tiempo_habla: float
    cuota_habla: float
    hablantes: dict[Hablante, VozHablante]
    silencio: float
    cuota_silencio: float
    silencio_mas_largo: Tramo | None
    solape: float = Field(description="Segundos con dos hablantes a la vez")
    cuota_solape: float
    interrupciones: int
    monologo_mas_largo: Monologo | None


class TranscripcionPublica(BaseModel):
    """La transcripción de una llamada; mientras no esté `lista`, solo el estado (y el error)."""

    llamada_id: int
    estado: EstadoTranscripcion
    error: str | None = None
    intentos: int = 0
    motor: str | None = None
    idioma: str | None = None
    duracion_segundos: float | None = None
    mono: bool | None = Field(
        default=None, description="Grabación mono: un solo hablante, `desconocido`"
    )
    aviso: str | None = None
    segmentos: list[Segmento] = []
    texto: str | None = None
    analitica: Analitica | None = None
    sentimiento_por_hablante: dict[Hablante, Sentimiento] = {}
    sentimiento_llamada: Sentimiento | None = None
    actualizado_en: datetime | None = None
