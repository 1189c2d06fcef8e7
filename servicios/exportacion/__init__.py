"""Exportación de reportes a CSV (en flujo), XLSX y PDF; cada formato en su módulo."""

from fastapi import Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from modelos.reporte import Reporte

TIPOS_MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def nombre_fichero(reporte: Reporte, formato: str) -> str:
    """reporte_<id>_<desde>_<hasta>.<formato> con las fechas UTC del periodo."""
    return (
        f"reporte_{reporte.id}_{reporte.desde.date().isoformat()}_"
        f"{reporte.hasta.date().isoformat()}.{formato}"
    )


def descargar(*, reporte: Reporte, formato: str, fabrica: sessionmaker[Session]) -> Response:
    """Respuesta de descarga con el fichero del formato pedido como adjunto."""
    cabeceras = {
        "Content-Disposition": f'attachment; filename="{nombre_fichero(reporte, formato)}"'
    }
    if formato == "csv":
        from servicios.exportacion.csv import filas_csv

        return StreamingResponse(
            filas_csv(reporte=reporte, fabrica=fabrica),
            media_type=TIPOS_MIME["csv"],
            headers=cabeceras,
        )
    if formato == "xlsx":
        from servicios.exportacion.xlsx import libro_xlsx

        contenido = libro_xlsx(reporte=reporte, fabrica=fabrica)
    else:
        from servicios.exportacion.pdf import documento_pdf

        contenido = documento_pdf(reporte=reporte)
    return Response(contenido, media_type=TIPOS_MIME[formato], headers=cabeceras)
