"""Persistencia de usuarios."""

from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    String,
    bindparam,
    exists,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from crud import ejecucion_directa
from crud.paginacion import PaginaFilas, PedidoPagina, paginar
from modelos.enums import Rol
from modelos.llamada import Llamada
from modelos.reporte import Reporte
from modelos.usuario import Usuario


def obtener(*, sesion: Session, usuario_id: int) -> Usuario | None:
    return sesion.get(Usuario, usuario_id)


# Columnas crudas (el rol como texto, activo como lo da el controlador): se lee en cada
# petición con el cursor del controlador (crud/ejecucion_directa.py).
_ACCESO = select(
    Usuario.id,
    type_coerce(Usuario.rol, String()),
    type_coerce(Usuario.activo, Integer()),
    Usuario.sello,
).where(Usuario.id == bindparam("usuario_id"))


def acceso(*, conexion: Connection, usuario_id: int) -> tuple[int, str, Any, str] | None:
    """Lo que decide si un token sigue valiendo: (id, rol, activo, sello), o None."""
    filas = ejecucion_directa.leer(conexion, _ACCESO, {"usuario_id": usuario_id})
    return filas[0] if filas else None


def obtener_por_email(*, sesion: Session, email: str) -> Usuario | None:
    return sesion.scalar(select(Usuario).where(Usuario.email == email.strip().lower()))


def listar(
    *,
    sesion: Session,
    pedido: PedidoPagina,
    rol: Rol | None = None,
    activo: bool | None = None,
    buscar: str | None = None,
) -> PaginaFilas:
    """Página de usuarios (más recientes primero) y el total que cumple los filtros."""
    condiciones = []
    if rol is not None:
        condiciones.append(Usuario.rol == rol)
    if activo is not None:
        condiciones.append(Usuario.activo == activo)
    if buscar:
        # % y _ del usuario se buscan como texto, no como comodines de LIKE.
        literal = buscar.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        patron = f"%{literal}%"
        condiciones.append(
            or_(
                func.lower(Usuario.nombre).like(patron, escape="\\"),
                Usuario.email.like(patron, escape="\\"),
            )
        )
    consulta = select(Usuario).where(*condiciones)
    return paginar(sesion, consulta, orden=(Usuario.id,), pedido=pedido)


def crear(
    *, sesion: Session, nombre: str, email: str, password_hash: str, rol: Rol, activo: bool = True
) -> Usuario:
    usuario = Usuario(
        nombre=nombre, email=email.lower(), password_hash=password_hash, rol=rol, activo=activo
    )
    sesion.add(usuario)
    sesion.flush()
    return usuario


def tiene_historial(*, sesion: Session, usuario_id: int) -> bool:
    """True si el usuario tiene llamadas o reportes que deben conservarse."""
    llamadas = exists().where(Llamada.usuario_id == usuario_id)
    reportes = exists().where(Reporte.generado_por == usuario_id)
    return bool(sesion.scalar(select(or_(llamadas, reportes))))


def eliminar(*, sesion: Session, usuario: Usuario) -> None:
    sesion.delete(usuario)
    sesion.flush()
