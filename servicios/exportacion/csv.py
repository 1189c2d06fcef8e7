"""CSV en flujo: una fila por llamada, UTF-8 con BOM, en el formato regional pedido.

`es` (por defecto): ';' como separador, coma decimal y fechas dd/mm/aaaa, lo que una hoja de
cálculo en español lee como números y fechas; `en`: ',' y punto decimal, fechas ISO.
"""

import csv
import io
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from modelos.reporte import Reporte
from servicios.exportacion.filas import Columna, columnas_llamadas, lotes_de_llamadas

FormatoRegional = Literal["es", "en"]
SEPARADORES = {"es": ";", "en": ","}
FORMATOS_FECHA = {"es": "%d/%m/%Y %H:%M:%S", "en": "%Y-%m-%d %H:%M:%S"}
# Unidad que la cabecera dice para lo que en el XLSX tiene formato propio.
SUFIJOS = {"duracion": " (s)", "proporcion": " (0-1)"}
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


def _conversor(columna: Columna, regional: FormatoRegional) -> Callable[[Any], Any]:
    """Cómo se escribe el valor de una columna (None queda vacío)."""
    if columna.tipo == "fecha":
        formato = FORMATOS_FECHA[regional]
        return lambda valor: valor.strftime(formato)
    if columna.tipo == "proporcion":
        coma = regional == "es"
        return lambda v: "" if v is None else (str(v).replace(".", ",") if coma else str(v))
    if columna.tipo == "texto":
        return celda_segura
    return lambda valor: valor


def cabecera_csv(columnas: tuple[Columna, ...]) -> list[str]:
    return [c.cabecera + SUFIJOS.get(c.tipo, "") for c in columnas]


def filas_csv(
    *,
    reporte: Reporte,
    fabrica: sessionmaker[Session],
    zona: ZoneInfo,
    regional: FormatoRegional = "es",
) -> Iterator[bytes]:
    """Trozos del CSV: la cabecera con BOM y luego un trozo por lote de llamadas."""
    columnas = columnas_llamadas(str(zona))
    campos = operator.attrgetter(*(c.campo for c in columnas))
    conversores = [_conversor(c, regional) for c in columnas]
    buffer = io.StringIO()
    escritor = csv.writer(buffer, delimiter=SEPARADORES[regional], lineterminator="\r\n")
    escritor.writerow(cabecera_csv(columnas))
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for lote in lotes_de_llamadas(reporte=reporte, fabrica=fabrica, zona=zona):
        buffer.seek(0)
        buffer.truncate()
        escritor.writerows(
            [f(v) for f, v in zip(conversores, campos(fila), strict=True)] for fila in lote
        )
        yield buffer.getvalue().encode("utf-8")
