"""Rutas de auditoría (solo admin): consulta filtrada y paginada y exportación CSV."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from auth import AdminActual
from crud.auditoria import FiltrosAuditoria
from database import SesionDep
from esquemas.auditoria import AuditoriaPublica
from esquemas.comunes import FechaUTC
from rutas.paginas import PaginadorDep
from rutas.respuestas import errores, lista_cursor
from servicios import auditoria as servicio
from servicios.auditoria_csv import filas_csv
from servicios.excepciones import DatoInvalido

router = APIRouter(prefix="/api/auditoria", tags=["auditoria"], responses=errores(401, 503))

PATRON_NOMBRE = r"^[a-z_]+(\.[a-z_]+)?$"


async def _filtros(
    desde: Annotated[FechaUTC | None, Query(description="ISO 8601, inclusive")] = None,
    hasta: Annotated[FechaUTC | None, Query(description="ISO 8601, inclusive")] = None,
    usuario_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    accion: Annotated[
        str | None, Query(max_length=60, pattern=PATRON_NOMBRE, description="p. ej. login.fallido")
    ] = None,
    entidad: Annotated[
        str | None, Query(max_length=40, pattern=PATRON_NOMBRE, description="p. ej. usuario")
    ] = None,
) -> FiltrosAuditoria:
    if desde and hasta and desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde", ubicacion="query")
    return FiltrosAuditoria(
        desde=desde, hasta=hasta, usuario_id=usuario_id, accion=accion, entidad=entidad
    )


FiltrosDep = Annotated[FiltrosAuditoria, Depends(_filtros)]


@router.get(
    "/",
    response_model=list[AuditoriaPublica],
    summary="Consultar la auditoría",
    responses={**lista_cursor("Filas de auditoría de la página pedida"), **errores(403, 422)},
)
def listar_auditoria(
    sesion: SesionDep,
    _: AdminActual,
    paginador: PaginadorDep,
    filtros: FiltrosDep,
) -> Response:
    """Registro de auditoría, lo más reciente primero (solo admin)."""
    pagina = servicio.listar(sesion=sesion, filtros=filtros, pedido=paginador.pedido)
    modelos = [AuditoriaPublica.model_validate(f) for f in pagina.filas]
    return paginador.responder(sesion, pagina, modelos)


@router.get(
    "/exportar",
    response_class=StreamingResponse,
    summary="Exportar la auditoría a CSV",
    responses={200: {"content": {"text/csv": {}}}, **errores(403, 422)},
)
def exportar_auditoria(
    request: Request, sesion: SesionDep, _: AdminActual, filtros: FiltrosDep
) -> StreamingResponse:
    """Exporta el registro filtrado a CSV (';', UTF-8 con BOM), del más antiguo al más reciente."""
    servicio.auditoria_exportada(sesion=sesion, filtros=filtros)
    nombre = f"auditoria_{datetime.now(UTC).strftime('%Y%m%d_%H%M%S')}.csv"
    return StreamingResponse(
        filas_csv(fabrica=request.app.state.fabrica_sesiones, filtros=filtros),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{nombre}"'},
    )
