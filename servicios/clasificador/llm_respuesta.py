"""Lectura robusta de lo que contesta el LLM y cálculo de su confianza."""

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from servicios.clasificador.tipos import CATEGORIAS, Categoria, Sentimiento

PESO_LOGPROBS = 0.8
PESO_DECLARADA = 0.6
CONFIANZA_SIN_SENAL = 0.5

_SENTIMIENTOS: dict[str, Sentimiento] = {
    "positivo": "positivo",
    "positiva": "positivo",
    "positive": "positivo",
    "neutral": "neutral",
    "neutro": "neutral",
    "neutra": "neutral",
    "negativo": "negativo",
    "negativa": "negativo",
    "negative": "negativo",
}
_CLAVES = {
    "categoria": "categoria",
    "category": "categoria",
    "confianza": "confianza",
    "confidence": "confianza",
    "sentimiento": "sentimiento",
    "sentiment": "sentimiento",
    "recomendacion_agente": "recomendacion",
    "recomendacion": "recomendacion",
    "recommendation": "recomendacion",
    "resumen": "resumen",
    "summary": "resumen",
}
_PENSAMIENTO = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.IGNORECASE | re.DOTALL)
_CIERRE_PENSAMIENTO = re.compile(r"</(think|thinking|reasoning)>", re.IGNORECASE)
_APERTURA_PENSAMIENTO = re.compile(r"<(think|thinking|reasoning)>", re.IGNORECASE)
# Formato "harmony" de gpt-oss filtrado al contenido: el análisis va antes del canal final.
_CANAL_FINAL = re.compile(r"(<\|channel\|>\s*final\s*<\|message\|>|assistantfinal)", re.IGNORECASE)
_CLAVE_CATEGORIA = re.compile(r'"(?:categor[ií]a|category)"\s*:\s*"([^"]{0,40})"', re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RespuestaInvalida(ValueError):
    """La respuesta no contiene una clasificación dentro del contrato."""


@dataclass(frozen=True, slots=True)
class RespuestaLLM:
    """Campos ya validados y normalizados de la respuesta del modelo."""

    categoria: Categoria
    confianza_declarada: float | None
    sentimiento: Sentimiento | None
    recomendacion: str | None
    resumen: str | None


def normalizar(valor: str) -> str:
    """Minúsculas, sin tildes ni signos alrededor: "  Reclamo." -> "reclamo"."""
    sin_tildes = unicodedata.normalize("NFKD", valor)
    sin_tildes = "".join(c for c in sin_tildes if not unicodedata.combining(c))
    return sin_tildes.casefold().strip().strip("\"'`.,;:!¡¿?*_-[]() ")


def normalizar_categoria(valor: Any) -> Categoria | None:
    """Una de las tres categorías tras normalizar, o None: no hay sinónimos ni adivinanzas."""
    if not isinstance(valor, str):
        return None
    normal = normalizar(valor)
    return next((c for c in CATEGORIAS if c == normal), None)


def _sin_razonamiento(texto: str) -> str:
    """Quita el razonamiento que algunos modelos escriben antes de la respuesta."""
    texto = _PENSAMIENTO.sub(" ", texto)
    cierres = list(_CIERRE_PENSAMIENTO.finditer(texto))
    if cierres:
        texto = texto[cierres[-1].end() :]
    apertura = _APERTURA_PENSAMIENTO.search(texto)
    if apertura:  # razonamiento sin cerrar: la respuesta nunca llegó
        texto = texto[: apertura.start()]
    finales = list(_CANAL_FINAL.finditer(texto))
    if finales:
        texto = texto[finales[-1].end() :]
    return texto


def _objetos(texto: str) -> list[tuple[dict[str, Any], int]]:
    """Todos los objetos JSON del texto con la posición donde terminan, en orden."""
    decodificador = json.JSONDecoder()
    encontrados: list[tuple[dict[str, Any], int]] = []
    posicion = texto.find("{")
    while posicion != -1:
        try:
            objeto, fin = decodificador.raw_decode(texto, posicion)
        except ValueError:
            posicion = texto.find("{", posicion + 1)
            continue
        if isinstance(objeto, dict):
            encontrados.append((objeto, fin))
        posicion = texto.find("{", fin)
    return encontrados


def _con_categoria(objeto: dict[str, Any]) -> dict[str, Any] | None:
    """El objeto con claves normalizadas si trae una clave de categoría."""
    claves = {_CLAVES.get(normalizar(str(k)), ""): v for k, v in objeto.items()}
    claves.pop("", None)
    return claves if "categoria" in claves else None


def extraer_objeto(contenido: str | None, razonamiento: str | None = None) -> dict[str, Any]:
    """El último objeto con categoría de la respuesta (cercas, prosa o razonamiento previo)."""
    if contenido and contenido.strip():
        candidatos = [_con_categoria(o) for o, _ in _objetos(_sin_razonamiento(contenido))]
        validos = [c for c in candidatos if c is not None]
        if validos:
            return validos[-1]
        raise RespuestaInvalida("la respuesta no contiene un objeto JSON con categoría")
    # Contenido nulo: solo vale un objeto con el que termine el razonamiento (no un borrador).
    if razonamiento and razonamiento.strip():
        objetos = _objetos(razonamiento)
        if objetos:
            objeto, fin = objetos[-1]
            resto = razonamiento[fin:].strip().strip("`").strip()
            con_categoria = _con_categoria(objeto)
            if not resto and con_categoria is not None:
                return con_categoria
    raise RespuestaInvalida("respuesta vacía")


def _confianza(valor: Any) -> float | None:
    """Confianza declarada en 0..1 (acepta 0.8, "0,8" o "80%"), o None si no sirve."""
    if isinstance(valor, bool):
        return None
    if isinstance(valor, str):
        texto = valor.strip().replace(",", ".")
        try:
            valor = float(texto.rstrip("%")) / (100 if texto.endswith("%") else 1)
        except ValueError:
            return None
    if not isinstance(valor, int | float) or not math.isfinite(valor):
        return None
    return float(valor) if 0 <= valor <= 1 else None


def acotar(valor: Any, maximo: int, *, una_linea: bool = False) -> str | None:
    """Texto limpio y recortado a `maximo` caracteres (en un límite de palabra), o None."""
    if not isinstance(valor, str):
        return None
    limpio = _CONTROL.sub(" ", valor)
    if una_linea:
        limpio = " ".join(limpio.split())
    else:
        limpio = "\n".join(" ".join(linea.split()) for linea in limpio.splitlines())
        limpio = re.sub(r"\n{3,}", "\n\n", limpio).strip()
    if not limpio:
        return None
    if len(limpio) <= maximo:
        return limpio
    corte = limpio[: maximo - 1]
    espacio = corte.rfind(" ")
    if espacio > maximo // 2:
        corte = corte[:espacio]
    return corte.rstrip(" ,;:.") + "…"


def interpretar(
    contenido: str | None, razonamiento: str | None, *, max_recomendacion: int, max_resumen: int
) -> RespuestaLLM:
    """Valida la respuesta contra el contrato; una categoría fuera de las tres es un fallo."""
    objeto = extraer_objeto(contenido, razonamiento)
    categoria = normalizar_categoria(objeto.get("categoria"))
    if categoria is None:
        raise RespuestaInvalida(
            f"categoría fuera del contrato: {str(objeto.get('categoria'))[:40]!r}"
        )
    sentimiento = objeto.get("sentimiento")
    return RespuestaLLM(
        categoria=categoria,
        confianza_declarada=_confianza(objeto.get("confianza")),
        sentimiento=_SENTIMIENTOS.get(normalizar(sentimiento))
        if isinstance(sentimiento, str)
        else None,
        recomendacion=acotar(objeto.get("recomendacion"), max_recomendacion),
        resumen=acotar(objeto.get("resumen"), max_resumen, una_linea=True),
    )


def probabilidad_por_logprobs(
    tokens: Sequence[tuple[str, float | None]], categoria: Categoria
) -> float | None:
    """Probabilidad conjunta de los tokens que escriben el valor de la categoría, si se ven."""
    texto = "".join(token for token, _ in tokens)
    coincidencias = [
        m for m in _CLAVE_CATEGORIA.finditer(texto) if normalizar_categoria(m.group(1)) == categoria
    ]
    if not coincidencias:
        return None
    inicio, fin = coincidencias[-1].span(1)
    suma, vistos, posicion = 0.0, 0, 0
    for token, logprob in tokens:
        desde, posicion = posicion, posicion + len(token)
        if posicion <= inicio:
            continue
        if desde >= fin:
            break
        if logprob is None or not math.isfinite(logprob):
            return None
        suma += min(logprob, 0.0)
        vistos += 1
    return math.exp(suma) if vistos else None


def combinar_confianza(
    p_logprobs: float | None, p_declarada: float | None, p_local: float | None
) -> float:
    """Mezcla lineal de la señal del LLM con la probabilidad local de la misma categoría.

    p_llm = probabilidad por logprobs (peso w = 0.8) o, si no hay, la confianza declarada
    (w = 0.6) o, sin ninguna, 0.5 (w = 0.6); con p_local la probabilidad que el clasificador
    local da a la categoría elegida por el LLM: confianza = w * p_llm + (1 - w) * p_local.
    Sin clasificador local disponible, confianza = p_llm.
    """
    if p_logprobs is not None:
        p_llm, peso = p_logprobs, PESO_LOGPROBS
    elif p_declarada is not None:
        p_llm, peso = p_declarada, PESO_DECLARADA
    else:
        p_llm, peso = CONFIANZA_SIN_SENAL, PESO_DECLARADA
    mezcla = p_llm if p_local is None else peso * p_llm + (1 - peso) * p_local
    return round(min(1.0, max(0.0, mezcla)), 4)
