"""Rutas de métricas: KPIs en vivo y fotos diarias."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from auth import AdminActual, AjustesDep, SupervisorActual, UsuarioActual
from database import SesionDep, huecos_de_apoyo
from esquemas.comunes import Dia, FechaODia
from esquemas.metrica import MetricaDiaria, Metricas, RecalcularDiarias, RecalculoDiarias
from rutas import ejemplos
from rutas.comunes import PaginaDep, poner_total
from rutas.respuestas import errores, lista
from servicios import metricas as servicio
from servicios import metricas_diarias

router = APIRouter(prefix="/api/metricas", tags=["metricas"], responses=errores(401, 503))


@router.get(
    "/",
    response_model=Metricas,
    summary="KPIs en vivo de un periodo",
    responses=errores(403, 404, 422),
)
def leer_metricas(
    sesion: SesionDep,
    actor: UsuarioActual,
    ajustes: AjustesDep,
    desde: Annotated[
        FechaODia | None,
        Query(
            description="ISO 8601 o AAAA-MM-DD (día local entero), inclusive; "
            "por defecto hasta - 30 días"
        ),
    ] = None,
    hasta: Annotated[
        FechaODia | None,
        Query(description="ISO 8601 o AAAA-MM-DD (día local entero), inclusive; por defecto ahora"),
    ] = None,
    usuario_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> Metricas:
    """KPIs del periodo calculados de las llamadas; un agente solo ve los suyos."""
    return servicio.obtener_metricas(
        sesion=sesion,
        actor=actor,
        desde=desde,
        hasta=hasta,
        usuario_id=usuario_id,
        ajustes=ajustes,
        huecos=huecos_de_apoyo(ajustes),
    )


@router.get(
    "/diarias",
    response_model=list[MetricaDiaria],
    summary="Fotos diarias de los KPIs",
    responses={**lista("Fotos de la página pedida"), **errores(403, 422)},
)
def listar_metricas_diarias(
    sesion: SesionDep,
    _: SupervisorActual,
    respuesta: Response,
    pagina: PaginaDep,
    desde: Annotated[Dia | None, Query(description="AAAA-MM-DD, inclusive")] = None,
    hasta: Annotated[Dia | None, Query(description="AAAA-MM-DD, inclusive")] = None,
) -> list[MetricaDiaria]:
    """Fotos de los días locales cerrados (ZONA_HORARIA), las más recientes primero."""
    filas, total = metricas_diarias.listar(
        sesion=sesion, desde=desde, hasta=hasta, skip=pagina.skip, limit=pagina.limit
    )
    poner_total(respuesta, total)
    return filas


@router.post(
    "/diarias/recalcular",
    response_model=RecalculoDiarias,
    summary="Recalcular las fotos diarias",
    responses=errores(403, 422),
)
def recalcular_metricas_diarias(
    datos: Annotated[RecalcularDiarias, Body(openapi_examples=ejemplos.RECALCULAR_DIARIAS)],
    sesion: SesionDep,
    _: AdminActual,
    ajustes: AjustesDep,
) -> RecalculoDiarias:
    """Recalcula las fotos de un rango de días cerrados (admin; máximo 366 días)."""
    return metricas_diarias.recalcular(
        sesion=sesion,
        desde=datos.desde,
        hasta=datos.hasta,
        ajustes=ajustes,
        ahora=datetime.now(UTC),
    )
