"""Rutas de sistema: bienvenida y salud para balanceadores."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

import trabajos
from servicios.clasificador import modo_clasificador

router = APIRouter(tags=["sistema"])


@router.get("/")
def bienvenida(request: Request) -> dict:
    """Presentación de la API con enlaces a la documentación."""
    return {
        "nombre": "API de Call Center",
        "version": request.app.version,
        "documentacion": "/docs",
        "redoc": "/redoc",
        "salud": "/salud",
    }


@router.get("/salud")
def salud(request: Request) -> JSONResponse:
    """Comprueba la base de datos; indica el modo del clasificador y la cola de trabajos."""
    fabrica = request.app.state.fabrica_sesiones
    motor_bd = fabrica.kw["bind"]
    cola: dict[str, int] | None = None
    try:
        with fabrica() as sesion:
            sesion.execute(text("SELECT 1"))
            cola = trabajos.profundidad(sesion=sesion)
        base_datos = "ok"
    except Exception:
        base_datos = "error"
    cuerpo = {
        "estado": "ok" if base_datos == "ok" else "degradado",
        "base_datos": base_datos,
        "motor_bd": motor_bd.dialect.name,
        "clasificador": modo_clasificador(request.app.state.ajustes),
        "trabajos": cola,
    }
    return JSONResponse(cuerpo, status_code=200 if base_datos == "ok" else 503)
