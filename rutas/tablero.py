"""Rutas del tablero en vivo: el de la sala (supervisión) y las cifras del día de cada agente."""

from fastapi import APIRouter

from auth import AjustesDep, SupervisorActual, UsuarioActual
from database import SesionDep
from esquemas.tablero import Tablero, TableroAgente
from servicios import tablero as servicio

router = APIRouter(prefix="/api/tablero", tags=["tablero"])


@router.get("/", response_model=Tablero)
def leer_tablero(sesion: SesionDep, ajustes: AjustesDep, _: SupervisorActual) -> Tablero:
    """KPIs de hoy (día local de ZONA_HORARIA), mezcla, alerta de reclamos, agentes, últimas
    llamadas y llamadas por hora frente al mismo día de la semana pasada."""
    return servicio.tablero(sesion=sesion, ajustes=ajustes)


@router.get("/agente", response_model=TableroAgente)
def leer_mis_cifras(
    sesion: SesionDep, ajustes: AjustesDep, usuario: UsuarioActual
) -> TableroAgente:
    """Mi estado y mis cifras de hoy (cualquier rol; solo las propias)."""
    return servicio.tablero_agente(sesion=sesion, ajustes=ajustes, usuario=usuario)
