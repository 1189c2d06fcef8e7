"""Cuerpos de respuesta de la API de OpenAI (chat completions, errores y logprobs) que sirve
el servidor LLM falso de las pruebas."""

import math
import re
import time
from typing import Any

MODELO = "modelo-falso-7b"


def completado(
    contenido: str | None,
    *,
    tokens: list[dict[str, Any]] | None = None,
    extra_mensaje: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Cuerpo de una respuesta `chat.completion` como la de cualquier servidor compatible."""
    mensaje = {"role": "assistant", "content": contenido, **(extra_mensaje or {})}
    return {
        "id": "chatcmpl-falso",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODELO,
        "choices": [
            {
                "index": 0,
                "message": mensaje,
                "finish_reason": "stop",
                "logprobs": {"content": tokens} if tokens is not None else None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def error(mensaje: str, tipo: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": mensaje, "type": tipo, "param": None, "code": None}}


def tokens_con_logprobs(contenido: str, p_primero: float, p_resto: float) -> list[dict[str, Any]]:
    """Trocea el contenido en tokens; el valor de la categoría va en dos con las p dadas."""
    valor = re.search(r'"categoria"\s*:\s*"([^"]*)"', contenido)
    assert valor is not None
    inicio, fin = valor.span(1)
    corte = inicio + 3
    trocear = re.compile(r"\w+|\s+|[^\w\s]+").findall
    pares = [(t, -0.01) for t in trocear(contenido[:inicio])]
    pares += [(contenido[inicio:corte], math.log(p_primero))]
    pares += [(contenido[corte:fin], math.log(p_resto))]
    pares += [(t, -0.01) for t in trocear(contenido[fin:])]
    return [
        {"token": t, "logprob": lp, "bytes": list(t.encode()), "top_logprobs": []}
        for t, lp in pares
    ]
