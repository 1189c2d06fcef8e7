"""Persistencia del estado de los agentes y de su historial de cambios."""

from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from modelos.enums import EstadoAgente, Rol
from modelos.estado_agente import EstadoActual, TransicionEstado
from modelos.usuario import Usuario


def obtener(*, sesion: Session, usuario_id: int) -> EstadoActual | None:
    return sesion.get(EstadoActual, usuario_id)


def guardar(
    *,
    sesion: Session,
    usuario_id: int,
    estado: EstadoAgente,
    motivo: str | None,
    desde: datetime,
) -> EstadoActual:
    """Sustituye el estado vigente y apunta la transición en el historial."""
    actual = sesion.get(EstadoActual, usuario_id, with_for_update=True)
    if actual is None:
        actual = EstadoActual(usuario_id=usuario_id)
        sesion.add(actual)
    actual.estado, actual.motivo, actual.desde = estado, motivo, desde
    sesion.add(TransicionEstado(usuario_id=usuario_id, estado=estado, motivo=motivo, desde=desde))
    sesion.flush()
    return actual


def listar_agentes(*, sesion: Session) -> list[Row]:
    """Agentes activos con su estado (o sin fila si nunca lo fijaron), por nombre."""
    consulta = (
        select(
            Usuario.id,
            Usuario.nombre,
            Usuario.creado_en,
            EstadoActual.estado,
            EstadoActual.motivo,
            EstadoActual.desde,
        )
        .outerjoin(EstadoActual, EstadoActual.usuario_id == Usuario.id)
        .where(Usuario.activo.is_(True), Usuario.rol == Rol.agente)
        .order_by(Usuario.nombre, Usuario.id)
    )
    return list(sesion.execute(consulta))


def listar_transiciones(
    *, sesion: Session, usuario_id: int, desde: datetime
) -> list[TransicionEstado]:
    """Cambios de estado de un agente desde un instante, en orden."""
    consulta = (
        select(TransicionEstado)
        .where(TransicionEstado.usuario_id == usuario_id, TransicionEstado.desde >= desde)
        .order_by(TransicionEstado.desde, TransicionEstado.id)
    )
    return list(sesion.scalars(consulta))
