"""LLM y clasificador offline juntos: cada uno pesa según su confianza.

La respuesta del LLM se lee como una distribución (su confianza en la categoría que eligió y
el resto repartido) y se mezcla con la del clasificador offline, ya calibrada:
`p(c) = w·p_llm(c) + (1−w)·p_local(c)`. `w` depende de la señal del LLM (logprobs, más fiables
que una confianza declarada) y es 0 cuando el LLM no está seguro: entonces decide el offline.
"""

from dataclasses import replace

from servicios.clasificador.tipos import CATEGORIAS, Categoria, ResultadoClasificacion

PESO_LOGPROBS = 0.5  # peso del LLM cuando su confianza sale de los logprobs
PESO_DECLARADA = 0.35  # cuando solo declara una confianza (los modelos pequeños dicen 0,9 siempre)
LLM_INSEGURO = 0.6  # por debajo de esta señal el LLM no vota


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


def peso_llm(llm: ResultadoClasificacion) -> float:
    """Cuánto vota el LLM: nada si no da señal o no está seguro."""
    if llm.p_llm is None or llm.p_llm < LLM_INSEGURO:
        return 0.0
    return PESO_LOGPROBS if llm.p_llm_por_logprobs else PESO_DECLARADA


def combinar(llm: ResultadoClasificacion, local: ResultadoClasificacion) -> ResultadoClasificacion:
    """Categoría y confianza de la mezcla; el resto lo aporta el motor cuya categoría gana."""
    w = peso_llm(llm)
    latencia = max(llm.latencia_ms, local.latencia_ms)
    if w == 0:  # el LLM no vota: la respuesta es la del offline, con el resumen del LLM
        return replace(local, resumen=llm.resumen, latencia_ms=latencia)
    p_llm = distribucion_llm(llm.categoria, llm.p_llm if llm.p_llm is not None else 0.5)
    p_local = distribucion_local(local)
    mezcla = {c: w * p_llm[c] + (1 - w) * p_local[c] for c in CATEGORIAS}
    # A igualdad de puntos decide el offline.
    categoria: Categoria = max(CATEGORIAS, key=lambda c: (mezcla[c], c == local.categoria))
    confianza = round(min(1.0, max(0.0, mezcla[categoria])), 4)
    if categoria == llm.categoria:
        return replace(llm, confianza=confianza)
    # Decide el offline: su consejo y sentimiento, con el resumen del LLM si lo hubo.
    return replace(
        local,
        confianza=confianza,
        resumen=llm.resumen,
        latencia_ms=latencia,
    )
