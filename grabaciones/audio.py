"""Audio con PyAV: qué es un fichero (por su contenido, nunca por su nombre) y sus canales
separados en WAV mono de 16 kHz, que es lo que recibe cada motor de transcripción."""

import struct
import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

# Contenedor de FFmpeg -> (formato, tipo MIME); el nombre del fichero no cuenta.
CONTENEDORES = {
    "wav": ("wav", "audio/wav"),
    "mp3": ("mp3", "audio/mpeg"),
    "ogg": ("ogg", "audio/ogg"),
    "flac": ("flac", "audio/flac"),
    "mov,mp4,m4a,3gp,3g2,mj2": ("m4a", "audio/mp4"),
}
CODECS = {
    "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_u8", "pcm_f32le", "pcm_f64le",
    "pcm_mulaw", "pcm_alaw", "mp3", "mp3float", "opus", "vorbis", "aac", "flac", "alac",
}  # fmt: skip
FRECUENCIA_MINIMA, FRECUENCIA_MAXIMA = 8000, 48000
FRECUENCIA_MOTOR = 16000
# Lo que puede faltar entre la duración declarada y la decodificada sin que sea un corte.
HOLGURA_SEGUNDOS = 0.25


class AudioInvalido(ValueError):
    """El fichero no es audio admitido o está dañado; el mensaje va tal cual al cliente."""


@dataclass(frozen=True, slots=True)
class InfoAudio:
    formato: str
    tipo_mime: str
    codec: str
    canales: int
    frecuencia_hz: int
    duracion_segundos: float


def _abrir(ruta: Path):
    try:
        # Por el objeto fichero y no por la ruta: FFmpeg no ve la extensión.
        return av.open(ruta.open("rb"), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioInvalido("no es un fichero de audio reconocible") from error


def _declarada(contenedor, pista) -> float | None:
    if pista.duration is not None and pista.time_base is not None:
        return float(pista.duration * pista.time_base)
    if contenedor.duration is not None:
        return contenedor.duration / av.time_base
    return None


def _comprobar_pista(contenedor):
    formato = CONTENEDORES.get(contenedor.format.name)
    if formato is None:
        raise AudioInvalido(f"formato {contenedor.format.name} no admitido")
    pistas = contenedor.streams.audio
    if not pistas:
        raise AudioInvalido("el fichero no tiene ninguna pista de audio")
    pista = pistas[0]
    if pista.codec_context.name not in CODECS:
        raise AudioInvalido(f"códec {pista.codec_context.name} no admitido")
    canales = pista.codec_context.channels
    if canales not in (1, 2):
        raise AudioInvalido(f"{canales} canales: se admiten mono o estéreo")
    frecuencia = pista.codec_context.sample_rate
    if not FRECUENCIA_MINIMA <= frecuencia <= FRECUENCIA_MAXIMA:
        raise AudioInvalido(f"frecuencia de {frecuencia} Hz: se admite de 8 000 a 48 000 Hz")
    return formato, pista


def _wav_declarada(ruta: Path, bytes_por_segundo: int) -> float | None:
    """Duración que declara la cabecera RIFF (FFmpeg la recorta al tamaño real del fichero)."""
    tamano = ruta.stat().st_size
    with ruta.open("rb") as fichero:
        if fichero.read(12)[8:12] != b"WAVE":
            return None
        posicion = 12
        while posicion + 8 <= tamano:
            fichero.seek(posicion)
            nombre, largo = struct.unpack("<4sI", fichero.read(8))
            if nombre == b"data":
                # 0 y 0xFFFFFFFF: grabación en vivo que no cerró la cabecera; no es un corte.
                sin_cerrar = largo in (0, 0xFFFFFFFF) or bytes_por_segundo <= 0
                return None if sin_cerrar else largo / bytes_por_segundo
            posicion += 8 + largo + (largo % 2)
    return None


def inspeccionar(ruta: Path) -> InfoAudio:
    """Formato, códec, canales, frecuencia y duración; decodifica todo para descubrir cortes."""
    contenedor = _abrir(ruta)
    try:
        (formato, tipo_mime), pista = _comprobar_pista(contenedor)
        frecuencia = pista.codec_context.sample_rate
        muestras = 0
        try:
            for cuadro in contenedor.decode(pista):
                muestras += cuadro.samples
        except (av.error.FFmpegError, ValueError) as error:
            raise AudioInvalido("el audio está dañado y no se puede decodificar") from error
        duracion = muestras / frecuencia
        if muestras == 0:
            raise AudioInvalido("el fichero no contiene muestras de audio")
        declarada = _declarada(contenedor, pista)
        if formato == "wav":
            bytes_por_segundo = (pista.codec_context.bit_rate or 0) // 8
            declarada = _wav_declarada(ruta, bytes_por_segundo) or declarada
        if declarada is not None and duracion < declarada - HOLGURA_SEGUNDOS:
            raise AudioInvalido(
                f"el audio está truncado: declara {declarada:.1f} s y solo trae {duracion:.1f} s"
            )
        return InfoAudio(
            formato=formato,
            tipo_mime=tipo_mime,
            codec=pista.codec_context.name,
            canales=pista.codec_context.channels,
            frecuencia_hz=frecuencia,
            duracion_segundos=round(duracion, 3),
        )
    finally:
        contenedor.close()


def _escribir_wav(ruta: Path, muestras: np.ndarray) -> None:
    with wave.open(str(ruta), "wb") as salida:
        salida.setnchannels(1)
        salida.setsampwidth(2)
        salida.setframerate(FRECUENCIA_MOTOR)
        salida.writeframes(muestras.astype("<i2").tobytes())


def separar_canales(ruta: Path, carpeta: Path) -> list[Path]:
    """Cada canal a un WAV mono PCM de 16 kHz en `carpeta` (uno por canal, en orden)."""
    contenedor = _abrir(ruta)
    try:
        _, pista = _comprobar_pista(contenedor)
        disposicion = "stereo" if pista.codec_context.channels == 2 else "mono"
        remuestreo = av.AudioResampler(format="s16p", layout=disposicion, rate=FRECUENCIA_MOTOR)
        trozos: list[np.ndarray] = []
        for cuadro in contenedor.decode(pista):
            trozos += [c.to_ndarray() for c in remuestreo.resample(cuadro)]
        trozos += [c.to_ndarray() for c in remuestreo.resample(None)]
    finally:
        contenedor.close()
    todo = np.concatenate(trozos, axis=1) if trozos else np.zeros((1, 0), dtype=np.int16)
    rutas = []
    for indice, canal in enumerate(todo):
        destino = carpeta / f"canal{indice}.wav"
        _escribir_wav(destino, canal)
        rutas.append(destino)
    return rutas
