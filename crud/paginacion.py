"""Paginación de listas: por desplazamiento (skip) o por cursor (keyset) y un total acotado.

El orden de toda lista es descendente por una clave única (p. ej. fecha y id). Un cursor es la
clave de la última fila servida: la página siguiente pide las filas con clave menor, así que
una inserción entre páginas no repite ni salta ninguna fila (las nuevas, más recientes, quedan
antes del cursor). El total se cuenta solo hasta un tope (leer de un índice unas pocas filas, no
toda la tabla); el recuento exacto se hace solo si se pide.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, literal, or_, select, text
from sqlalchemy.orm import Session

# Una sesión del ORM o una conexión de Core: las dos ejecutan consultas (`execute`, `scalar`).
Ejecutor = Session | Connection

TOPE_TOTAL = 1000


@dataclass(frozen=True, slots=True)
class PedidoPagina:
    """Qué página se pide: desplazamiento o clave tras la que seguir, tamaño y tipo de total."""

    skip: int = 0
    limit: int = 50
    despues: tuple[Any, ...] | None = None
    total_exacto: bool = False
    tope: int = TOPE_TOTAL


@dataclass(frozen=True, slots=True)
class PaginaFilas:
    """Filas de la página, el total (exacto o acotado) y la clave para seguir si hay más."""

    filas: list[Any]
    total: int
    exacto: bool
    siguiente: tuple[Any, ...] | None


def _tras(columnas: Sequence[ColumnElement], valores: Sequence[Any]) -> ColumnElement[bool]:
    """(c1, c2, ...) < (v1, v2, ...) escrito para que el índice acote por la primera columna."""
    primera, valor = columnas[0], valores[0]
    if len(columnas) == 1:
        return primera < valor
    return and_(primera <= valor, or_(primera < valor, _tras(columnas[1:], valores[1:])))


def _dialecto(ejecutor: Ejecutor) -> str:
    if isinstance(ejecutor, Connection):
        return ejecutor.dialect.name
    return ejecutor.get_bind().dialect.name


def contar(
    sesion: Ejecutor, consulta: Select, *, tope: int | None, orden: Sequence[ColumnElement] = ()
) -> int:
    """Filas de la consulta; con tope, deja de contar en tope + 1 y las recorre en el orden de
    la lista: el mismo plan que la página (sin él, PostgreSQL elige a veces un merge join por
    la clave primaria que lee decenas de miles de filas para llegar al tope)."""
    base = consulta.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
    if tope is not None:
        base = base.order_by(*(c.desc() for c in orden)).limit(tope + 1)
    return sesion.scalar(select(func.count()).select_from(base.subquery())) or 0


def paginar(
    sesion: Ejecutor,
    consulta: Select,
    *,
    orden: Sequence[ColumnElement],
    pedido: PedidoPagina,
    conteo: Select | None = None,
) -> PaginaFilas:
    """Página de `consulta` (ya filtrada) en orden descendente de `orden` (única: la última
    columna es un id), con su total y la clave de la última fila. Si la consulta es de una
    entidad, las filas son sus objetos; si es de varias columnas, tuplas de esas columnas.
    `conteo`: otra consulta con las mismas filas, más barata de contar (sin orden)."""
    ancho = len(consulta.column_descriptions)
    if not pedido.total_exacto and _dialecto(sesion) == "postgresql":
        # Una página y un recuento acotado leen unas pocas filas por un índice: arrancar
        # trabajadores paralelos (~20 ms) cuesta más que la consulta. Solo en esta transacción.
        sesion.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    filtrada = consulta.add_columns(*orden)
    if pedido.despues is not None:
        filtrada = filtrada.where(_tras(orden, pedido.despues))
    filtrada = filtrada.order_by(*(c.desc() for c in orden))
    filas = list(sesion.execute(filtrada.offset(pedido.skip).limit(pedido.limit + 1)))
    hay_mas = len(filas) > pedido.limit
    filas = filas[: pedido.limit]
    siguiente = tuple(filas[-1][ancho:]) if hay_mas else None
    filas = [fila[0] for fila in filas] if ancho == 1 else [fila[:ancho] for fila in filas]
    if pedido.total_exacto:
        return PaginaFilas(filas, contar(sesion, consulta, tope=None), True, siguiente)
    if conteo is None:
        contadas = contar(sesion, consulta, tope=pedido.tope, orden=orden)
    else:
        contadas = contar(sesion, conteo, tope=pedido.tope)
    if contadas <= pedido.tope:
        return PaginaFilas(filas, contadas, True, siguiente)
    # Más filas que el tope: el total es "al menos" lo que ya se sabe que existe.
    vistas = pedido.skip + len(filas) + int(hay_mas) if pedido.despues is None else 0
    return PaginaFilas(filas, max(pedido.tope, vistas), False, siguiente)
