"""Audio hecho por las pruebas: tonos con el módulo wave y numpy (mono o estéreo, con tramos
de voz conocidos) y los demás formatos con sox (μ-law, A-law, MP3, OGG, FLAC) o con PyAV
(Opus, M4A)."""

import shutil
import subprocess
import wave
from pathlib import Path

import av
import numpy as np
import pytest

HAY_SOX = shutil.which("sox") is not None
sin_sox = pytest.mark.skipif(
    not HAY_SOX, reason="instala sox: sudo apt-get install sox libsox-fmt-all"
)

# (canal, inicio, fin, texto): un guion de llamada con turnos, un solape y silencios.
Guion = list[tuple[int, float, float, str]]


def muestras(guion: Guion, *, canales: int, frecuencia: int, duracion: float) -> np.ndarray:
    """Tonos (440 Hz en el canal 0, 660 Hz en el 1) en los tramos del guion; silencio fuera."""
    total = int(duracion * frecuencia)
    señal = np.zeros((canales, total), dtype=np.float64)
    t = np.arange(total) / frecuencia
    for canal, inicio, fin, _ in guion:
        tramo = (t >= inicio) & (t < fin)
        señal[canal, tramo] = 0.5 * np.sin(2 * np.pi * (440 + 220 * canal) * t[tramo])
    return (señal * 32767).astype(np.int16)


def wav(
    ruta: Path, guion: Guion, *, canales: int = 2, frecuencia: int = 8000, duracion: float
) -> Path:
    """WAV PCM de 16 bits con el guion."""
    datos = muestras(guion, canales=canales, frecuencia=frecuencia, duracion=duracion)
    with wave.open(str(ruta), "wb") as salida:
        salida.setnchannels(canales)
        salida.setsampwidth(2)
        salida.setframerate(frecuencia)
        salida.writeframes(datos.T.tobytes())
    return ruta


def ruido(ruta: Path, *, segundos: float = 1.0, canales: int = 1, frecuencia: int = 8000) -> Path:
    datos = np.random.default_rng(7).integers(-8000, 8000, (int(segundos * frecuencia), canales))
    with wave.open(str(ruta), "wb") as salida:
        salida.setnchannels(canales)
        salida.setsampwidth(2)
        salida.setframerate(frecuencia)
        salida.writeframes(datos.astype("<i2").tobytes())
    return ruta


def sox(origen: Path, destino: Path, *opciones: str) -> Path:
    """Convierte con sox (p. ej. `-e u-law` para μ-law); el formato sale de la extensión."""
    subprocess.run(
        ["sox", "-R", str(origen), *opciones, str(destino)], check=True, capture_output=True
    )
    return destino


def codificar(
    destino: Path, formato: str, codec: str, *, frecuencia: int, segundos: float = 1.0
) -> Path:
    """Opus en OGG o AAC en M4A con PyAV (sox no los escribe)."""
    with av.open(str(destino), "w", format=formato) as contenedor:
        pista = contenedor.add_stream(codec, rate=frecuencia, layout="stereo")
        t = np.arange(int(frecuencia * segundos)) / frecuencia
        tono = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        cuadro = av.AudioFrame.from_ndarray(np.stack([tono, tono]), format="fltp", layout="stereo")
        cuadro.sample_rate = frecuencia
        for paquete in [*pista.encode(cuadro), *pista.encode(None)]:
            contenedor.mux(paquete)
    return destino
