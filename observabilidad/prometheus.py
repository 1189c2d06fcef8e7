"""Métricas Prometheus: HTTP por plantilla de ruta, negocio y colas; modo multiproceso."""

import functools
import logging
import os
from collections.abc import Callable, Iterator
from time import perf_counter
from typing import Any, TypeVar

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

registro = logging.getLogger("callcenter.metricas")

TIPO_CONTENIDO = CONTENT_TYPE_LATEST
CUBOS_SEGUNDOS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
LARGO_ETIQUETA = 60

PETICIONES = Counter(
    "callcenter_http_peticiones",
    "Peticiones HTTP atendidas, por método, plantilla de ruta y estado",
    ["metodo", "ruta", "estado"],
)
DURACION_PETICIONES = Histogram(
    "callcenter_http_duracion_segundos",
    "Duración de las peticiones HTTP (hasta el último byte), por método, ruta y estado",
    ["metodo", "ruta", "estado"],
    buckets=CUBOS_SEGUNDOS,
)
LLAMADAS_CLASIFICADAS = Counter(
    "callcenter_llamadas_clasificadas",
    "Clasificaciones de llamadas guardadas (también las reclasificaciones), por categoría",
    ["categoria"],
)
DURACION_CLASIFICACION = Histogram(
    "callcenter_clasificacion_duracion_segundos",
    "Latencia de una clasificación vista por quien la pidió, por motor que respondió",
    ["motor"],
    buckets=CUBOS_SEGUNDOS,
)
RESPALDOS_CLASIFICACION = Counter(
    "callcenter_clasificacion_respaldos",
    "Clasificaciones que respondió el clasificador offline porque el LLM falló o estaba en pausa",
)
TRABAJOS_FALLIDOS = Counter(
    "callcenter_trabajos_fallidos", "Trabajos en segundo plano que fallaron, por tipo", ["tipo"]
)

_colas: dict[str, Callable[[], int]] = {}


def _etiqueta(valor: str) -> str:
    return str(valor)[:LARGO_ETIQUETA]


# Hijos ya resueltos por (método, ruta, estado): las rutas son plantillas, el conjunto es finito.
_hijos_http: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observar_peticion(metodo: str, ruta: str, estado: int, segundos: float) -> None:
    clave = (metodo, ruta, estado)
    hijos = _hijos_http.get(clave)
    if hijos is None:
        etiquetas = (metodo[:LARGO_ETIQUETA], ruta, str(estado))
        hijos = (PETICIONES.labels(*etiquetas), DURACION_PETICIONES.labels(*etiquetas))
        _hijos_http[clave] = hijos
    hijos[0].inc()
    hijos[1].observe(segundos)


def contar_llamada_clasificada(categoria: str) -> None:
    """Se llama donde se guarda una clasificación, tras confirmarla."""
    LLAMADAS_CLASIFICADAS.labels(_etiqueta(categoria)).inc()


def contar_fallo_trabajo(tipo: str) -> None:
    """Para el código de trabajos: un trabajo de `tipo` terminó en fallo."""
    TRABAJOS_FALLIDOS.labels(_etiqueta(tipo)).inc()


def registrar_profundidad_cola(funcion: Callable[[], int], *, cola: str = "trabajos") -> None:
    """Para el código de trabajos: `funcion()` da los trabajos pendientes de `cola`.

    Se evalúa en cada lectura de /metrics (en el proceso que la atiende), así que debe leer el
    valor compartido (la base de datos o Redis), no un contador de su propio proceso.
    """
    _colas[_etiqueta(cola)] = funcion


def olvidar_cola(cola: str) -> None:
    _colas.pop(_etiqueta(cola), None)


F = TypeVar("F", bound=Callable[..., Any])


def medir_clasificacion(funcion: F) -> F:
    """Decorador del orquestador: latencia por motor y respaldos al clasificador offline."""

    @functools.wraps(funcion)
    def envoltura(*args: Any, **kwargs: Any) -> Any:
        inicio = perf_counter()
        resultado = funcion(*args, **kwargs)
        DURACION_CLASIFICACION.labels(_etiqueta(resultado.motor)).observe(perf_counter() - inicio)
        ajustes = kwargs.get("ajustes")
        if ajustes is None:
            from config import obtener_ajustes

            ajustes = obtener_ajustes()
        # Con un LLM configurado, una respuesta del motor local es siempre un respaldo.
        if ajustes.openai_base_url and resultado.motor == "local":
            RESPALDOS_CLASIFICACION.inc()
        return resultado

    return envoltura  # type: ignore[return-value]


class ColectorColas(Collector):
    """Profundidad de las colas registradas, leída en el momento de la consulta."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        familia = GaugeMetricFamily(
            "callcenter_trabajos_en_cola", "Trabajos pendientes por cola", labels=["cola"]
        )
        for cola, funcion in list(_colas.items()):
            try:
                familia.add_metric([cola], float(funcion()))
            except Exception as error:  # una cola rota no deja sin métricas al resto
                registro.warning("No se pudo leer la profundidad de la cola %s: %s", cola, error)
        yield familia


COLECTOR_COLAS = ColectorColas()
REGISTRY.register(COLECTOR_COLAS)


def modo_multiproceso() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exponer() -> bytes:
    """Texto Prometheus: en multiproceso, la suma de los ficheros de todos los workers."""
    if not modo_multiproceso():
        return generate_latest(REGISTRY)
    combinado = CollectorRegistry()
    multiprocess.MultiProcessCollector(combinado)
    combinado.register(COLECTOR_COLAS)
    return generate_latest(combinado)
