"""Tipos compartidos por los motores de clasificación (LLM y local)."""

from dataclasses import dataclass
from typing import Literal

Categoria = Literal["venta", "soporte", "reclamo"]
Sentimiento = Literal["positivo", "neutral", "negativo"]
Motor = Literal["llm", "local"]
CATEGORIAS: tuple[Categoria, ...] = ("venta", "soporte", "reclamo")


@dataclass(frozen=True, slots=True)
class ResultadoClasificacion:
    """Lo que devuelve cualquier motor: categoría, confianza 0..1 y consejo para el agente."""

    categoria: Categoria
    confianza: float
    recomendacion_agente: str
    sentimiento: Sentimiento
    motor: Motor
    modelo: str
    latencia_ms: float
    resumen: str | None = None
    # Señales para combinar motores (no salen en la API): probabilidades offline por categoría
    # y la confianza propia del LLM (por logprobs o declarada).
    probabilidades: dict[str, float] | None = None
    p_llm: float | None = None
    p_llm_por_logprobs: bool = False
    p_llm_declarada: float | None = None  # la que escribió el modelo (aunque haya logprobs)
