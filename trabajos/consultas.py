"""Consultas de solo lectura sobre los trabajos, con los mismos estados en los dos motores."""

from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    bindparam,
    column,
    func,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from modelos.base import ahora_utc
from modelos.trabajo import Trabajo, TrabajoError
from trabajos.registro import EstadoTrabajo, VistaTrabajo

# Estados de procrastinate -> estados del servicio.
ESTADOS_PROCRASTINATE = {
    "todo": EstadoTrabajo.pendiente,
    "doing": EstadoTrabajo.procesando,
    "succeeded": EstadoTrabajo.lista,
    "failed": EstadoTrabajo.fallida,
    "cancelled": EstadoTrabajo.fallida,
    "aborting": EstadoTrabajo.fallida,
    "aborted": EstadoTrabajo.fallida,
}
SQL_PG = """
    SELECT j.id, j.task_name, j.status::text AS status, j.args, j.lock, j.attempts,
           j.scheduled_at,
           (SELECT min(e.at) FROM procrastinate_events AS e WHERE e.job_id = j.id) AS creado,
           (SELECT max(e.at) FROM procrastinate_events AS e WHERE e.job_id = j.id) AS cambiado,
           (SELECT t.error FROM trabajos_errores AS t WHERE t.trabajo_id = j.id
             ORDER BY t.id DESC LIMIT 1) AS error
    FROM procrastinate_jobs AS j
    WHERE (CAST(:tipo AS text) IS NULL OR j.task_name = :tipo)
      AND (CAST(:id AS bigint) IS NULL OR j.id = :id)
      AND j.status::text IN :estados
"""


def es_postgresql(sesion: Session) -> bool:
    return sesion.get_bind().dialect.name == "postgresql"


def _estados_pg(estado: EstadoTrabajo | None) -> list[str]:
    return [pg for pg, es in ESTADOS_PROCRASTINATE.items() if estado is None or es == estado]


def _vista_pg(fila: Any) -> VistaTrabajo:
    estado = ESTADOS_PROCRASTINATE[fila.status]
    return VistaTrabajo(
        id=fila.id,
        tipo=fila.task_name,
        estado=estado,
        carga=fila.args,
        clave_unica=fila.lock,
        intentos=fila.attempts + (estado == EstadoTrabajo.procesando),
        error=fila.error,
        disponible_en=fila.scheduled_at or fila.creado,
        creado_en=fila.creado,
        actualizado_en=fila.cambiado,
    )


def _sql_pg(sufijo: str = "", envoltura: str = "{}"):
    return text(envoltura.format(SQL_PG + sufijo)).bindparams(bindparam("estados", expanding=True))


def _listar_pg(sesion, estado, tipo, trabajo_id, skip, limit) -> tuple[list[VistaTrabajo], int]:
    parametros = {"tipo": tipo, "id": trabajo_id, "estados": _estados_pg(estado)}
    total = sesion.scalar(_sql_pg(envoltura="SELECT count(*) FROM ({}) AS q"), parametros)
    pagina = _sql_pg(" ORDER BY j.id DESC LIMIT :limit OFFSET :skip")
    filas = sesion.execute(pagina, {**parametros, "limit": limit, "skip": skip})
    return [_vista_pg(f) for f in filas], total or 0


def _ultimo_error():
    return (
        select(TrabajoError.error)
        .where(TrabajoError.trabajo_id == Trabajo.id)
        .order_by(TrabajoError.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _listar_local(sesion, estado, tipo, trabajo_id, skip, limit) -> tuple[list[VistaTrabajo], int]:
    condiciones = []
    if estado is not None:
        condiciones.append(Trabajo.estado == estado.value)
    if tipo is not None:
        condiciones.append(Trabajo.tipo == tipo)
    if trabajo_id is not None:
        condiciones.append(Trabajo.id == trabajo_id)
    total = sesion.scalar(select(func.count(Trabajo.id)).where(*condiciones)) or 0
    consulta = (
        select(Trabajo, _ultimo_error())
        .where(*condiciones)
        .order_by(Trabajo.id.desc())
        .offset(skip)
        .limit(limit)
    )
    vistas = [
        VistaTrabajo(
            id=t.id,
            tipo=t.tipo,
            estado=EstadoTrabajo(t.estado),
            carga=t.carga,
            clave_unica=t.clave_unica,
            intentos=t.intentos,
            error=error,
            disponible_en=t.disponible_en,
            creado_en=t.creado_en,
            actualizado_en=t.actualizado_en,
        )
        for t, error in sesion.execute(consulta)
    ]
    return vistas, total


def listar(
    *,
    sesion: Session,
    estado: EstadoTrabajo | None = None,
    tipo: str | None = None,
    trabajo_id: int | None = None,
    skip: int = 0,
    limit: int = 50,
) -> tuple[list[VistaTrabajo], int]:
    """Página de trabajos, los más nuevos primero, y el total filtrado."""
    funcion = _listar_pg if es_postgresql(sesion) else _listar_local
    return funcion(sesion, estado, tipo, trabajo_id, skip, limit)


def obtener(*, sesion: Session, trabajo_id: int) -> VistaTrabajo | None:
    """Un trabajo por su id."""
    vistas, _ = listar(sesion=sesion, trabajo_id=trabajo_id, limit=1)
    return vistas[0] if vistas else None


def contar_por_estado(*, sesion: Session) -> dict[str, int]:
    """Cuántos trabajos hay en cada estado (los cuatro, aunque sean cero)."""
    cuentas = {e.value: 0 for e in EstadoTrabajo}
    if es_postgresql(sesion):
        filas = sesion.execute(
            text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status")
        )
        for estado, total in filas:
            cuentas[ESTADOS_PROCRASTINATE[estado].value] += total
        return cuentas
    for estado, total in sesion.execute(
        select(Trabajo.estado, func.count()).group_by(Trabajo.estado)
    ):
        cuentas[estado] += total
    return cuentas


def en_marcha(*, sesion: Session) -> int:
    """Trabajos que corren o pueden correr ya (los que esperan un reintento no cuentan)."""
    if es_postgresql(sesion):
        consulta = """
            SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'
               OR (status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now()))
        """
        return sesion.scalar(text(consulta)) or 0
    ahora = ahora_utc()
    consulta = select(func.count(Trabajo.id)).where(
        or_(
            Trabajo.estado == EstadoTrabajo.procesando.value,
            and_(Trabajo.estado == EstadoTrabajo.pendiente.value, Trabajo.disponible_en <= ahora),
        )
    )
    return sesion.scalar(consulta) or 0


def subconsulta_claves_activas(*, sesion: Session) -> Select:
    """Claves con un trabajo pendiente o en curso, para filtrar dentro de otra consulta."""
    if es_postgresql(sesion):
        return (
            select(column("lock", String))
            .select_from(table("procrastinate_jobs"))
            .where(text("status IN ('todo', 'doing')"), column("lock").is_not(None))
        )
    return select(Trabajo.clave_unica).where(
        Trabajo.estado.in_([EstadoTrabajo.pendiente.value, EstadoTrabajo.procesando.value]),
        Trabajo.clave_unica.is_not(None),
    )


def profundidad(*, sesion: Session) -> dict[str, int]:
    """Profundidad de la cola: trabajos pendientes y en curso (consulta barata, para /salud)."""
    cuentas = {EstadoTrabajo.pendiente.value: 0, EstadoTrabajo.procesando.value: 0}
    if es_postgresql(sesion):
        filas = sesion.execute(
            text(
                "SELECT status::text, count(*) FROM procrastinate_jobs "
                "WHERE status IN ('todo', 'doing') GROUP BY status"
            )
        )
        for estado, total in filas:
            cuentas[ESTADOS_PROCRASTINATE[estado].value] += total
        return cuentas
    filas = sesion.execute(
        select(Trabajo.estado, func.count())
        .where(Trabajo.estado.in_(list(cuentas)))
        .group_by(Trabajo.estado)
    )
    for estado, total in filas:
        cuentas[estado] += total
    return cuentas
