"""Rutas del estado de los agentes: el propio (leer y cambiar) y el de todo el equipo."""

from fastapi import APIRouter

from auth import SupervisorActual, UsuarioActual
from database import SesionDep
from esquemas.estado_agente import EstadoCambiar, EstadoPublico
from servicios import estados_agente as servicio

router = APIRouter(prefix="/api/estados-agente", tags=["estados-agente"])


@router.get("/me", response_model=EstadoPublico)
def leer_mi_estado(sesion: SesionDep, usuario: UsuarioActual) -> EstadoPublico:
    """Mi estado y desde cuándo (desconectado si nunca lo fijé)."""
    return servicio.obtener(sesion=sesion, usuario=usuario)


@router.put("/me", response_model=EstadoPublico)
def cambiar_mi_estado(
    datos: EstadoCambiar, sesion: SesionDep, usuario: UsuarioActual
) -> EstadoPublico:
    """Cambia mi estado (la pausa exige motivo); se avisa en vivo a la supervisión."""
    return servicio.cambiar(sesion=sesion, usuario=usuario, datos=datos)


@router.get("/", response_model=list[EstadoPublico])
def listar_estados(sesion: SesionDep, _: SupervisorActual) -> list[EstadoPublico]:
    """Estado de todos los agentes activos (supervisores y admins)."""
    return servicio.listar(sesion=sesion)
