"""Volumen y AHT por día de la semana y hora local, y clasificaciones de baja confianza."""

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, cast, func, literal_column, select
from sqlalchemy.orm import Session

from crud import ejecucion_directa
from crud.metrica import FIN, INICIO, FiltrosMetricas, aplicar_filtros, dialecto, segundos
from modelos.clasificacion_ia import ClasificacionIA
from modelos.llamada import Llamada


def _local(minutos: int):
    return func.timezone("UTC", Llamada.fecha_hora) + literal_column(
        f"interval '{minutos} minutes'"
    )


def hora_local(nombre_dialecto: str, minutos: int):
    """Hora local (0 a 23) con el desfase dado."""
    if nombre_dialecto == "sqlite":
        desfase = f"{minutos:+d} minutes"
        return cast(func.strftime("%H", segundos(Llamada.fecha_hora), desfase), Integer)
    return func.extract("hour", _local(minutos))


def _dia_y_hora(nombre_dialecto: str, minutos: int):
    """(día de la semana 0 lunes a 6, hora 0 a 23) locales con el desfase dado."""
    if nombre_dialecto == "sqlite":
        desfase = f"{minutos:+d} minutes"
        # %w: 0 domingo; (w + 6) % 7 deja 0 el lunes.
        dia = (cast(func.strftime("%w", segundos(Llamada.fecha_hora), desfase), Integer) + 6) % 7
        return dia, hora_local(nombre_dialecto, minutos)
    return func.extract("isodow", _local(minutos)) - 1, hora_local(nombre_dialecto, minutos)


def _base(inicio: datetime, fin: datetime, filtros: FiltrosMetricas):
    consulta = (
        select()
        .select_from(Llamada)
        .outerjoin(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .where(Llamada.fecha_hora >= inicio, Llamada.fecha_hora < fin)
    )
    return aplicar_filtros(consulta, filtros)


def volumen_por_franja(
    *,
    sesion: Session,
    segmentos: Sequence[tuple[datetime, datetime, int, int]],
    filtros: FiltrosMetricas,
    umbral: float,
    memoria: dict | None = None,
) -> tuple[list[tuple[int, int, int, int]], int]:
    """(día de la semana, hora, llamadas, suma de duraciones) de los tramos (inicio, fin,
    signo, desfase en minutos), signo -1 resta el tramo, y cuántas clasificaciones quedaron
    por debajo del umbral de confianza (en la misma consulta). `memoria` guarda lo leído de
    cada tramo (y lo ya leído no se vuelve a leer)."""
    nombre = dialecto(sesion)
    memoria = {} if memoria is None else memoria
    filas, bajas = [], 0
    for inicio, fin, signo, minutos in segmentos:
        clave = ("franjas", inicio, fin, minutos, filtros, umbral)
        leidas = memoria.get(clave)
        if leidas is None:
            leidas = memoria[clave] = _leer_tramo(
                sesion, nombre, inicio, fin, minutos, filtros, umbral
            )
        for dia, hora, total, duracion, bajas_tramo in leidas:
            filas.append((dia, hora, signo * total, signo * duracion))
            bajas += signo * bajas_tramo
    return filas, bajas


def _leer_tramo(
    sesion: Session,
    nombre: str,
    inicio: datetime,
    fin: datetime,
    minutos: int,
    filtros: FiltrosMetricas,
    umbral: float,
) -> list[tuple[int, int, int, int, int]]:
    consulta = _franjas_preparadas(nombre, minutos, filtros, umbral)
    parametros = {"inicio": inicio, "fin": fin}
    return [
        (int(dia), int(hora), int(total), int(duracion), int(bajas))
        for dia, hora, total, duracion, bajas in ejecucion_directa.leer(
            sesion.connection(), consulta, parametros
        )
    ]


@lru_cache(maxsize=128)
def _franjas_preparadas(
    nombre: str, minutos: int, filtros: FiltrosMetricas, umbral: float
) -> Select:
    """La consulta de las franjas de un tramo, con inicio y fin como parámetros: se arma y
    compila una vez por forma y se lee con el cursor del controlador."""
    dia, hora = _dia_y_hora(nombre, minutos)
    consulta = _base(INICIO, FIN, filtros).add_columns(
        dia.label("dia"),
        hora.label("hora"),
        func.count().label("total"),
        func.coalesce(func.sum(Llamada.duracion_segundos), 0).label("duracion"),
        func.count(ClasificacionIA.id).filter(ClasificacionIA.confianza < umbral).label("bajas"),
    )
    return consulta.group_by(dia, hora)
