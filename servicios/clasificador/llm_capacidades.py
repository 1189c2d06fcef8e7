"""Lo que cada servidor LLM acepta (formato de respuesta, logprobs, temperatura, campo del
máximo de tokens): se degrada al ver un rechazo y se recuerda en el proceso."""

import threading
from dataclasses import dataclass, replace

from servicios.clasificador import llm_prompt


@dataclass(frozen=True, slots=True)
class Capacidades:
    """Lo que un servidor acepta."""

    formato: str = "json_schema"
    logprobs: bool = True
    temperatura: bool = True
    campo_max: str = "max_tokens"


_capacidades: dict[tuple[str, str], Capacidades] = {}
_cerrojo = threading.Lock()


def capacidades(base_url: str, modelo: str) -> Capacidades:
    """Capacidades recordadas para un servidor y modelo (las completas si no hubo rechazos)."""
    with _cerrojo:
        return _capacidades.get((base_url, modelo), Capacidades())


def recordar(base_url: str, modelo: str, nuevas: Capacidades) -> None:
    with _cerrojo:
        _capacidades[(base_url, modelo)] = nuevas


def olvidar() -> None:
    """Olvida lo aprendido de todos los servidores."""
    with _cerrojo:
        _capacidades.clear()


def degradar(caps: Capacidades, mensaje: str) -> Capacidades | None:
    """Capacidades sin lo que el servidor rechazó (según su mensaje), o None si no se reconoce."""
    mensaje = mensaje.lower()
    if caps.formato != "texto" and any(
        p in mensaje for p in ("response_format", "json_schema", "json_object")
    ):
        siguiente = llm_prompt.FORMATOS[llm_prompt.FORMATOS.index(caps.formato) + 1]
        return replace(caps, formato=siguiente)
    if caps.logprobs and "logprobs" in mensaje:
        return replace(caps, logprobs=False)
    if caps.campo_max == "max_tokens" and "max_tokens" in mensaje:
        return replace(caps, campo_max="max_completion_tokens")
    if caps.temperatura and "temperature" in mensaje:
        return replace(caps, temperatura=False)
    return None
