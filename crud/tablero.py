"""Consultas del tablero en vivo: sentimiento, reclamos recientes, llamadas por franja y últimas."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, Sentimiento
from modelos.llamada import Llamada
from modelos.usuario import Usuario

Franja = tuple[int, datetime, datetime]


def _contar(condicion):
    return func.coalesce(func.sum(case((condicion, 1), else_=0)), 0)


def clasificadas_y_negativas(
    *, sesion: Session, inicio: datetime, fin: datetime, usuario_id: int | None = None
) -> tuple[int, int]:
    """Llamadas del periodo con clasificación y cuántas de ellas con sentimiento negativo."""
    consulta = (
        select(
            func.count(ClasificacionIA.id),
            _contar(ClasificacionIA.sentimiento == Sentimiento.negativo),
        )
        .select_from(Llamada)
        .join(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .where(Llamada.fecha_hora >= inicio, Llamada.fecha_hora < fin)
    )
    if usuario_id is not None:
        consulta = consulta.where(Llamada.usuario_id == usuario_id)
    total, negativas = sesion.execute(consulta).one()
    return int(total or 0), int(negativas or 0)


def contar_reclamos(*, sesion: Session, inicio: datetime, fin: datetime) -> int:
    """Llamadas clasificadas como reclamo con fecha en [inicio, fin)."""
    consulta = (
        select(func.count())
        .select_from(Llamada)
        .join(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .where(
            ClasificacionIA.categoria == Categoria.reclamo,
            Llamada.fecha_hora >= inicio,
            Llamada.fecha_hora < fin,
        )
    )
    return int(sesion.scalar(consulta) or 0)


def contar_por_franja(*, sesion: Session, franjas: Sequence[Franja]) -> dict[int, int]:
    """Llamadas por franja etiquetada [inicio, fin): un CASE agrupado en la base, sea cual sea
    la zona horaria (también con cambios de hora y desfases de media hora)."""
    if not franjas:
        return {}
    etiqueta = case(
        *[
            (and_(Llamada.fecha_hora >= inicio, Llamada.fecha_hora < fin), literal(clave))
            for clave, inicio, fin in franjas
        ],
        else_=literal(-1),
    )
    dentro = [and_(Llamada.fecha_hora >= i, Llamada.fecha_hora < f) for _, i, f in franjas]
    interior = select(etiqueta.label("franja")).where(or_(*dentro)).subquery()
    consulta = select(interior.c.franja, func.count()).group_by(interior.c.franja)
    return {int(franja): int(total) for franja, total in sesion.execute(consulta)}


def ultimas_llamadas(*, sesion: Session, limite: int) -> list[Row]:
    """Las llamadas más recientes con su agente y su clasificación (si la tienen)."""
    consulta = (
        select(
            Llamada.id,
            Llamada.usuario_id,
            Usuario.nombre.label("agente"),
            Llamada.numero_cliente,
            Llamada.tipo,
            Llamada.resultado,
            Llamada.fecha_hora,
            ClasificacionIA.categoria,
            ClasificacionIA.confianza,
            ClasificacionIA.sentimiento,
        )
        .join(Usuario, Usuario.id == Llamada.usuario_id)
        .outerjoin(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .order_by(Llamada.fecha_hora.desc(), Llamada.id.desc())
        .limit(limite)
    )
    return list(sesion.execute(consulta))
