"""Persistencia de llamadas y sus consultas de historial."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Select, exists, select
from sqlalchemy.orm import Session, selectinload

from crud.paginacion import PaginaFilas, PedidoPagina, paginar
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


def _aplicar_filtros(consulta: Select, filtros: FiltrosLlamadas) -> Select:
    if filtros.usuario_id is not None:
        consulta = consulta.where(Llamada.usuario_id == filtros.usuario_id)
    if filtros.numero_cliente is not None:
        consulta = consulta.where(Llamada.numero_cliente == filtros.numero_cliente)
    if filtros.tipo is not None:
        consulta = consulta.where(Llamada.tipo == filtros.tipo)
    if filtros.resultado is not None:
        consulta = consulta.where(Llamada.resultado == filtros.resultado)
    if filtros.desde is not None:
        consulta = consulta.where(Llamada.fecha_hora >= filtros.desde)
    if filtros.hasta is not None:
        consulta = consulta.where(Llamada.fecha_hora <= filtros.hasta)
    if filtros.categoria == SIN_CLASIFICAR:
        # NOT EXISTS: PostgreSQL lo estima bien (anti join) y recorre el índice de la fecha.
        consulta = consulta.where(~exists().where(ClasificacionIA.llamada_id == Llamada.id))
    elif filtros.categoria is not None:
        # EXISTS y no JOIN: SQLite recorre el índice de la fecha (un JOIN le hace construir un
        # filtro Bloom de toda la tabla de clasificaciones antes de dar la primera fila).
        consulta = consulta.where(
            exists().where(
                ClasificacionIA.llamada_id == Llamada.id,
                ClasificacionIA.categoria == filtros.categoria,
            )
        )
    return consulta


def listar(
    *, conexion: Connection, filtros: FiltrosLlamadas, pedido: PedidoPagina, columnas: list[str]
) -> PaginaFilas:
    """Página de llamadas, las más recientes primero, y el total que cumple los filtros: tuplas
    de `columnas` leídas con Core, sin objetos del ORM (crearlos era lo más caro de la lista)."""
    tabla = Llamada.__table__
    consulta = _aplicar_filtros(select(*(tabla.c[nombre] for nombre in columnas)), filtros)
    return paginar(conexion, consulta, orden=(Llamada.fecha_hora, Llamada.id), pedido=pedido)


def obtener(*, sesion: Session, llamada_id: int, con_clasificacion: bool = False) -> Llamada | None:
    opciones = [selectinload(Llamada.clasificacion)] if con_clasificacion else []
    return sesion.get(Llamada, llamada_id, options=opciones)


def crear(*, sesion: Session, datos: dict) -> Llamada:
    llamada = Llamada(**datos)
    sesion.add(llamada)
    sesion.flush()
    return llamada


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
