"""CSV en flujo: una fila por llamada, UTF-8 con BOM y ';' como separador (Excel en español)."""

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from modelos.reporte import Reporte
from servicios.exportacion.filas import CABECERA, lotes_de_llamadas, valores

SEPARADOR = ";"
FORMATO_FECHA = "%Y-%m-%d %H:%M:%S"
# Excel, LibreOffice y Google Sheets ejecutan como fórmula una celda que empieza así.
INICIOS_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# '+34600111222' no ejecuta nada: un número de cliente canónico sale tal cual.
NUMERO_CANONICO = re.compile(r"\+?[0-9]+")


def celda_segura(valor: Any) -> Any:
    """Un texto que una hoja de cálculo tomaría por fórmula sale con un apóstrofo delante."""
    if (
        isinstance(valor, str)
        and valor.startswith(INICIOS_DE_FORMULA)
        and not NUMERO_CANONICO.fullmatch(valor)
    ):
        return "'" + valor
    return valor


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
            escritor.writerow([celda_segura(dato) for dato in datos])
        yield buffer.getvalue().encode("utf-8")
