"""Rutas del estado de los agentes: el propio (leer y cambiar) y el de todo el equipo."""

from typing import Annotated

from fastapi import APIRouter, Body, Response

from auth import SupervisorActual, UsuarioActual
from database import SesionDep
from esquemas.estado_agente import EstadoCambiar, EstadoPublico
from rutas.comunes import poner_total
from rutas.respuestas import errores, lista
from servicios import estados_agente as servicio

router = APIRouter(
    prefix="/api/estados-agente", tags=["estados-agente"], responses=errores(401, 503)
)

EJEMPLOS_ESTADO = {
    "disponible": {"summary": "Disponible", "value": {"estado": "disponible", "motivo": None}},
    "en_llamada": {"summary": "En llamada", "value": {"estado": "en_llamada", "motivo": None}},
    "pausa": {"summary": "Pausa con motivo", "value": {"estado": "pausa", "motivo": "Descanso"}},
    "desconectado": {"summary": "Fin de turno", "value": {"estado": "desconectado"}},
}


@router.get("/me", response_model=EstadoPublico, summary="Ver mi estado")
def leer_mi_estado(sesion: SesionDep, usuario: UsuarioActual) -> EstadoPublico:
    """Mi estado y desde cuándo (desconectado si nunca lo fijé)."""
    return servicio.obtener(sesion=sesion, usuario=usuario)


@router.put(
    "/me", response_model=EstadoPublico, summary="Cambiar mi estado", responses=errores(422)
)
def cambiar_mi_estado(
    datos: Annotated[EstadoCambiar, Body(openapi_examples=EJEMPLOS_ESTADO)],
    sesion: SesionDep,
    usuario: UsuarioActual,
) -> EstadoPublico:
    """Cambia mi estado (la pausa exige motivo); se avisa en vivo a la supervisión."""
    return servicio.cambiar(sesion=sesion, usuario=usuario, datos=datos)


@router.get(
    "/",
    response_model=list[EstadoPublico],
    summary="Estado de todo el equipo",
    responses={**lista("Estado de cada agente activo"), **errores(403)},
)
def listar_estados(
    sesion: SesionDep, _: SupervisorActual, respuesta: Response
) -> list[EstadoPublico]:
    """Estado de todos los agentes activos (supervisores y admins)."""
    estados = servicio.listar(sesion=sesion)
    poner_total(respuesta, len(estados))
    return estados
