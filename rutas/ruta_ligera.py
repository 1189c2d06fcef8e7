"""Rutas que se atienden sin el resolvedor de dependencias de FastAPI en cada petición.

La lista más pedida, `GET /api/llamadas/`, depende solo de la petición: el portador del token
(`auth.credencial_de_la_peticion`) y la cadena de consulta validada de una vez
(`rutas/consulta.py`), y devuelve su propia `Response` con el JSON ya hecho. (La de
clasificaciones declara sus filtros como parámetros de FastAPI y sigue por su camino.)
Para una ruta así, `solve_dependencies` recorre el árbol de dependencias, sus cachés y sus pilas
de salida en cada petición: ~8 % de las instrucciones de la página (`bench/instrucciones.py`).

`RutaLigera` hace, para las rutas que cumplen `plan_ligero`, lo mismo que FastAPI con menos
pasos: llama a cada dependencia con la petición, en orden, y después a la ruta. Cualquier otra
ruta del router (con cuerpo, parámetros de ruta, dependencias con `yield`, síncronas, repetidas
o con subdependencias), o si hay `dependency_overrides`, va por el camino de FastAPI sin
cambios. Los errores de una dependencia (401, 422) se levantan igual y los atienden los mismos
manejadores.
"""

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, get_type_hints

import fastapi.routing
from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

Llamada = Callable[..., Awaitable[Any]]
Manejador = Callable[[Request], Coroutine[Any, Any, Response]]

# En FastAPI 0.165+ la ruta incluida en un router lleva su contexto efectivo (con las
# dependencias del router y de la app) en esta variable mientras se arma su manejador; en
# versiones anteriores, include_router crea una ruta nueva con todas en su propio `dependant`.
_CONTEXTO_EFECTIVO = getattr(fastapi.routing, "_effective_route_context_var", None)


def _solo_peticion(dependant: Dependant) -> bool:
    """Sin parámetros propios de la petición HTTP ni de FastAPI, salvo la propia Request."""
    return not (
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    )


def _es_corrutina(llamada: Any) -> bool:
    if inspect.isclass(llamada):
        return False
    funcion = llamada if inspect.isroutine(llamada) else getattr(llamada, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(funcion)


def plan_ligero(dependant: Dependant) -> list[tuple[str, Llamada, str]] | None:
    """(nombre del argumento, dependencia, nombre de su parámetro Request) de cada dependencia,
    en orden; None si la ruta necesita el resolvedor de FastAPI."""
    llamada = dependant.call
    if llamada is None or not _es_corrutina(llamada) or not _solo_peticion(dependant):
        return None
    try:
        devuelve = get_type_hints(llamada).get("return")
    except Exception:  # anotaciones que no se pueden resolver: sin atajo
        return None
    if not (inspect.isclass(devuelve) and issubclass(devuelve, Response)):
        return None  # sin su propia Response, FastAPI valida y serializa la salida
    plan = []
    for dependencia in dependant.dependencies:
        if (
            dependencia.name is None
            or dependencia.call is None
            or dependencia.dependencies
            or dependencia.request_param_name is None
            or not _solo_peticion(dependencia)
            or not _es_corrutina(dependencia.call)
        ):
            return None
        plan.append((dependencia.name, dependencia.call, dependencia.request_param_name))
    if len({id(llamada) for _, llamada, _ in plan}) < len(plan):
        return None  # la misma dependencia dos veces: FastAPI la llama una (su caché)
    return plan


class RutaLigera(APIRoute):
    """APIRoute que atiende sin `solve_dependencies` las rutas que cumplen `plan_ligero`."""

    def get_route_handler(self) -> Manejador:
        estandar = super().get_route_handler()
        ruta: Any = self
        contexto = _CONTEXTO_EFECTIVO.get() if _CONTEXTO_EFECTIVO is not None else None
        if contexto is not None and contexto.original_route is self:
            ruta = contexto
        plan = plan_ligero(ruta.dependant)
        if plan is None:
            return estandar
        llamada = ruta.dependant.call
        argumento_peticion = ruta.dependant.request_param_name
        sustituciones = ruta.dependency_overrides_provider

        async def manejador(request: Request) -> Response:
            if sustituciones is not None and getattr(sustituciones, "dependency_overrides", None):
                return await estandar(request)
            valores: dict[str, Any] = {}
            if argumento_peticion is not None:
                valores[argumento_peticion] = request
            for nombre, dependencia, parametro in plan:
                valores[nombre] = await dependencia(**{parametro: request})
            return await llamada(**valores)

        return manejador
