"""Persistencia de llamadas y sus consultas de historial."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import ColumnElement, Connection, bindparam, exists, insert, select
from sqlalchemy.orm import Session, selectinload

from crud.paginacion import (
    PaginaFilas,
    PedidoPagina,
    Preparadas,
    columna_cruda,
    paginar_preparadas,
    preparar,
)
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import ResultadoLlamada, TipoLlamada
from modelos.llamada import Llamada

SIN_CLASIFICAR = "sin_clasificar"


@dataclass(frozen=True, slots=True)
class FiltrosLlamadas:
    """Filtros de la lista de llamadas; None significa sin filtro."""

    usuario_id: int | None = None
    numero_cliente: str | None = None
    tipo: TipoLlamada | None = None
    resultado: ResultadoLlamada | None = None
    categoria: str | None = None
    desde: datetime | None = None
    hasta: datetime | None = None


# Filtros que se comparan con un valor, en el orden de la forma de la consulta.
_COMPARADOS = ("usuario_id", "numero_cliente", "tipo", "resultado", "desde", "hasta")


def _condicion(nombre: str) -> ColumnElement[bool]:
    """La condición de un filtro con su valor como marcador (:nombre)."""
    valor = bindparam(nombre)
    if nombre == "desde":
        return Llamada.fecha_hora >= valor
    if nombre == "hasta":
        return Llamada.fecha_hora <= valor
    return getattr(Llamada, nombre) == valor


def _por_categoria(categoria: str) -> ColumnElement[bool]:
    if categoria == SIN_CLASIFICAR:
        # NOT EXISTS: PostgreSQL lo estima bien (anti join) y recorre el índice de la fecha.
        return ~exists().where(ClasificacionIA.llamada_id == Llamada.id)
    # EXISTS y no JOIN: SQLite recorre el índice de la fecha (un JOIN le hace construir un
    # filtro Bloom de toda la tabla de clasificaciones antes de dar la primera fila).
    return exists().where(
        ClasificacionIA.llamada_id == Llamada.id,
        ClasificacionIA.categoria == bindparam("categoria"),
    )


@lru_cache(maxsize=256)
def _preparadas(
    columnas: tuple[str, ...], filtros: tuple[str, ...], categoria: str | None, con_cursor: bool
) -> Preparadas:
    """Las sentencias de una forma de lista (qué filtros lleva, sin sus valores), una vez."""
    tabla = Llamada.__table__
    consulta = select(*(columna_cruda(tabla.c[nombre]) for nombre in columnas))
    consulta = consulta.where(*(_condicion(nombre) for nombre in filtros))
    if categoria is not None:
        consulta = consulta.where(_por_categoria(categoria))
    return preparar(consulta, orden=(Llamada.fecha_hora, Llamada.id), con_cursor=con_cursor)


def listar(
    *, conexion: Connection, filtros: FiltrosLlamadas, pedido: PedidoPagina, columnas: list[str]
) -> PaginaFilas:
    """Página de llamadas, las más recientes primero, y el total que cumple los filtros: tuplas
    de `columnas` leídas con Core, sin objetos del ORM, con las sentencias de esa forma de
    filtro preparadas una vez (construirlas costaba más que ejecutarlas). Fechas y enumerados
    salen como los da el controlador (`columna_cruda`): los convierte el esquema de salida."""
    valores = {n: getattr(filtros, n) for n in _COMPARADOS if getattr(filtros, n) is not None}
    forma_categoria = None
    if filtros.categoria == SIN_CLASIFICAR:
        forma_categoria = SIN_CLASIFICAR
    elif filtros.categoria is not None:
        forma_categoria, valores["categoria"] = "valor", filtros.categoria
    preparadas = _preparadas(
        tuple(columnas),
        tuple(n for n in _COMPARADOS if n in valores),
        forma_categoria,
        pedido.despues is not None,
    )
    return paginar_preparadas(conexion, preparadas, pedido, valores)


def obtener(*, sesion: Session, llamada_id: int, con_clasificacion: bool = False) -> Llamada | None:
    opciones = [selectinload(Llamada.clasificacion)] if con_clasificacion else []
    return sesion.get(Llamada, llamada_id, options=opciones)


def crear(*, sesion: Session, datos: dict) -> Llamada:
    llamada = Llamada(**datos)
    sesion.add(llamada)
    sesion.flush()
    return llamada


def crear_varias(*, sesion: Session, filas: list[dict]) -> None:
    """Inserta las filas en bloque (una sentencia con todos los valores, sin objetos del ORM)."""
    sesion.execute(insert(Llamada), filas)


def actualizar(*, sesion: Session, llamada: Llamada, cambios: dict) -> Llamada:
    for campo, valor in cambios.items():
        setattr(llamada, campo, valor)
    sesion.flush()
    return llamada


def eliminar(*, sesion: Session, llamada: Llamada) -> None:
    """Borra la llamada; su clasificación cae con ella (ON DELETE CASCADE)."""
    sesion.delete(llamada)
    sesion.flush()


def usuario_de_llamada(*, sesion: Session, llamada_id: int) -> int | None:
    """Agente dueño de una llamada (None si ya no existe)."""
    return sesion.scalar(select(Llamada.usuario_id).where(Llamada.id == llamada_id))
