"""Persistencia de la auditoría: añadir, consultar con filtros y la purga controlada."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, select
from sqlalchemy.orm import Session

from crud.paginacion import PaginaFilas, PedidoPagina, paginar
from modelos.auditoria import Auditoria

FUNCION_PURGA_SQLITE = "callcenter_purga_auditoria"


@dataclass(frozen=True, slots=True)
class FiltrosAuditoria:
    """Filtros de la consulta; None significa sin filtro."""

    desde: datetime | None = None
    hasta: datetime | None = None
    usuario_id: int | None = None
    accion: str | None = None
    entidad: str | None = None


def _aplicar_filtros(consulta: Select, filtros: FiltrosAuditoria) -> Select:
    if filtros.desde is not None:
        consulta = consulta.where(Auditoria.fecha >= filtros.desde)
    if filtros.hasta is not None:
        consulta = consulta.where(Auditoria.fecha <= filtros.hasta)
    if filtros.usuario_id is not None:
        consulta = consulta.where(Auditoria.usuario_id == filtros.usuario_id)
    if filtros.accion is not None:
        consulta = consulta.where(Auditoria.accion == filtros.accion)
    if filtros.entidad is not None:
        consulta = consulta.where(Auditoria.entidad == filtros.entidad)
    return consulta


def crear(*, sesion: Session, datos: dict[str, Any]) -> Auditoria:
    """Añade la fila a la transacción en curso (se confirma o se deshace con ella)."""
    fila = Auditoria(**datos)
    sesion.add(fila)
    return fila


def listar(*, sesion: Session, filtros: FiltrosAuditoria, pedido: PedidoPagina) -> PaginaFilas:
    """Página de filas, las más recientes primero, y el total filtrado."""
    consulta = _aplicar_filtros(select(Auditoria), filtros)
    return paginar(sesion, consulta, orden=(Auditoria.id,), pedido=pedido)


def iterar(*, sesion: Session, filtros: FiltrosAuditoria, lote: int = 1000) -> Iterator[Auditoria]:
    """Todas las filas filtradas, de la más antigua a la más reciente, por lotes de id."""
    ultimo = 0
    while True:
        consulta = _aplicar_filtros(select(Auditoria), filtros).where(Auditoria.id > ultimo)
        filas = list(sesion.scalars(consulta.order_by(Auditoria.id).limit(lote)))
        yield from filas
        if len(filas) < lote:
            return
        ultimo = filas[-1].id
        sesion.expunge_all()


@contextmanager
def permiso_de_purga(conexion: Connection) -> Iterator[None]:
    """Permite borrar filas de auditoría solo en esta transacción (retención y pruebas).

    PostgreSQL: SET LOCAL, que acaba con la transacción. SQLite: la función SQL que consultan
    los disparadores devuelve 1 en esta conexión hasta salir del bloque.
    """
    if conexion.dialect.name == "postgresql":
        conexion.exec_driver_sql("SET LOCAL callcenter.purga_auditoria = 'on'")
        yield
        # Tras un error la transacción se deshace y el SET LOCAL cae con ella.
        conexion.exec_driver_sql("SET LOCAL callcenter.purga_auditoria = 'off'")
        return
    dbapi = conexion.connection.driver_connection
    dbapi.create_function(FUNCION_PURGA_SQLITE, 0, lambda: 1)
    try:
        yield
    finally:
        dbapi.create_function(FUNCION_PURGA_SQLITE, 0, lambda: 0)


def purgar_anteriores(*, sesion: Session, antes_de: datetime) -> int:
    """Borra las filas anteriores a una fecha (política de retención); devuelve cuántas."""
    with permiso_de_purga(sesion.connection()):
        resultado = sesion.execute(delete(Auditoria).where(Auditoria.fecha < antes_de))
    return resultado.rowcount or 0
