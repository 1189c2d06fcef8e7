"""Orquestador del clasificador: el LLM si está configurado y responde bien, si no el local."""

import logging
import time
from dataclasses import replace

from config import Ajustes, obtener_ajustes
from observabilidad.prometheus import medir_clasificacion
from servicios.clasificador.tipos import ResultadoClasificacion

log = logging.getLogger(__name__)


def modo_clasificador(ajustes: Ajustes | None = None) -> str:
    """ "llm" si hay un servidor configurado, "local" si no (sin red: apto para /salud)."""
    ajustes = ajustes or obtener_ajustes()
    return "llm" if ajustes.openai_base_url else "local"


@medir_clasificacion
def clasificar_texto(
    texto: str, *, ajustes: Ajustes | None = None, contexto: str | None = None
) -> ResultadoClasificacion:
    """Clasifica un texto; un fallo del LLM nunca se propaga: responde el clasificador local.

    `contexto` (datos registrados de la llamada) solo se le da al LLM, como referencia: el
    clasificador local lee únicamente las notas, para no clasificar por el tipo declarado.
    """
    # Importaciones perezosas: el arranque no carga ni openai ni el modelo local.
    from servicios.clasificador.local import clasificar_local

    ajustes = ajustes or obtener_ajustes()
    texto = texto[: ajustes.texto_max_caracteres]
    if not ajustes.openai_base_url:
        return clasificar_local(texto)
    from servicios.clasificador.combinacion import combinar
    from servicios.clasificador.llm import LLMEnPausa, clasificar_llm

    inicio = time.perf_counter()
    try:
        respuesta_llm = clasificar_llm(texto, ajustes=ajustes, contexto=contexto)
        # El offline siempre opina: si el LLM duda o discrepa con menos seguridad, decide él.
        return combinar(respuesta_llm, clasificar_local(texto), redis_url=ajustes.redis_url)
    except LLMEnPausa as error:  # ya se avisó al pausarlo: sin un aviso por petición
        log.debug("LLM %s", error)
    except Exception as error:  # cualquier fallo del LLM acaba en el motor local
        log.warning("Clasificación LLM fallida (%s); se usa el clasificador local", error)
    resultado = clasificar_local(texto)
    # La latencia informada es la que vivió quien pidió la clasificación, intento LLM incluido.
    return replace(resultado, latencia_ms=round((time.perf_counter() - inicio) * 1000, 1))


def precargar(ajustes: Ajustes) -> None:
    """Carga el modelo local (y openai si hay LLM) al arrancar, no en la primera petición."""
    from servicios.clasificador.local import probabilidades_local

    probabilidades_local("precarga")
    if ajustes.openai_base_url:
        import servicios.clasificador.llm  # noqa: F401
