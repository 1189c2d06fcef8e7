"""Tipos comunes a los motores de transcripción: cada motor transcribe un canal mono."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class ErrorTranscripcion(Exception):
    """El motor no pudo transcribir (modelo ausente, servidor caído, audio ilegible...)."""


@dataclass(frozen=True)
class Palabra:
    inicio: float
    fin: float
    texto: str


@dataclass(frozen=True)
class SegmentoCanal:
    """Un tramo de voz de un canal, con tiempos en segundos desde el inicio de la grabación."""

    inicio: float
    fin: float
    texto: str
    palabras: tuple[Palabra, ...] = field(default=())


@dataclass(frozen=True)
class TranscripcionCanal:
    segmentos: list[SegmentoCanal]
    idioma: str
    duracion: float


class MotorTranscripcion(Protocol):
    """Transcribe un fichero de audio mono (WAV PCM 16 kHz) en español."""

    nombre: str

    def transcribir(self, ruta: Path) -> TranscripcionCanal: ...
