"""Sumas de las fotos diarias de un rango de días con una sola consulta agrupada por día local,
agente y hora, y su lectura para las franjas y la revisión."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import (
    Date,
    Integer,
    case,
    cast,
    delete,
    func,
    insert,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from crud.metrica import (
    FiltrosMetricas,
    condiciones_de_fotos,
    consulta_vivo,
    dialecto,
    segundos,
    tabla_de_fotos,
)
from crud.metrica_franjas import hora_local
from modelos.clasificacion_ia import ClasificacionIA
from modelos.llamada import Llamada
from modelos.metrica import MetricaAgente
from modelos.sumas import BAJA_CONFIANZA, COLUMNAS_HORAS, COLUMNAS_VECTOR, HORAS, contar


def _dia_local(nombre_dialecto: str, minutos: int):
    """Fecha local (el instante UTC más el desfase) como la guarda la columna Date."""
    if nombre_dialecto == "sqlite":
        return func.strftime("%Y-%m-%d", segundos(Llamada.fecha_hora), f"{minutos:+d} minutes")
    local = func.timezone("UTC", Llamada.fecha_hora) + literal_column(
        f"interval '{minutos} minutes'"
    )
    return cast(local, Date)


def _parte(nombre: str, inicio: datetime, fin: datetime, minutos: int, umbral: int, confianza):
    """Sumas del vector por (día local, agente, hora local) de un tramo de desfase constante."""
    dia, hora = _dia_local(nombre, minutos), hora_local(nombre, minutos)
    consulta = consulta_vivo(nombre, inicio, fin, FiltrosMetricas(), umbral).add_columns(
        contar(ClasificacionIA.confianza < confianza).label(BAJA_CONFIANZA),
        dia.label("dia"),
        hora.label("hora"),
        Llamada.usuario_id.label("usuario_id"),
    )
    return consulta.group_by(dia, hora, Llamada.usuario_id)


def reescribir_rango(
    *,
    sesion: Session,
    primer_dia: date,
    ultimo_dia: date,
    segmentos: Sequence[tuple[datetime, datetime, int]],
    umbral: int,
    confianza: float,
) -> None:
    """Sustituye las sumas por agente de los días del rango con un solo INSERT ... SELECT."""
    sesion.execute(delete(MetricaAgente).where(MetricaAgente.fecha.between(primer_dia, ultimo_dia)))
    nombre = dialecto(sesion)
    partes = [_parte(nombre, i, f, m, umbral, confianza) for i, f, m in segmentos]
    filas = (union_all(*partes) if len(partes) > 1 else partes[0]).subquery()
    columnas = [func.sum(filas.c[c]) for c in (*COLUMNAS_VECTOR, BAJA_CONFIANZA)]
    for hora in HORAS:
        es_hora = filas.c.hora == hora
        columnas.append(func.sum(case((es_hora, filas.c.total), else_=0)))
        columnas.append(func.sum(case((es_hora, filas.c.suma_duracion), else_=0)))
    consulta = select(filas.c.dia, filas.c.usuario_id, *columnas).group_by(
        filas.c.dia, filas.c.usuario_id
    )
    destino = ["fecha", "usuario_id", *COLUMNAS_VECTOR, BAJA_CONFIANZA, *COLUMNAS_HORAS]
    sesion.execute(insert(MetricaAgente).from_select(destino, consulta))


def _dia_semana(nombre_dialecto: str, fecha):
    """Día de la semana (0 lunes a 6 domingo) de la fecha local de la foto."""
    if nombre_dialecto == "sqlite":
        return (cast(func.strftime("%w", fecha), Integer) + 6) % 7
    return cast(func.extract("isodow", fecha), Integer) - 1


def franjas_de_fotos(
    *,
    sesion: Session,
    primer_dia: date,
    ultimo_dia: date,
    excluidos: Sequence[date],
    usuario_id: int | None,
) -> list[tuple[int, dict[str, int]]]:
    """(día de la semana, {columna: suma}) de las horas y la baja confianza de las fotos."""
    nombres = (*COLUMNAS_HORAS, BAJA_CONFIANZA)
    tabla = tabla_de_fotos(usuario_id)
    sumas = [func.sum(getattr(tabla, c)).label(c) for c in nombres]
    semana = _dia_semana(dialecto(sesion), tabla.fecha)
    condiciones = condiciones_de_fotos(tabla, primer_dia, ultimo_dia, excluidos, usuario_id)
    consulta = select(semana.label("semana"), *sumas).where(*condiciones).group_by(semana)
    filas = []
    for fila in sesion.execute(consulta):
        datos = fila._mapping
        filas.append((int(fila.semana), {c: int(datos[c] or 0) for c in nombres}))
    return filas
