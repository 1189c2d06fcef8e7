"""Rutas de sistema: bienvenida y salud para balanceadores."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from esquemas.sistema import Bienvenida, EstadoSalud
from servicios.clasificador import modo_clasificador

router = APIRouter(tags=["sistema"])


@router.get("/", response_model=Bienvenida, summary="Bienvenida y enlaces a la documentación")
def bienvenida(request: Request) -> dict:
    """Presentación de la API con enlaces a la documentación."""
    return {
        "nombre": "API de Call Center",
        "version": request.app.version,
        "documentacion": "/docs",
        "redoc": "/redoc",
        "salud": "/salud",
    }


@router.get(
    "/salud",
    summary="Salud del servicio",
    response_model=EstadoSalud,
    responses={503: {"model": EstadoSalud, "description": "La base de datos no responde"}},
)
def salud(request: Request) -> JSONResponse:
    """Comprueba que la base de datos responde e indica el modo del clasificador."""
    motor_bd = request.app.state.fabrica_sesiones.kw["bind"]
    try:
        with motor_bd.connect() as conexion:
            conexion.execute(text("SELECT 1"))
        base_datos = "ok"
    except Exception:
        base_datos = "error"
    cuerpo = {
        "estado": "ok" if base_datos == "ok" else "degradado",
        "base_datos": base_datos,
        "motor_bd": motor_bd.dialect.name,
        "clasificador": modo_clasificador(request.app.state.ajustes),
    }
    return JSONResponse(cuerpo, status_code=200 if base_datos == "ok" else 503)
