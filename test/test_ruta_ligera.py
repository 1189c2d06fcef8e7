"""RutaLigera (rutas/ruta_ligera.py): las rutas que solo dependen de la petición se atienden sin
el resolvedor de FastAPI y dan lo mismo que con él; las demás, y las dependencias del router o
de la app, siguen pasando por FastAPI."""

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import main
from rutas.ruta_ligera import RutaLigera, plan_ligero


async def _quien(request: Request) -> str:
    quien = request.headers.get("x-quien")
    if quien is None:
        raise HTTPException(401, "sin quien")
    return quien


async def _cuantos(request: Request) -> int:
    return int(request.query_params.get("n", "1"))


def _sincrona(request: Request) -> str:
    return request.url.path


async def _denegar(request: Request) -> None:
    raise HTTPException(403, f"denegado en {request.url.path}")


def _router() -> APIRouter:
    router = APIRouter(prefix="/r", route_class=RutaLigera)

    @router.get("/ligera")
    async def ligera(
        request: Request,
        quien: Annotated[str, Depends(_quien)],
        n: Annotated[int, Depends(_cuantos)],
    ) -> Response:
        return Response(f"{quien}:{n}:{request.url.path}", media_type="text/plain")

    @router.get("/con-sincrona")
    async def con_sincrona(ruta: Annotated[str, Depends(_sincrona)]) -> Response:
        return Response(ruta, media_type="text/plain")

    @router.get("/sin-response")
    async def sin_response(quien: Annotated[str, Depends(_quien)]) -> dict[str, str]:
        return {"quien": quien}

    @router.get("/por-ruta/{x}")
    async def por_ruta(x: int, quien: Annotated[str, Depends(_quien)]) -> Response:
        return Response(f"{quien}:{x}", media_type="text/plain")

    return router


def _rutas(app: FastAPI) -> dict[str, APIRoute]:
    return {r.path: r for r in _router().routes if isinstance(r, APIRoute)}


def test_el_plan_solo_toma_rutas_de_dependencias_asincronas_de_la_peticion():
    rutas = _rutas(FastAPI())
    plan = plan_ligero(rutas["/r/ligera"].dependant)
    assert plan is not None
    assert [(nombre, llamada) for nombre, llamada, _ in plan] == [
        ("quien", _quien),
        ("n", _cuantos),
    ]
    for ruta in ("/r/con-sincrona", "/r/sin-response", "/r/por-ruta/{x}"):
        assert plan_ligero(rutas[ruta].dependant) is None, ruta


def test_la_ruta_ligera_responde_como_fastapi():
    app = FastAPI()
    app.include_router(_router())
    with TestClient(app) as cliente:
        respuesta = cliente.get("/r/ligera", params={"n": 7}, headers={"x-quien": "ana"})
        assert (respuesta.status_code, respuesta.text) == (200, "ana:7:/r/ligera")
        sin = cliente.get("/r/ligera")
        assert (sin.status_code, sin.json()) == (401, {"detail": "sin quien"})
        # Las que no cumplen el plan, por el camino de FastAPI.
        assert cliente.get("/r/con-sincrona").text == "/r/con-sincrona"
        assert cliente.get("/r/sin-response", headers={"x-quien": "eva"}).json() == {"quien": "eva"}
        assert cliente.get("/r/por-ruta/5", headers={"x-quien": "eva"}).text == "eva:5"
        assert cliente.get("/r/por-ruta/x", headers={"x-quien": "eva"}).status_code == 422


@pytest.mark.parametrize("donde", ["include_router", "app"])
def test_las_dependencias_del_router_o_de_la_app_se_siguen_aplicando(donde):
    """Una dependencia añadida al incluir el router (o a toda la app) también corre en la ruta
    ligera: con ella, la ruta da 403 y no su contenido."""
    if donde == "app":
        app = FastAPI(dependencies=[Depends(_denegar)])
        app.include_router(_router())
    else:
        app = FastAPI()
        app.include_router(_router(), dependencies=[Depends(_denegar)])
    with TestClient(app) as cliente:
        respuesta = cliente.get("/r/ligera", headers={"x-quien": "ana"})
        assert (respuesta.status_code, respuesta.json()) == (
            403,
            {"detail": "denegado en /r/ligera"},
        )


def test_con_dependency_overrides_va_por_fastapi():
    app = FastAPI()
    app.include_router(_router())

    async def _siempre_luis() -> str:
        return "luis"

    app.dependency_overrides[_quien] = _siempre_luis
    with TestClient(app) as cliente:
        assert cliente.get("/r/ligera", params={"n": 2}).text == "luis:2:/r/ligera"
        app.dependency_overrides.clear()
        assert cliente.get("/r/ligera").status_code == 401


def test_la_lista_de_llamadas_de_la_app_usa_la_ruta_ligera():
    """La ruta que mide bench/instrucciones.py toma el atajo (si un cambio le añade una
    dependencia que no cumple el plan, vuelve al resolvedor sin avisar: esta prueba avisa)."""
    rutas = [
        r
        for r in main.llamadas.router.routes
        if isinstance(r, APIRoute) and r.path == "/api/llamadas/" and "GET" in r.methods
    ]
    assert len(rutas) == 1 and isinstance(rutas[0], RutaLigera)
    plan = plan_ligero(rutas[0].dependant)
    assert plan is not None and [nombre for nombre, _, _ in plan] == ["credencial", "consulta"]
