"""Rutas del tablero en vivo: el de la sala (supervisión) y las cifras del día de cada agente."""

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from auth import AjustesDep, SupervisorActual, UsuarioActual
from database import SesionDep
from esquemas.tablero import Tablero, TableroAgente
from rutas.respuestas import errores
from servicios import tablero as servicio

router = APIRouter(prefix="/api/tablero", tags=["tablero"], responses=errores(401, 503))


def _agrupado(request: Request, sesion: Session, clave: tuple, calcular):
    """Peticiones simultáneas comparten una sola cuenta (que empieza tras su llegada)."""
    # Cierra la transacción de la autenticación: quien espera no retiene una conexión.
    sesion.commit()
    return request.app.state.agrupador_tablero.obtener(clave, calcular)


@router.get("/", response_model=Tablero, summary="Tablero de la sala (hoy)", responses=errores(403))
def leer_tablero(
    request: Request, sesion: SesionDep, ajustes: AjustesDep, _: SupervisorActual
) -> Tablero:
    """KPIs de hoy (día local de ZONA_HORARIA), mezcla, alerta de reclamos, agentes, últimas
    llamadas y llamadas por hora frente al mismo día de la semana pasada."""
    return _agrupado(
        request,
        sesion,
        ("equipo", ajustes.zona_horaria),
        lambda: servicio.tablero(sesion=sesion, ajustes=ajustes),
    )


@router.get("/agente", response_model=TableroAgente, summary="Mis cifras de hoy")
def leer_mis_cifras(
    request: Request, sesion: SesionDep, ajustes: AjustesDep, usuario: UsuarioActual
) -> TableroAgente:
    """Mi estado y mis cifras de hoy (cualquier rol; solo las propias)."""
    return _agrupado(
        request,
        sesion,
        ("agente", usuario.id, ajustes.zona_horaria),
        lambda: servicio.tablero_agente(sesion=sesion, ajustes=ajustes, usuario=usuario),
    )
