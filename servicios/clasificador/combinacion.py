"""LLM y clasificador offline juntos: el LLM solo vota si ha demostrado ser fiable.

La confianza que declara un modelo pequeño (o la de sus logprobs) no está calibrada: dice 0,9
acierte o no. Lo que sí se puede medir sin etiquetas es cuánto coincide con el offline en las
llamadas en que el offline está seguro (confianza calibrada ≥ `OFFLINE_SEGURO`, donde acierta
casi siempre): esa coincidencia estima el acierto del LLM. Mientras un modelo no acumule
`MIN_OBSERVACIONES` de esas llamadas con una coincidencia ≥ `FIABILIDAD_MINIMA`, decide el
offline con su confianza: si coinciden, con el consejo y el resumen del LLM; si no, con los
suyos y el resumen del LLM. Un modelo fiable vota con
`p(c) = w·p_llm(c) + (1−w)·p_local(c)`, su señal acotada por la fiabilidad medida.
"""

from dataclasses import replace

from servicios.clasificador.fiabilidad import anotar_acuerdo, fiabilidad, reiniciar_fiabilidad
from servicios.clasificador.tipos import CATEGORIAS, Categoria, ResultadoClasificacion

__all__ = ["anotar_acuerdo", "combinar", "fiabilidad", "reiniciar_fiabilidad"]

PESO_LOGPROBS = 0.5  # peso del LLM cuando su confianza sale de los logprobs
PESO_DECLARADA = 0.35  # cuando solo declara una confianza (los modelos pequeños dicen 0,9 siempre)
LLM_INSEGURO = 0.6  # por debajo de esta señal el LLM no vota
# En la evaluación, con confianza ≥ 0,9 el offline acierta 407 de 407: su opinión sirve de
# referencia para medir al LLM.
OFFLINE_SEGURO = 0.9
MIN_OBSERVACIONES = 20
FIABILIDAD_MINIMA = 0.85


def distribucion_llm(categoria: Categoria, p: float) -> dict[str, float]:
    """La señal del LLM en su categoría y el resto repartido por igual."""
    resto = (1 - p) / (len(CATEGORIAS) - 1)
    return {c: p if c == categoria else resto for c in CATEGORIAS}


def distribucion_local(local: ResultadoClasificacion) -> dict[str, float]:
    """Probabilidades offline con la ganadora fijada a su confianza calibrada."""
    probs = local.probabilidades or {}
    otras = {c: probs.get(c, 0.0) for c in CATEGORIAS if c != local.categoria}
    suma = sum(otras.values())
    resto = 1 - local.confianza
    salida = {c: resto * (v / suma if suma else 1 / len(otras)) for c, v in otras.items()}
    if max(salida.values(), default=0.0) > local.confianza:  # confianza rebajada: a partes iguales
        salida = dict.fromkeys(otras, resto / len(otras))
    salida[local.categoria] = local.confianza
    return salida


def peso_llm(llm: ResultadoClasificacion, acierto: float, observaciones: int) -> float:
    """Cuánto vota el LLM: nada si no da señal, no está seguro o aún no ha probado ser fiable."""
    if llm.p_llm is None or llm.p_llm < LLM_INSEGURO:
        return 0.0
    if observaciones < MIN_OBSERVACIONES or acierto < FIABILIDAD_MINIMA:
        return 0.0
    return PESO_LOGPROBS if llm.p_llm_por_logprobs else PESO_DECLARADA


def combinar(
    llm: ResultadoClasificacion, local: ResultadoClasificacion, *, redis_url: str | None = None
) -> ResultadoClasificacion:
    """Categoría y confianza de la mezcla; el resto lo aporta el motor cuya categoría gana.

    Con `redis_url`, la fiabilidad de cada LLM es la misma para todos los procesos."""
    # Sin esta llamada: no cuenta para su propio voto.
    acierto, observaciones = fiabilidad(llm.modelo, redis_url=redis_url)
    w = peso_llm(llm, acierto, observaciones)
    if local.confianza >= OFFLINE_SEGURO:
        anotar_acuerdo(llm.modelo, llm.categoria == local.categoria, redis_url=redis_url)
    latencia = max(llm.latencia_ms, local.latencia_ms)
    if w == 0 and llm.categoria == local.categoria:  # coinciden: confianza del offline
        return replace(llm, confianza=local.confianza, latencia_ms=latencia)
    if w == 0:  # el LLM no vota: la respuesta es la del offline, con el resumen del LLM
        return replace(local, resumen=llm.resumen, latencia_ms=latencia)
    p_llm = distribucion_llm(llm.categoria, min(llm.p_llm or 0.0, acierto))
    p_local = distribucion_local(local)
    mezcla = {c: w * p_llm[c] + (1 - w) * p_local[c] for c in CATEGORIAS}
    # A igualdad de puntos decide el offline.
    categoria: Categoria = max(CATEGORIAS, key=lambda c: (mezcla[c], c == local.categoria))
    confianza = round(min(1.0, max(0.0, mezcla[categoria])), 4)
    if categoria == llm.categoria:
        return replace(llm, confianza=confianza)
    # Decide el offline: su consejo y sentimiento, con el resumen del LLM si lo hubo.
    return replace(local, confianza=confianza, resumen=llm.resumen, latencia_ms=latencia)
