"""Fotos diarias: su escritura (las sumas de un rango de días con una sola consulta agrupada por
día local, agente y hora) y su lectura (sumas del equipo, por agente o por día, y las franjas y
la revisión)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import (
    Date,
    Integer,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from crud.metrica import FiltrosMetricas, Vector, consulta_vivo, dialecto, segundos
from crud.metrica_franjas import hora_local
from modelos.clasificacion_ia import ClasificacionIA
from modelos.llamada import Llamada
from modelos.metrica import INDICE_KPI, Metrica, MetricaAgente
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


def tabla_de_fotos(usuario_id: int | None) -> type[Metrica] | type[MetricaAgente]:
    """El equipo entero se lee de la fila del día (metricas); un agente, de la suya."""
    return Metrica if usuario_id is None else MetricaAgente


def condiciones_de_fotos(
    tabla, primer_dia: date, ultimo_dia: date, excluidos: Sequence[date], usuario_id: int | None
) -> list:
    condiciones = [tabla.fecha.between(primer_dia, ultimo_dia)]
    if excluidos:
        condiciones.append(tabla.fecha.not_in(list(excluidos)))
    if usuario_id is not None:
        condiciones.append(tabla.usuario_id == usuario_id)
    return condiciones


COLUMNAS_SERIE = (
    "total",
    "suma_duracion",
    "con_satisfaccion",
    "suma_satisfaccion",
    "resultado_resuelta",
)
# Lo que usa la tabla por agente (numeradores y denominadores de las medidas por agente): son
# las columnas del índice que la cubre (test_esquema comprueba que coinciden).
COLUMNAS_POR_AGENTE = INDICE_KPI


def sumas_de_fotos(
    *,
    sesion: Session,
    primer_dia: date,
    ultimo_dia: date,
    excluidos: Sequence[date],
    usuario_id: int | None,
    clave: Literal["agente", "dia", "todo"],
    columnas: Sequence[str] = COLUMNAS_VECTOR,
    tabla=None,
) -> list[tuple[Any, Vector]]:
    """Sumas de `columnas` en las fotos por agente, por día o de todo el rango."""
    if tabla is None:
        tabla = MetricaAgente if clave == "agente" else tabla_de_fotos(usuario_id)
    sumas = [func.sum(getattr(tabla, c)).label(c) for c in columnas]
    condiciones = condiciones_de_fotos(tabla, primer_dia, ultimo_dia, excluidos, usuario_id)
    columna = {"agente": tabla.usuario_id if clave == "agente" else None, "dia": tabla.fecha}
    columna = columna.get(clave)
    if columna is None:
        consulta = select(literal(None).label("clave"), *sumas).where(*condiciones)
    else:
        consulta = select(columna.label("clave"), *sumas).where(*condiciones).group_by(columna)
    filas = []
    for fila in sesion.execute(consulta):
        datos = fila._mapping
        filas.append((fila.clave, {nombre: int(datos[nombre] or 0) for nombre in columnas}))
    return filas


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
