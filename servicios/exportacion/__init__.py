"""Exportación de reportes a CSV, XLSX y PDF, los tres en flujo; cada formato en su módulo."""

from collections.abc import Iterator
from typing import Literal

from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from config import Ajustes
from modelos.reporte import Reporte

TIPOS_MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FormatoRegional = Literal["es", "en"]


def nombre_fichero(reporte: Reporte, formato: str, ajustes: Ajustes) -> str:
    """reporte_<id>_<desde>_<hasta>.<formato> con las fechas locales del periodo."""
    desde = reporte.desde.astimezone(ajustes.zona).date()
    hasta = reporte.hasta.astimezone(ajustes.zona).date()
    return f"reporte_{reporte.id}_{desde.isoformat()}_{hasta.isoformat()}.{formato}"


def _trozos(
    reporte: Reporte,
    formato: str,
    fabrica: sessionmaker[Session],
    ajustes: Ajustes,
    regional: FormatoRegional,
) -> Iterator[bytes]:
    if formato == "csv":
        from servicios.exportacion.csv import filas_csv

        return filas_csv(reporte=reporte, fabrica=fabrica, zona=ajustes.zona, regional=regional)
    if formato == "xlsx":
        from servicios.exportacion.xlsx import libro_xlsx

        return libro_xlsx(reporte=reporte, fabrica=fabrica, ajustes=ajustes)
    from servicios.exportacion.pdf import documento_pdf

    return documento_pdf(reporte=reporte, fabrica=fabrica, ajustes=ajustes)


def descargar(
    *,
    reporte: Reporte,
    formato: str,
    fabrica: sessionmaker[Session],
    ajustes: Ajustes,
    regional: FormatoRegional = "es",
) -> StreamingResponse:
    """Respuesta en flujo con el fichero del formato pedido como adjunto.

    El trabajo de cada trozo corre en el grupo de hilos de Starlette, nunca en el bucle de
    eventos, así que una exportación grande no para las demás peticiones.
    """
    nombre = nombre_fichero(reporte, formato, ajustes)
    return StreamingResponse(
        _trozos(reporte, formato, fabrica, ajustes, regional),
        media_type=TIPOS_MIME[formato],
        headers={"Content-Disposition": f'attachment; filename="{nombre}"'},
    )
