"""Lectura del canal y reparto en bloques, para acotar la memoria de una transcripción.

El VAD y el espectrograma de faster-whisper se calculan de una vez sobre todo el audio que se
les da (unos 600 MB más para 20 minutos). Cada canal se transcribe en bloques de hasta
`BLOQUE_SEGUNDOS`, cortados en el medio segundo más silencioso de sus últimos
`BUSQUEDA_SEGUNDOS`, que en un canal de teléfono suele caer mientras habla el otro. Lo único
que crece con la llamada es el propio audio en float32 (unos 230 MB por hora de canal).
"""

import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

TASA = 16_000
BLOQUE_SEGUNDOS = 300
BUSQUEDA_SEGUNDOS = 30
VENTANA_SILENCIO = TASA // 2
TRAMA = TASA // 10


def leer_audio(ruta: Path) -> np.ndarray:
    """Muestras float32 en [-1, 1]: WAV PCM mono de 16 kHz directamente; lo demás, con PyAV."""
    try:
        with wave.open(str(ruta), "rb") as wav:
            formato = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            if formato == (1, 2, TASA):
                crudo = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
                return crudo.astype(np.float32) / 32768.0
    except (wave.Error, EOFError):
        pass
    from faster_whisper.audio import decode_audio

    return decode_audio(str(ruta), sampling_rate=TASA)


def _corte(audio: np.ndarray, desde: int, hasta: int) -> int:
    """La muestra en el centro del medio segundo con menos energía entre desde y hasta (el
    último si hay varios igual de silenciosos, para que el bloque sea lo más largo posible)."""
    tramas = (hasta - desde) // TRAMA
    energia = np.square(audio[desde : desde + tramas * TRAMA]).reshape(tramas, TRAMA).sum(axis=1)
    por_ventana = np.convolve(energia, np.ones(VENTANA_SILENCIO // TRAMA), mode="valid")
    ultima_minima = len(por_ventana) - 1 - int(np.argmin(por_ventana[::-1]))  # bloques largos
    return desde + ultima_minima * TRAMA + VENTANA_SILENCIO // 2


def bloques(audio: np.ndarray) -> Iterator[tuple[float, np.ndarray]]:
    """(segundo de inicio, muestras) de cada bloque; una llamada corta es un solo bloque."""
    inicio, largo, busqueda = 0, BLOQUE_SEGUNDOS * TASA, BUSQUEDA_SEGUNDOS * TASA
    while len(audio) - inicio > largo:
        fin = _corte(audio, inicio + largo - busqueda, inicio + largo)
        yield inicio / TASA, audio[inicio:fin]
        inicio = fin
    yield inicio / TASA, audio[inicio:]
