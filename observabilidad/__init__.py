"""Observabilidad: registro con id de petición, métricas Prometheus en /metrics y sus ganchos.

Ganchos para el resto del código (todos baratos y seguros fuera de una petición):
`anotar_usuario`, `contar_llamada_clasificada`, `medir_clasificacion`,
`registrar_profundidad_cola` y `contar_fallo_trabajo`.
"""

from fastapi import FastAPI

from config import Ajustes
from observabilidad.acceso import RUTA_METRICAS, metricas_prometheus
from observabilidad.contexto import ContextoPeticion, anotar_usuario, contexto_actual
from observabilidad.peticiones import ObservarPeticiones
from observabilidad.prometheus import (
    contar_fallo_trabajo,
    contar_llamada_clasificada,
    medir_clasificacion,
    olvidar_cola,
    registrar_profundidad_cola,
)
from observabilidad.registro import configurar_registro

__all__ = [
    "ContextoPeticion",
    "anotar_usuario",
    "contar_fallo_trabajo",
    "contar_llamada_clasificada",
    "contexto_actual",
    "instalar",
    "medir_clasificacion",
    "olvidar_cola",
    "registrar_profundidad_cola",
]


def instalar(app: FastAPI, ajustes: Ajustes) -> None:
    """Registro, middleware de peticiones y GET /metrics (fuera del esquema OpenAPI)."""
    configurar_registro(ajustes)
    app.add_middleware(ObservarPeticiones)
    app.add_route(RUTA_METRICAS, metricas_prometheus, methods=["GET"], include_in_schema=False)
