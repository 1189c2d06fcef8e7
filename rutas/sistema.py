"""Rutas de sistema: bienvenida y salud para balanceadores."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import text

from servicios.clasificador import modo_clasificador

router = APIRouter(tags=["sistema"])


def _pide_html(request: Request) -> bool:
    """Un navegador (Accept con text/html y sin JSON) va a la consola; los clientes JSON no."""
    acepta = request.headers.get("accept", "")
    return "text/html" in acepta and "application/json" not in acepta


@router.get("/", response_model=None)
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


@router.get("/salud")
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
