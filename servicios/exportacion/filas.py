"""Lectura en lotes de las llamadas de un reporte, compartida por CSV y XLSX."""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crud import reporte as crud_reporte
from crud.llamada import SIN_CLASIFICAR
from modelos.reporte import Reporte
from servicios.reportes import filtros_de

LOTE = 5000
CABECERA = (
    "id",
    "agente",
    "cliente",
    "fecha_hora_utc",
    "duracion_segundos",
    "tipo",
    "resultado",
    "direccion",
    "satisfaccion",
    "tiempo_espera_segundos",
    "categoria",
    "confianza",
)


def lotes_de_llamadas(
    *, reporte: Reporte, fabrica: sessionmaker[Session]
) -> Iterator[Sequence[Any]]:
    """Filas del periodo y filtros del reporte, de LOTE en LOTE con un cursor en flujo."""
    consulta = crud_reporte.consulta_llamadas(reporte.desde, reporte.hasta, filtros_de(reporte))
    with fabrica() as sesion:
        resultado = sesion.execute(consulta.execution_options(yield_per=LOTE))
        yield from resultado.partitions()


def valores(fila: Any) -> tuple:
    """Valores planos de una fila: enums como texto, sin clasificar explícito."""
    return (
        fila.id,
        fila.nombre,
        fila.numero_cliente,
        fila.fecha_hora,
        fila.duracion_segundos,
        fila.tipo.value,
        fila.resultado.value,
        fila.direccion.value,
        fila.satisfaccion,
        fila.tiempo_espera_segundos,
        fila.categoria.value if fila.categoria is not None else SIN_CLASIFICAR,
        round(fila.confianza, 4) if fila.confianza is not None else None,
    )
