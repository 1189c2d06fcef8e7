"""Exportación CSV de la auditoría, en flujo y con las celdas de fórmula neutralizadas."""

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy.orm import Session, sessionmaker

from crud import auditoria as crud_auditoria
from crud.auditoria import FiltrosAuditoria
from modelos.auditoria import Auditoria

SEPARADOR = ";"
CABECERA = (
    "id",
    "fecha",
    "usuario_id",
    "accion",
    "entidad",
    "entidad_id",
    "detalle",
    "ip",
    "request_id",
)
# Una hoja de cálculo ejecuta como fórmula lo que empieza por estos caracteres.
INICIOS_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")
FILAS_POR_TROZO = 500


def celda_segura(valor: object) -> str:
    """Texto de la celda; si empezaría una fórmula, se antepone un apóstrofo."""
    texto = "" if valor is None else str(valor)
    return "'" + texto if texto.startswith(INICIOS_DE_FORMULA) else texto


def _fila(fila: Auditoria) -> list[str]:
    valores = (
        fila.id,
        fila.fecha.isoformat(timespec="seconds"),
        fila.usuario_id,
        fila.accion,
        fila.entidad,
        fila.entidad_id,
        json.dumps(fila.detalle, ensure_ascii=False, sort_keys=True),
        fila.ip,
        fila.request_id,
    )
    return [celda_segura(v) for v in valores]


def filas_csv(*, fabrica: sessionmaker[Session], filtros: FiltrosAuditoria) -> Iterator[bytes]:
    """Trozos del CSV (UTF-8 con BOM, ';'), con su propia sesión mientras dura el flujo."""
    buffer = io.StringIO()
    escritor = csv.writer(buffer, delimiter=SEPARADOR, lineterminator="\r\n")
    escritor.writerow(CABECERA)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    with fabrica() as sesion:
        pendientes = 0
        buffer.seek(0)
        buffer.truncate()
        for fila in crud_auditoria.iterar(sesion=sesion, filtros=filtros):
            escritor.writerow(_fila(fila))
            pendientes += 1
            if pendientes == FILAS_POR_TROZO:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
                pendientes = 0
        if pendientes:
            yield buffer.getvalue().encode("utf-8")
