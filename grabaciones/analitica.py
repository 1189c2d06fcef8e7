"""Analítica de voz de una transcripción: cálculo puro sobre los segmentos (sin E/S).

Cada segmento es `{inicio, fin, hablante, texto}` en segundos. El habla de un hablante es la
unión de sus segmentos; el silencio, la parte de la grabación sin nadie hablando; el solape,
el tiempo en que hablan dos o más a la vez; una interrupción, un segmento que empieza mientras
otro hablante sigue hablando; un monólogo, turnos seguidos del mismo hablante sin que nadie
más empiece a hablar y con pausas de como mucho `PAUSA_MONOLOGO` segundos.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Any

PAUSA_MONOLOGO = 2.0
_PALABRA = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

Intervalo = tuple[float, float]


def unir(intervalos: Iterable[Intervalo]) -> list[Intervalo]:
    """Unión de intervalos como lista ordenada y sin solapes."""
    unidos: list[list[float]] = []
    for inicio, fin in sorted(i for i in intervalos if i[1] > i[0]):
        if unidos and inicio <= unidos[-1][1]:
            unidos[-1][1] = max(unidos[-1][1], fin)
        else:
            unidos.append([inicio, fin])
    return [(a, b) for a, b in unidos]


def longitud(intervalos: Iterable[Intervalo]) -> float:
    return sum(fin - inicio for inicio, fin in intervalos)


def _interseccion(a: list[Intervalo], b: list[Intervalo]) -> list[Intervalo]:
    return [(max(x0, y0), min(x1, y1)) for x0, x1 in a for y0, y1 in b if max(x0, y0) < min(x1, y1)]


def _solape(por_hablante: dict[str, list[Intervalo]]) -> float:
    """Tiempo con dos o más hablantes a la vez (unión de las intersecciones por pares)."""
    nombres = sorted(por_hablante)
    cruces = [
        tramo
        for i, a in enumerate(nombres)
        for b in nombres[i + 1 :]
        for tramo in _interseccion(por_hablante[a], por_hablante[b])
    ]
    return longitud(unir(cruces))


def _huecos(habla: list[Intervalo], duracion: float) -> list[Intervalo]:
    bordes = [0.0] + [x for tramo in habla for x in tramo] + [duracion]
    return [
        (bordes[i], bordes[i + 1]) for i in range(0, len(bordes), 2) if bordes[i + 1] > bordes[i]
    ]


def _interrupciones(segmentos: Sequence[dict[str, Any]]) -> dict[str, int]:
    cuentas: dict[str, int] = {}
    for s in segmentos:
        if any(
            o["hablante"] != s["hablante"] and o["inicio"] < s["inicio"] < o["fin"]
            for o in segmentos
        ):
            cuentas[s["hablante"]] = cuentas.get(s["hablante"], 0) + 1
    return cuentas


def _monologo(segmentos: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    mejor: dict[str, Any] | None = None
    actual: dict[str, Any] | None = None
    for s in sorted(segmentos, key=lambda s: (s["inicio"], s["fin"])):
        sigue = (
            actual is not None
            and s["hablante"] == actual["hablante"]
            and s["inicio"] - actual["fin"] <= PAUSA_MONOLOGO
        )
        if sigue:
            actual["fin"] = max(actual["fin"], s["fin"])
        else:
            actual = {"hablante": s["hablante"], "inicio": s["inicio"], "fin": s["fin"]}
        if mejor is None or actual["fin"] - actual["inicio"] > mejor["fin"] - mejor["inicio"]:
            mejor = dict(actual)
    if mejor is None:
        return None
    return {**mejor, "segundos": _r(mejor["fin"] - mejor["inicio"])}


def contar_palabras(texto: str) -> int:
    return len(_PALABRA.findall(texto))


def _r(valor: float) -> float:
    return round(valor, 3)


def _cuota(parte: float, total: float) -> float:
    return round(parte / total, 4) if total > 0 else 0.0


def calcular(segmentos: Sequence[dict[str, Any]], duracion: float) -> dict[str, Any]:
    """Tiempo y cuota de habla por hablante, silencio, solape, interrupciones, monólogo más
    largo, palabras por minuto por hablante y silencio más largo."""
    duracion = max(duracion, max((s["fin"] for s in segmentos), default=0.0))
    por_hablante = {
        h: unir((s["inicio"], s["fin"]) for s in segmentos if s["hablante"] == h)
        for h in sorted({s["hablante"] for s in segmentos})
    }
    habla = unir(t for tramos in por_hablante.values() for t in tramos)
    silencios = _huecos(habla, duracion)
    mas_largo = max(silencios, key=lambda t: t[1] - t[0], default=None)
    interrupciones = _interrupciones(segmentos)
    hablantes = {}
    for h, tramos in por_hablante.items():
        segundos = longitud(tramos)
        palabras = sum(contar_palabras(s["texto"]) for s in segmentos if s["hablante"] == h)
        hablantes[h] = {
            "tiempo_habla": _r(segundos),
            "cuota_habla": _cuota(segundos, duracion),
            "palabras": palabras,
            "palabras_por_minuto": round(palabras / (segundos / 60), 1) if segundos > 0 else 0.0,
            "interrupciones": interrupciones.get(h, 0),
        }
    solape = _solape(por_hablante)
    return {
        "duracion": _r(duracion),
        "tiempo_habla": _r(longitud(habla)),
        "cuota_habla": _cuota(longitud(habla), duracion),
        "hablantes": hablantes,
        "silencio": _r(longitud(silencios)),
        "cuota_silencio": _cuota(longitud(silencios), duracion),
        "silencio_mas_largo": (
            {
                "inicio": _r(mas_largo[0]),
                "fin": _r(mas_largo[1]),
                "segundos": _r(mas_largo[1] - mas_largo[0]),
            }
            if mas_largo
            else None
        ),
        "solape": _r(solape),
        "cuota_solape": _cuota(solape, duracion),
        "interrupciones": sum(interrupciones.values()),
        "monologo_mas_largo": _monologo(segmentos),
    }
