"""CSV en flujo: una fila por llamada, UTF-8 con BOM y ';' como separador (Excel en español)."""

import csv
import io
from collections.abc import Iterator

from sqlalchemy.orm import Session, sessionmaker

from modelos.reporte import Reporte
from servicios.exportacion.filas import CABECERA, lotes_de_llamadas, valores

SEPARADOR = ";"
FORMATO_FECHA = "%Y-%m-%d %H:%M:%S"


def filas_csv(*, reporte: Reporte, fabrica: sessionmaker[Session]) -> Iterator[bytes]:
    """Trozos del CSV: la cabecera con BOM y luego un trozo por lote de llamadas."""
    buffer = io.StringIO()
    escritor = csv.writer(buffer, delimiter=SEPARADOR, lineterminator="\r\n")
    escritor.writerow(CABECERA)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for lote in lotes_de_llamadas(reporte=reporte, fabrica=fabrica):
        buffer.seek(0)
        buffer.truncate()
        for fila in lote:
            datos = list(valores(fila))
            datos[3] = datos[3].strftime(FORMATO_FECHA)
            escritor.writerow(datos)
        yield buffer.getvalue().encode("utf-8")
