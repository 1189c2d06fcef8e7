"""Confianza calibrada: mapa isotónico de la probabilidad ganadora y cobertura del vocabulario."""

import numpy as np

from servicios.clasificador.rasgos import tokenizar

CONFIANZA_MINIMA = 1 / 3  # tres categorías: por debajo no hay información
COBERTURA_PLENA = 0.35
ANCLA_CASOS = 30  # proporción de palabras conocidas a partir de la cual no se descuenta


def aplicar_mapa(probabilidad: float, mapa: dict | None) -> float:
    """Probabilidad ganadora pasada por el mapa ajustado en datos reservados (o tal cual)."""
    if not mapa:
        return probabilidad
    return float(np.interp(probabilidad, mapa["x"], mapa["y"]))


def cobertura(texto: str, vocabulario: dict[str, int]) -> tuple[int, float]:
    """Palabras de contenido (3+ letras) que el modelo conoce y su proporción sobre el total."""
    palabras = [t for t in tokenizar(texto) if t.isalpha() and len(t) >= 3]
    conocidas = sum(p in vocabulario for p in palabras)
    return conocidas, conocidas / len(palabras) if palabras else 0.0


def descontar_por_cobertura(confianza: float, conocidas: int, proporcion: float) -> float:
    """Acerca la confianza a 1/3 cuando el texto apenas tiene palabras conocidas (`asdf`)."""
    factor = min(1.0, conocidas / 2) * min(1.0, proporcion / COBERTURA_PLENA)
    return CONFIANZA_MINIMA + (confianza - CONFIANZA_MINIMA) * factor


def ajustar_isotonico(probabilidad: np.ndarray, acierto: np.ndarray, puntos: int = 20) -> dict:
    """Mapa monótono probabilidad -> acierto (regresión isotónica), resumido en pocos puntos."""
    from sklearn.isotonic import IsotonicRegression  # solo al entrenar

    iso = IsotonicRegression(y_min=CONFIANZA_MINIMA, y_max=0.99, out_of_bounds="clip")
    # Ancla: una probabilidad ganadora de 1/3 es puro azar. Sin ella, los pocos casos dudosos
    # del entrenamiento (casi todos acertados) dejarían la confianza mínima muy alta.
    ancla_x = np.full(ANCLA_CASOS, CONFIANZA_MINIMA)
    ancla_y = (np.arange(ANCLA_CASOS) < ANCLA_CASOS / 3).astype(float)
    iso.fit(
        np.concatenate([probabilidad, ancla_x]),
        np.concatenate([acierto.astype(float), ancla_y]),
    )
    x = np.unique(np.quantile(probabilidad, np.linspace(0, 1, puntos)))
    x = np.concatenate([[CONFIANZA_MINIMA], x[x > CONFIANZA_MINIMA], [1.0]])
    y = np.maximum.accumulate(iso.predict(x))
    return {"x": [round(float(v), 4) for v in x], "y": [round(float(v), 4) for v in y]}


def tabla_fiabilidad(confianza: np.ndarray, acierto: np.ndarray, tramos: int = 10) -> list[dict]:
    """Por tramo de confianza: casos, confianza media y acierto real."""
    filas = []
    bordes = np.linspace(0, 1, tramos + 1)
    for bajo, alto in zip(bordes[:-1], bordes[1:], strict=True):
        dentro = (confianza > bajo) & (confianza <= alto)
        if dentro.any():
            filas.append(
                {
                    "tramo": f"{bajo:.1f}-{alto:.1f}",
                    "casos": int(dentro.sum()),
                    "confianza": round(float(confianza[dentro].mean()), 3),
                    "acierto": round(float(acierto[dentro].mean()), 3),
                }
            )
    return filas


def ece(confianza: np.ndarray, acierto: np.ndarray, tramos: int = 10) -> float:
    """Error de calibración esperado: media ponderada de |acierto - confianza| por tramo."""
    filas = tabla_fiabilidad(confianza, acierto, tramos)
    total = sum(f["casos"] for f in filas)
    return sum(f["casos"] * abs(f["acierto"] - f["confianza"]) for f in filas) / max(total, 1)
