"""Motor remoto: cualquier `POST /v1/audio/transcriptions` compatible con OpenAI (OpenAI,
vLLM con un Whisper, speaches), con segmentos y palabras con tiempos y el idioma forzado."""

from pathlib import Path
from typing import Any

import httpx

from grabaciones.motores.base import ErrorTranscripcion, Palabra, SegmentoCanal, TranscripcionCanal

# verbose_json dice el idioma por su nombre en inglés; el servicio lo guarda como código.
IDIOMAS = {"spanish": "es", "english": "en", "catalan": "ca", "portuguese": "pt"}


def _url(base: str) -> str:
    base = base.rstrip("/")
    return f"{base if base.endswith('/v1') else base + '/v1'}/audio/transcriptions"


def _palabras(datos: dict[str, Any]) -> list[Palabra]:
    return [
        Palabra(inicio=float(p["start"]), fin=float(p["end"]), texto=str(p["word"]).strip())
        for p in datos.get("words") or []
    ]


def _segmentos(datos: dict[str, Any]) -> list[SegmentoCanal]:
    palabras = _palabras(datos)
    segmentos = []
    for s in datos.get("segments") or []:
        inicio, fin = float(s["start"]), float(s["end"])
        texto = str(s.get("text", "")).strip()
        if not texto:
            continue
        propias = tuple(p for p in palabras if inicio <= (p.inicio + p.fin) / 2 <= fin)
        segmentos.append(SegmentoCanal(inicio=inicio, fin=fin, texto=texto, palabras=propias))
    return segmentos


class MotorRemoto:
    """Transcribe un WAV mono por HTTP; cualquier fallo es un ErrorTranscripcion."""

    nombre = "remoto"

    def __init__(self, *, url: str, clave: str, modelo: str, plazo_segundos: float) -> None:
        self.url = _url(url)
        self.clave = clave
        self.modelo = modelo
        self.plazo = plazo_segundos

    def _pedir(self, ruta: Path) -> dict[str, Any]:
        campos = {
            "model": self.modelo,
            "language": "es",
            "response_format": "verbose_json",
            "timestamp_granularities[]": ["segment", "word"],
            "temperature": "0",
        }
        with ruta.open("rb") as audio:
            respuesta = httpx.post(
                self.url,
                data=campos,
                files={"file": (ruta.name, audio, "audio/wav")},
                headers={"Authorization": f"Bearer {self.clave}"},
                timeout=self.plazo,
            )
        if respuesta.status_code != 200:
            raise ErrorTranscripcion(
                f"el servidor de transcripción respondió {respuesta.status_code}: "
                f"{respuesta.text[:200]}"
            )
        return respuesta.json()

    def transcribir(self, ruta: Path) -> TranscripcionCanal:
        try:
            datos = self._pedir(ruta)
            idioma = str(datos.get("language") or "es").lower()
            return TranscripcionCanal(
                segmentos=_segmentos(datos),
                idioma=IDIOMAS.get(idioma, idioma),
                duracion=float(datos.get("duration") or 0.0),
            )
        except ErrorTranscripcion:
            raise
        except httpx.TimeoutException as error:
            raise ErrorTranscripcion(
                f"el servidor de transcripción no respondió en {self.plazo:g} s"
            ) from error
        except httpx.HTTPError as error:
            raise ErrorTranscripcion(f"no se pudo hablar con el servidor: {error}") from error
        except (ValueError, KeyError, TypeError) as error:
            raise ErrorTranscripcion(f"respuesta de transcripción no válida: {error}") from error
