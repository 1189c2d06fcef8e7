"""Ruta de importación de llamadas por lotes (supervisión)."""

from typing import Annotated

from fastapi import APIRouter, Body, status

from auth import AjustesDep, SupervisorActual
from database import SesionDep
from esquemas.importacion import LoteLlamadas, ResultadoImportacion
from rutas import ejemplos
from rutas.respuestas import errores
from servicios import importacion as servicio

router = APIRouter(prefix="/api/llamadas", tags=["llamadas"], responses=errores(401, 503))


@router.post(
    "/importar",
    response_model=ResultadoImportacion,
    status_code=status.HTTP_201_CREATED,
    summary="Importar llamadas por lotes",
    responses=errores(403, 413, 422),
)
def importar_llamadas(
    lote: Annotated[LoteLlamadas, Body(openapi_examples=ejemplos.LOTE_LLAMADAS)],
    sesion: SesionDep,
    actor: SupervisorActual,
    ajustes: AjustesDep,
) -> ResultadoImportacion:
    """Importa hasta 2000 llamadas de como mucho 31 días, todas o ninguna (422 con la fila y el
    campo), con su agente y su fecha. Las fotos diarias de los días cerrados que cambian se
    rehacen en la misma transacción: las métricas no pasan a calcularse en vivo. Las que traen
    notas se clasifican después (la repesca del programador)."""
    return servicio.importar(sesion=sesion, actor=actor, lote=lote, ajustes=ajustes)
