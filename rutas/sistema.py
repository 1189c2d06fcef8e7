"""Rutas de sistema: bienvenida y salud para balanceadores."""

import asyncio
from concurrent.futures import Future, ThreadPoolExecutor

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

import trabajos
from esquemas.sistema import Bienvenida, EstadoSalud
from servicios.clasificador import modo_clasificador

router = APIRouter(tags=["sistema"])


def _pide_html(request: Request) -> bool:
    """Un navegador (Accept con text/html y sin JSON) va a la consola; los clientes JSON no."""
    acepta = request.headers.get("accept", "")
    return "text/html" in acepta and "application/json" not in acepta


@router.get(
    "/",
    response_model=Bienvenida,
    summary="Bienvenida y enlaces a la documentación",
    responses={307: {"description": "Un navegador va a la consola web en /panel/"}},
)
def bienvenida(request: Request) -> dict | RedirectResponse:
    """Presentación de la API con enlaces a la documentación (un navegador va a /panel/)."""
    if _pide_html(request):
        return RedirectResponse("/panel/", status_code=307)
    return {
        "nombre": "API de Call Center",
        "version": request.app.version,
        "documentacion": "/docs",
        "redoc": "/redoc",
        "salud": "/salud",
        "consola": "/panel/",
    }


PLAZO_SALUD_SEGUNDOS = 1.0
_hilos_salud = ThreadPoolExecutor(max_workers=2, thread_name_prefix="salud")
_comprobaciones: dict[str, Future[tuple[bool, dict[str, int] | None]]] = {}
_motores_salud: dict[str, Engine] = {}


def _motor_salud(motor: Engine) -> Engine:
    """Motor sin pool para la comprobación: no hace cola tras las peticiones cuando hay carga."""
    clave = motor.url.render_as_string(hide_password=False)
    if clave not in _motores_salud:
        plazo = int(PLAZO_SALUD_SEGUNDOS) + 1
        argumentos = {"connect_timeout": plazo} if motor.dialect.name == "postgresql" else {}
        if motor.dialect.name == "sqlite":
            argumentos = {"timeout": PLAZO_SALUD_SEGUNDOS}
        _motores_salud[clave] = create_engine(
            motor.url, poolclass=NullPool, connect_args=argumentos
        )
    return _motores_salud[clave]


def _comprobar_base(motor: Engine) -> tuple[bool, dict[str, int] | None]:
    """SELECT 1 y profundidad de la cola de trabajos, con una conexión propia."""
    try:
        with Session(_motor_salud(motor)) as sesion:
            sesion.execute(text("SELECT 1"))
            return True, trabajos.profundidad(sesion=sesion)
    except Exception:
        return False, None


async def estado_base_datos(motor: Engine) -> tuple[str, dict[str, int] | None]:
    """ "ok", "error" o "sin_respuesta" en menos de PLAZO_SALUD_SEGUNDOS, aunque la base se cuelgue.

    Una sola comprobación en curso por base: si la anterior sigue atascada, no se apila otra.
    """
    clave = motor.url.render_as_string(hide_password=False)
    comprobacion = _comprobaciones.get(clave)
    if comprobacion is None or comprobacion.done():
        comprobacion = _hilos_salud.submit(_comprobar_base, motor)
        _comprobaciones[clave] = comprobacion
    try:
        resultado = await asyncio.wait_for(
            asyncio.shield(asyncio.wrap_future(comprobacion)), PLAZO_SALUD_SEGUNDOS
        )
    except TimeoutError:
        return "sin_respuesta", None
    ok, cola = resultado
    return ("ok" if ok else "error"), cola


@router.get(
    "/salud",
    summary="Salud del servicio",
    response_model=EstadoSalud,
    responses={503: {"model": EstadoSalud, "description": "La base de datos no responde"}},
)
async def salud(request: Request) -> JSONResponse:
    """Comprueba en menos de 2 s que la base responde; modo del clasificador y cola de trabajos."""
    motor_bd = request.app.state.fabrica_sesiones.kw["bind"]
    base_datos, cola = await estado_base_datos(motor_bd)
    cuerpo = {
        "estado": "ok" if base_datos == "ok" else "degradado",
        "base_datos": base_datos,
        "motor_bd": motor_bd.dialect.name,
        "clasificador": modo_clasificador(request.app.state.ajustes),
        "trabajos": cola,
    }
    return JSONResponse(cuerpo, status_code=200 if base_datos == "ok" else 503)
