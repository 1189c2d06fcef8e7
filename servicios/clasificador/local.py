"""Motor offline: clasificador léxico (numpy) más un nivel semántico e5 opcional."""

import logging
import time

from servicios.clasificador.artefacto import obtener_modelo
from servicios.clasificador.recomendaciones import recomendar
from servicios.clasificador.semantico import obtener_semantico
from servicios.clasificador.sentimiento import analizar_sentimiento
from servicios.clasificador.tipos import CATEGORIAS, Categoria, ResultadoClasificacion

log = logging.getLogger(__name__)

CONFIANZA_SIN_TEXTO = 0.34
CONFIANZA_MAXIMA = 0.99  # un modelo offline nunca afirma certeza absoluta
AVISO_SIN_TEXTO = (
    "La llamada no tiene notas: pide al cliente el motivo de su llamada (servicio afectado, "
    "desde cuándo, qué espera) y regístralo antes de clasificar."
)


def version_modelo() -> str:
    """Versión del modelo léxico cargado (p. ej. local-lineal-v1)."""
    return str(obtener_modelo().meta["version"])


def _probabilidades_y_modelo(texto: str) -> tuple[dict[str, float], str]:
    """Probabilidades combinadas y el nombre del modelo que de verdad respondió."""
    lexico = obtener_modelo()
    probs = lexico.probabilidades(texto, "categoria")
    semantico = obtener_semantico()
    if semantico is None:
        return probs, str(lexico.meta["version"])
    try:
        probs_sem = semantico.probabilidades(texto)
    except Exception as error:  # un fallo del encoder no tumba la clasificación
        log.warning("Fallo del nivel semántico (%s); responde solo el léxico", error)
        return probs, str(lexico.meta["version"])
    w = semantico.peso
    return {c: (1 - w) * probs[c] + w * probs_sem[c] for c in CATEGORIAS}, semantico.version


def probabilidades_local(texto: str) -> dict[str, float]:
    """Probabilidad calibrada de cada categoría (léxico, combinado con e5 si está disponible)."""
    if not texto or not texto.strip():
        return dict.fromkeys(CATEGORIAS, 1.0 / len(CATEGORIAS))
    return _probabilidades_y_modelo(texto)[0]


def clasificar_local(texto: str) -> ResultadoClasificacion:
    """Clasifica un texto de llamada sin red: categoría, confianza, sentimiento y consejo."""
    inicio = time.perf_counter()
    if not texto or not texto.strip():
        return ResultadoClasificacion(
            categoria="soporte",
            confianza=CONFIANZA_SIN_TEXTO,
            recomendacion_agente=AVISO_SIN_TEXTO,
            sentimiento="neutral",
            motor="local",
            modelo=version_modelo(),
            latencia_ms=round((time.perf_counter() - inicio) * 1000, 3),
        )
    probs, modelo = _probabilidades_y_modelo(texto)
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
