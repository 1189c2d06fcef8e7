"""Motor local: faster-whisper (CTranslate2, int8 en CPU), español forzado, VAD y palabras.

El modelo se carga la primera vez que hace falta y una sola vez por proceso (y por pareja
modelo/hilos); las transcripciones siguientes lo reutilizan. Cada canal se transcribe en
bloques de hasta cinco minutos (grabaciones/motores/audio.py) para acotar la memoria.
"""

import threading
from functools import lru_cache
from pathlib import Path

from config import obtener_ajustes
from grabaciones.motores.audio import TASA, bloques, leer_audio
from grabaciones.motores.base import ErrorTranscripcion, SegmentoCanal, TranscripcionCanal
from grabaciones.motores.tramos import (
    SILENCIO_MINIMO_MS,
    Region,
    ajustar_a_voz,
    desplazar,
    partir,
    regiones_de_voz,
)

MODELO_PYPI = "pypi"
IDIOMA = "es"
# Silencio mínimo que corta un tramo de voz (los turnos de teléfono se separan por menos de los
# 2 s que usa faster-whisper por defecto) y margen de cada tramo que se le pasa a Whisper.
VAD = {"min_silence_duration_ms": SILENCIO_MINIMO_MS, "speech_pad_ms": 100}
_cerrojo_carga = threading.Lock()


def resolver_modelo(valor: str) -> str:
    """Lo que recibe WhisperModel: la carpeta del modelo de PyPI, una carpeta local o un tamaño."""
    if valor == MODELO_PYPI:
        from grabaciones.motores.modelo_pypi import carpeta_modelo

        return str(carpeta_modelo())
    carpeta = Path(valor).expanduser()
    if carpeta.is_dir():
        return str(carpeta)
    if "/" in valor or "\\" in valor:
        raise ErrorTranscripcion(f"TRANSCRIPCION_MODELO: no existe la carpeta {valor}")
    return valor


@lru_cache(maxsize=2)
def _cargar(valor: str, hilos: int):
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(
            resolver_modelo(valor), device="cpu", compute_type="int8", cpu_threads=hilos
        )
    except ErrorTranscripcion:
        raise
    except Exception as error:  # descarga imposible, carpeta sin modelo, fichero dañado...
        raise ErrorTranscripcion(f"no se pudo cargar el modelo {valor!r}: {error}") from error


def modelo_cargado(valor: str, hilos: int):
    """El WhisperModel del proceso para ese modelo y esos hilos (se carga una vez)."""
    with _cerrojo_carga:
        return _cargar(valor, hilos)


class MotorLocal:
    """Transcribe un WAV mono de 16 kHz en el propio proceso, sin red."""

    nombre = "local"

    def __init__(self, modelo: str | None = None, hilos: int | None = None) -> None:
        ajustes = obtener_ajustes()
        self.modelo = modelo or ajustes.transcripcion_modelo
        self.hilos = hilos or ajustes.transcripcion_hilos

    def transcribir(self, ruta: Path) -> TranscripcionCanal:
        whisper = modelo_cargado(self.modelo, self.hilos)
        segmentos, regiones = [], []
        try:
            audio = leer_audio(ruta)
            for inicio, bloque in bloques(audio):
                propios, voz = _transcribir_bloque(whisper, bloque)
                segmentos += [desplazar(s, inicio) for s in propios]
                regiones += [(desde + inicio, hasta + inicio) for desde, hasta in voz]
        except Exception as error:  # PyAV no decodifica, fichero truncado, memoria...
            raise ErrorTranscripcion(f"no se pudo transcribir {ruta.name}: {error}") from error
        return TranscripcionCanal(
            segmentos=ajustar_a_voz(segmentos, regiones),
            idioma=IDIOMA,
            duracion=len(audio) / TASA,
        )


def _transcribir_bloque(whisper, audio) -> tuple[list[SegmentoCanal], list[Region]]:
    """Segmentos y regiones de voz de un bloque, con tiempos desde el inicio del bloque."""
    regiones = regiones_de_voz(audio)
    if not regiones:
        return [], []
    tramos, _ = whisper.transcribe(
        audio,
        language=IDIOMA,
        vad_filter=True,
        vad_parameters=VAD,
        word_timestamps=True,
        condition_on_previous_text=False,
        # Solo a temperatura 0: si la salida no pasa sus umbrales, Whisper volvía a probar
        # muestreando (0,2 ... 1,0) y el mismo audio daba cada vez otro texto (p. ej. «¡WEMO
        # AYU MÁRLECO MÁRLECO!» frente a «Vemos a un álcool más.»), según lo que el proceso
        # hubiera muestreado antes. Los bucles de repetición los quita `bucles.py`.
        temperature=0.0,
    )
    return [t for s in tramos if s.text.strip() for t in partir(s, regiones)], regiones
