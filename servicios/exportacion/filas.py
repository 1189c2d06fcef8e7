"""Llamadas de un reporte como registros con nombre y las columnas que CSV y XLSX comparten.

Cada columna se declara una sola vez (cabecera en español, campo del registro, tipo de dato y
ancho); el CSV y la hoja «Llamadas» del XLSX salen de la misma lista, así que una columna nueva
es una entrada aquí y un campo en FilaLlamada.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from crud import reporte as crud_reporte
from crud.llamada import SIN_CLASIFICAR
from modelos.reporte import Reporte
from servicios.reportes import filtros_de

LOTE = 5000

# texto; entero; fecha (hora local); duracion (segundos: mm:ss en XLSX); proporcion (0-1: %).
TipoColumna = Literal["texto", "entero", "fecha", "duracion", "proporcion"]


@dataclass(slots=True)
class FilaLlamada:
    """Una llamada del reporte con su clasificación, lista para cualquier formato."""

    id: int
    fecha_hora: datetime
    agente: str
    cliente: str
    direccion: str
    tipo: str
    resultado: str
    duracion_segundos: int
    tiempo_espera_segundos: int | None
    satisfaccion: int | None
    categoria: str
    confianza: float | None
    sentimiento: str | None
    consejo: str | None
    notas: str | None


class Columna(NamedTuple):
    """Columna exportada: cabecera, campo de FilaLlamada, tipo y ancho en caracteres (XLSX)."""

    cabecera: str
    campo: str
    tipo: TipoColumna
    ancho: int


def columnas_llamadas(zona: str) -> tuple[Columna, ...]:
    """Las columnas de las llamadas; la de la fecha dice en qué zona está su hora."""
    return (
        Columna("ID", "id", "entero", 9),
        Columna(f"Fecha y hora ({zona})", "fecha_hora", "fecha", 19),
        Columna("Agente", "agente", "texto", 22),
        Columna("Cliente", "cliente", "texto", 16),
        Columna("Dirección", "direccion", "texto", 10),
        Columna("Tipo", "tipo", "texto", 10),
        Columna("Resultado", "resultado", "texto", 10),
        Columna("Duración", "duracion_segundos", "duracion", 9),
        Columna("Espera", "tiempo_espera_segundos", "duracion", 8),
        Columna("CSAT (1-5)", "satisfaccion", "entero", 10),
        Columna("Categoría IA", "categoria", "texto", 13),
        Columna("Confianza IA", "confianza", "proporcion", 12),
        Columna("Sentimiento", "sentimiento", "texto", 11),
        Columna("Consejo de la IA", "consejo", "texto", 50),
        Columna("Notas", "notas", "texto", 60),
    )


def lotes_de_llamadas(
    *, reporte: Reporte, fabrica: sessionmaker[Session], zona: ZoneInfo
) -> Iterator[list[FilaLlamada]]:
    """Llamadas del periodo y filtros del reporte en orden de fecha, de LOTE en LOTE."""
    with fabrica() as sesion:
        for particion in crud_reporte.lotes_crudos(
            sesion=sesion,
            desde=reporte.desde,
            hasta=reporte.hasta,
            filtros=filtros_de(reporte),
            lote=LOTE,
        ):
            yield [_registro(fila, zona) for fila in particion]


def _registro(fila, zona: ZoneInfo) -> FilaLlamada:
    """Hora local sin zona (la cabecera la dice), sin clasificar explícito. La fila es cruda
    (crud/reporte.lotes_crudos): los enums ya son su valor."""
    (id_, agente, cliente, instante, duracion, tipo, resultado, direccion, csat, espera,
     categoria, confianza, sentimiento, consejo, notas) = fila  # fmt: skip
    return FilaLlamada(
        id_,
        crud_reporte.instante_utc(instante).astimezone(zona).replace(tzinfo=None),
        agente,
        cliente,
        direccion,
        tipo,
        resultado,
        duracion,
        espera,
        csat,
        categoria if categoria is not None else SIN_CLASIFICAR,
        round(confianza, 4) if confianza is not None else None,
        sentimiento,
        consejo,
        notas,
    )
