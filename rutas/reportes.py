"""Rutas de reportes: crear, listar, leer y descargar en CSV, XLSX o PDF."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from auth import AjustesDep, SupervisorActual
from database import SesionDep
from esquemas.comunes import FechaUTC
from esquemas.reporte import Formato, ReporteCrear, ReporteDetalle, ReportePublico
from rutas import ejemplos
from rutas.comunes import IdRuta
from rutas.paginas import PaginadorDep
from rutas.respuestas import errores, lista_cursor
from servicios import auditoria
from servicios import reportes as servicio
from servicios.exportacion import TIPOS_MIME, FormatoRegional, descargar

router = APIRouter(prefix="/api/reportes", tags=["reportes"], responses=errores(401, 503))


@router.post(
    "/",
    response_model=ReporteDetalle,
    status_code=status.HTTP_201_CREATED,
    summary="Generar un reporte",
    responses=errores(403, 404, 422),
)
def crear_reporte(
    datos: Annotated[ReporteCrear, Body(openapi_examples=ejemplos.REPORTE_CREAR)],
    sesion: SesionDep,
    actor: SupervisorActual,
    ajustes: AjustesDep,
) -> ReporteDetalle:
    """Calcula y guarda los KPIs de un periodo con sus filtros (supervisores y admins)."""
    reporte = servicio.crear(sesion=sesion, actor=actor, datos=datos, ajustes=ajustes)
    return ReporteDetalle.model_validate(reporte)


@router.get(
    "/",
    response_model=list[ReportePublico],
    summary="Listar reportes",
    responses={**lista_cursor("Reportes de la página pedida"), **errores(403, 422)},
)
def listar_reportes(
    sesion: SesionDep,
    _: SupervisorActual,
    paginador: PaginadorDep,
    automatico: bool | None = None,
    desde: Annotated[FechaUTC | None, Query(description="Periodo que empieza desde")] = None,
    hasta: Annotated[FechaUTC | None, Query(description="Periodo que acaba hasta")] = None,
) -> Response:
    """Reportes guardados, los más recientes primero."""
    pagina = servicio.listar(
        sesion=sesion, automatico=automatico, desde=desde, hasta=hasta, pedido=paginador.pedido
    )
    modelos = [ReportePublico.model_validate(f) for f in pagina.filas]
    return paginador.responder(sesion, pagina, modelos)


@router.get(
    "/{reporte_id}",
    response_model=ReporteDetalle,
    summary="Ver un reporte con sus KPIs",
    responses=errores(403, 404, 422),
)
def leer_reporte(reporte_id: IdRuta, sesion: SesionDep, _: SupervisorActual) -> ReporteDetalle:
    """Un reporte con sus KPIs."""
    return ReporteDetalle.model_validate(servicio.obtener(sesion=sesion, reporte_id=reporte_id))


@router.get(
    "/{reporte_id}/descargar",
    response_class=StreamingResponse,
    summary="Descargar un reporte (CSV, XLSX o PDF)",
    responses={
        200: {
            "description": "El fichero como adjunto (Content-Disposition con su nombre)",
            "content": {
                tipo.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for tipo in TIPOS_MIME.values()
            },
        },
        **errores(403, 404, 422),
    },
)
def descargar_reporte(
    reporte_id: IdRuta,
    request: Request,
    sesion: SesionDep,
    _: SupervisorActual,
    ajustes: AjustesDep,
    formato: Annotated[Formato, Query(description="csv, xlsx o pdf")] = "csv",
    formato_regional: Annotated[
        FormatoRegional,
        Query(description="CSV: es (';' y coma decimal, por defecto) o en (',' y punto)"),
    ] = "es",
) -> Response:
    """Descarga el reporte: CSV (una fila por llamada), XLSX o PDF; el nombre lleva el periodo."""
    reporte = servicio.obtener(sesion=sesion, reporte_id=reporte_id)
    auditoria.reporte_descargado(sesion=sesion, reporte=reporte, formato=formato)
    return descargar(
        reporte=reporte,
        formato=formato,
        fabrica=request.app.state.fabrica_sesiones,
        ajustes=ajustes,
        regional=formato_regional,
    )
