"""Rutas de trabajos en segundo plano: estado de la cola, solo lectura (supervisión)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from auth import SupervisorActual
from database import SesionDep
from esquemas.trabajo import TrabajoPublico
from rutas.comunes import IdRuta, PaginaDep, poner_total
from rutas.respuestas import errores, lista
from servicios import trabajos as servicio
from trabajos import EstadoTrabajo

router = APIRouter(prefix="/api/trabajos", tags=["trabajos"], responses=errores(401, 503))


@router.get(
    "/",
    response_model=list[TrabajoPublico],
    summary="Listar trabajos en segundo plano",
    responses={**lista("Trabajos de la página pedida"), **errores(403, 422)},
)
def listar_trabajos(
    sesion: SesionDep,
    _: SupervisorActual,
    respuesta: Response,
    pagina: PaginaDep,
    estado: Annotated[EstadoTrabajo | None, Query()] = None,
    tipo: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> list[TrabajoPublico]:
    """Lista los trabajos, los más nuevos primero (supervisores y admins)."""
    vistas, total = servicio.listar(
        sesion=sesion, estado=estado, tipo=tipo, skip=pagina.skip, limit=pagina.limit
    )
    poner_total(respuesta, total)
    return [TrabajoPublico.model_validate(v) for v in vistas]


@router.get(
    "/{trabajo_id}",
    response_model=TrabajoPublico,
    summary="Ver un trabajo: estado, intentos y último error",
    responses=errores(403, 404, 422),
)
def leer_trabajo(trabajo_id: IdRuta, sesion: SesionDep, _: SupervisorActual) -> TrabajoPublico:
    """Un trabajo con su estado, intentos y último error (supervisores y admins)."""
    return TrabajoPublico.model_validate(servicio.obtener(sesion=sesion, trabajo_id=trabajo_id))
