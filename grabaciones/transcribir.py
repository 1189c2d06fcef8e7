"""Orquestación de una transcripción: canales a WAV de 16 kHz, un motor por canal, hablante
por canal (estéreo) o `desconocido` (mono), texto redactado y analítica de voz."""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grabaciones import analitica
from grabaciones.audio import separar_canales
from grabaciones.motores.base import MotorTranscripcion
from grabaciones.redaccion import redactar

ETIQUETAS = {"agente": "Agente", "cliente": "Cliente", "desconocido": "Hablante"}


@dataclass(frozen=True)
class ResultadoTranscripcion:
    segmentos: list[dict[str, Any]]
    texto: str
    idioma: str
    duracion: float
    mono: bool
    motor: str
    analitica: dict[str, Any]


def hablantes(canales: int, canal_agente: int) -> list[str]:
    """Quién habla por cada canal: en estéreo, el agente en `canal_agente` y el cliente en el
    otro; en mono no se sabe."""
    if canales == 1:
        return ["desconocido"]
    return ["agente", "cliente"] if canal_agente == 0 else ["cliente", "agente"]


def turnos(segmentos: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Segmentos seguidos del mismo hablante unidos en un turno (hablante, texto)."""
    unidos: list[tuple[str, str]] = []
    for s in segmentos:
        if unidos and unidos[-1][0] == s["hablante"]:
            unidos[-1] = (s["hablante"], f"{unidos[-1][1]} {s['texto']}")
        else:
            unidos.append((s["hablante"], s["texto"]))
    return unidos


def texto_por_turnos(segmentos: list[dict[str, Any]]) -> str:
    """«Agente: …» y «Cliente: …», una línea por turno (lo que entiende el clasificador)."""
    return "\n".join(f"{ETIQUETAS[h]}: {t}" for h, t in turnos(segmentos))


def _nombre_motor(motor: MotorTranscripcion) -> str:
    usados = getattr(motor, "usados", None)
    return "+".join(dict.fromkeys(usados)) if usados else motor.nombre


def transcribir(
    ruta: Path, *, motor: MotorTranscripcion, canal_agente: int, duracion: float
) -> ResultadoTranscripcion:
    """Transcribe la grabación canal a canal; solo sale texto ya redactado."""
    segmentos: list[dict[str, Any]] = []
    idiomas: list[str] = []
    with tempfile.TemporaryDirectory(prefix="transcripcion-") as carpeta:
        canales = separar_canales(ruta, Path(carpeta))
        for wav, hablante in zip(canales, hablantes(len(canales), canal_agente), strict=True):
            resultado = motor.transcribir(wav)
            idiomas.append(resultado.idioma)
            segmentos += [
                {
                    "inicio": round(s.inicio, 3),
                    "fin": round(max(s.fin, s.inicio), 3),
                    "hablante": hablante,
                    "texto": redactar(s.texto.strip()),
                }
                for s in resultado.segmentos
                if s.texto.strip()
            ]
    segmentos.sort(key=lambda s: (s["inicio"], s["fin"]))
    mono = len(canales) == 1
    texto = " ".join(s["texto"] for s in segmentos) if mono else texto_por_turnos(segmentos)
    return ResultadoTranscripcion(
        segmentos=segmentos,
        texto=texto,
        idioma=idiomas[0] if idiomas else "es",
        duracion=duracion,
        mono=mono,
        motor=_nombre_motor(motor),
        analitica=analitica.calcular(segmentos, duracion),
    )
