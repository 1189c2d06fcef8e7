"""De los segmentos de Whisper a los tramos de voz de un canal, con bordes de fiar.

Con el filtro VAD, Whisper transcribe la voz ya sin los silencios: puede juntar en un segmento
dos turnos separados por la intervención del otro canal, y sus marcas de palabra (devueltas a
los tiempos de la grabación) se desvían unas décimas, sobre todo al final de cada turno. Aquí se
parte cada segmento donde sus palabras pasan de una región de voz del VAD a otra, y el principio
y el fin de cada región se toman del VAD (Silero, precisión de ~30 ms).
"""

from dataclasses import replace
from itertools import pairwise

import numpy as np

from grabaciones.motores.audio import TASA
from grabaciones.motores.base import Palabra, SegmentoCanal
from grabaciones.motores.bucles import sin_bucles, texto_sin_bucles

SILENCIO_MINIMO_MS = 500
# Un borde de Whisper solo se corrige si el del VAD está a esta distancia o menos.
AJUSTE_MAXIMO = 1.0

Region = tuple[float, float]


def regiones_de_voz(audio: np.ndarray) -> list[Region]:
    """Tramos con voz (segundos) de un audio mono de 16 kHz en float32."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # Sin silencio detrás, la última región acabaría en el final del fichero.
    cola = np.zeros(2 * SILENCIO_MINIMO_MS * TASA // 1000, dtype=np.float32)
    opciones = VadOptions(min_silence_duration_ms=SILENCIO_MINIMO_MS, speech_pad_ms=0)
    marcas = get_speech_timestamps(np.concatenate([audio, cola]), opciones)
    duracion = len(audio) / TASA
    return [(m["start"] / TASA, min(m["end"] / TASA, duracion)) for m in marcas]


def _tramo(palabras: list, texto: str | None = None) -> SegmentoCanal:
    return SegmentoCanal(
        inicio=palabras[0].start,
        fin=palabras[-1].end,
        texto=(texto if texto is not None else "".join(p.word for p in palabras)).strip(),
        palabras=tuple(Palabra(inicio=p.start, fin=p.end, texto=p.word.strip()) for p in palabras),
    )


def _region_de(instante: float, regiones: list[Region]) -> int | None:
    """La región que contiene el instante o, si cae en un silencio, la más cercana."""
    return min(
        range(len(regiones)),
        key=lambda k: max(regiones[k][0] - instante, instante - regiones[k][1], 0.0),
        default=None,
    )


def _medio(palabra) -> float:
    return (palabra.start + palabra.end) / 2


def partir(segmento, regiones: list[Region]) -> list[SegmentoCanal]:
    """Un segmento de faster-whisper, sin bucles de repetición y partido donde sus palabras
    cambian de región de voz."""
    todas = list(segmento.words or ())
    if not todas:
        texto = texto_sin_bucles(segmento.text.strip())
        return [SegmentoCanal(inicio=segmento.start, fin=segmento.end, texto=texto)]
    palabras = sin_bucles(todas, clave=lambda p: p.word)
    grupos = [[palabras[0]]]
    for anterior, palabra in pairwise(palabras):
        if _region_de(_medio(palabra), regiones) != _region_de(_medio(anterior), regiones):
            grupos.append([])
        grupos[-1].append(palabra)
    if len(grupos) == 1:
        return [_tramo(palabras, segmento.text if len(palabras) == len(todas) else None)]
    return [_tramo(grupo) for grupo in grupos]


def desplazar(segmento: SegmentoCanal, segundos: float) -> SegmentoCanal:
    """El mismo segmento (y sus palabras) con los tiempos corridos esos segundos."""
    palabras = tuple(
        replace(p, inicio=p.inicio + segundos, fin=p.fin + segundos) for p in segmento.palabras
    )
    return replace(
        segmento, inicio=segmento.inicio + segundos, fin=segmento.fin + segundos, palabras=palabras
    )


def _region(segmento: SegmentoCanal, regiones: list[Region]) -> int | None:
    """La región que más se solapa con el segmento (None si no toca ninguna)."""
    solape, indice = max(
        (
            (min(segmento.fin, fin) - max(segmento.inicio, ini), k)
            for k, (ini, fin) in enumerate(regiones)
        ),
        default=(0.0, None),
    )
    return indice if solape > 0 else None


def _con_inicio(segmento: SegmentoCanal, inicio: float) -> SegmentoCanal:
    if abs(inicio - segmento.inicio) > AJUSTE_MAXIMO or inicio >= segmento.fin:
        return segmento
    palabras = segmento.palabras
    if palabras:
        palabras = (replace(palabras[0], inicio=min(inicio, palabras[0].fin)), *palabras[1:])
    return replace(segmento, inicio=inicio, palabras=palabras)


def _con_fin(segmento: SegmentoCanal, fin: float) -> SegmentoCanal:
    if abs(fin - segmento.fin) > AJUSTE_MAXIMO or fin <= segmento.inicio:
        return segmento
    palabras = segmento.palabras
    if palabras:
        palabras = (*palabras[:-1], replace(palabras[-1], fin=max(fin, palabras[-1].inicio)))
    return replace(segmento, fin=fin, palabras=palabras)


def ajustar_a_voz(segmentos: list[SegmentoCanal], regiones: list[Region]) -> list[SegmentoCanal]:
    """El primer tramo de cada región empieza con ella y el último acaba con ella."""
    por_region: dict[int, list[int]] = {}
    for indice, segmento in enumerate(segmentos):
        region = _region(segmento, regiones)
        if region is not None:
            por_region.setdefault(region, []).append(indice)
    ajustados = list(segmentos)
    for region, indices in por_region.items():
        inicio, fin = regiones[region]
        ajustados[indices[0]] = _con_inicio(ajustados[indices[0]], inicio)
        ajustados[indices[-1]] = _con_fin(ajustados[indices[-1]], fin)
    return ajustados
