"""Motor offline: clasificador lineal léxico (solo numpy) con sentimiento y recomendación."""

import time

from servicios.clasificador.artefacto import obtener_modelo
from servicios.clasificador.recomendaciones import recomendar
from servicios.clasificador.sentimiento import analizar_sentimiento
from servicios.clasificador.tipos import CATEGORIAS, Categoria, ResultadoClasificacion

CONFIANZA_SIN_TEXTO = 0.34
CONFIANZA_MAXIMA = 0.99  # un modelo léxico nunca afirma certeza absoluta
AVISO_SIN_TEXTO = (
    "La llamada no tiene notas: pide al cliente el motivo de su llamada (servicio afectado, "
    "desde cuándo, qué espera) y regístralo antes de clasificar."
)


def version_modelo() -> str:
    """Versión del artefacto cargado (p. ej. local-lineal-v1)."""
    return str(obtener_modelo().meta["version"])


def probabilidades_local(texto: str) -> dict[str, float]:
    """Probabilidad calibrada de cada categoría según el modelo léxico."""
    if not texto or not texto.strip():
        return dict.fromkeys(CATEGORIAS, 1.0 / len(CATEGORIAS))
    return obtener_modelo().probabilidades(texto, "categoria")


def clasificar_local(texto: str) -> ResultadoClasificacion:
    """Clasifica un texto de llamada sin red: categoría, confianza, sentimiento y consejo."""
    inicio = time.perf_counter()
    modelo = version_modelo()
    if not texto or not texto.strip():
        return ResultadoClasificacion(
            categoria="soporte",
            confianza=CONFIANZA_SIN_TEXTO,
            recomendacion_agente=AVISO_SIN_TEXTO,
            sentimiento="neutral",
            motor="local",
            modelo=modelo,
            latencia_ms=round((time.perf_counter() - inicio) * 1000, 3),
        )
    probs = probabilidades_local(texto)
    categoria: Categoria = max(CATEGORIAS, key=probs.__getitem__)
    sentimiento = analizar_sentimiento(texto)
    return ResultadoClasificacion(
        categoria=categoria,
        confianza=round(min(probs[categoria], CONFIANZA_MAXIMA), 4),
        recomendacion_agente=recomendar(texto, categoria, sentimiento),
        sentimiento=sentimiento,
        motor="local",
        modelo=modelo,
        latencia_ms=round((time.perf_counter() - inicio) * 1000, 3),
    )
