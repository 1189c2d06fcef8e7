"""Consultas de KPIs: sumas por (cubeta, agente) sobre las llamadas, en vivo (las de las fotos
diarias, en crud/metrica_fotos.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal

from sqlalchemy import Select, bindparam, func, literal_column, select, text
from sqlalchemy.orm import Session

from crud import ejecucion_directa
from crud.llamada import SIN_CLASIFICAR
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import ResultadoLlamada, TipoLlamada
from modelos.llamada import Llamada
from modelos.medidas import MEDIDAS
from modelos.sumas import (
    COLUMNAS_VECTOR,
    TODAS_LAS_SUMAS,
    VENTANA_PRIMER_CONTACTO,
    Contexto,
    siguientes,
)
from modelos.usuario import Usuario

Granularidad = Literal["hora", "dia"]
# Tramos en vivo hasta este largo, si acaban hace menos de la ventana del primer contacto,
# ordenan su ventana en vez de buscar una llamada posterior por cada llamada.
TRAMO_CON_SIGUIENTES = timedelta(days=2)
Vector = dict[str, int]


@dataclass(frozen=True, slots=True)
class FiltrosMetricas:
    """Filtros de los KPIs; las fotos diarias solo sirven cuando el único filtro es el agente."""

    usuario_id: int | None = None
    tipo: TipoLlamada | None = None
    resultado: ResultadoLlamada | None = None
    categoria: str | None = None

    @property
    def admite_fotos(self) -> bool:
        return self.tipo is None and self.resultado is None and self.categoria is None


def dialecto(sesion: Session) -> str:
    return sesion.get_bind().dialect.name


def sin_paralelismo(sesion: Session) -> None:
    """Con fotos, lo que se lee en vivo son unas horas por índice: en PostgreSQL, arrancar
    trabajadores paralelos (~20 ms) cuesta más que la consulta. Solo en esta transacción."""
    if dialecto(sesion) == "postgresql":
        sesion.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def vector_vacio() -> Vector:
    return dict.fromkeys(COLUMNAS_VECTOR, 0)


def segundos(columna):
    """En SQLite, el instante sin fracción: strftime redondea a milisegundos y 23:59:59.9999995
    pasaría al día siguiente."""
    return func.substr(columna, 1, 19)


def _cubeta(nombre_dialecto: str, granularidad: Granularidad, minutos: int):
    """'AAAA-MM-DD' o 'AAAA-MM-DD HH' local: el instante UTC más el desfase de la zona."""
    if nombre_dialecto == "sqlite":
        formato = "%Y-%m-%d" if granularidad == "dia" else "%Y-%m-%d %H"
        return func.strftime(formato, segundos(Llamada.fecha_hora), f"{minutos:+d} minutes")
    local = func.timezone("UTC", Llamada.fecha_hora) + literal_column(
        f"interval '{minutos} minutes'"
    )
    return func.to_char(local, "YYYY-MM-DD" if granularidad == "dia" else "YYYY-MM-DD HH24")


# Lo que necesitan las medidas (modelos/medidas.py): sus numeradores y denominadores.
COLUMNAS_KPI = tuple(
    dict.fromkeys(c for m in MEDIDAS for c in (m.numerador, m.denominador) if c is not None)
)


@lru_cache(maxsize=64)
def _sumas(
    nombre_dialecto: str,
    umbral: int,
    columnas: tuple[str, ...] | None = None,
    con_siguientes: bool = False,
) -> tuple:
    """Columnas SUM/COUNT del vector (modelos/sumas.py) para las llamadas con su clasificación.
    Se construyen una vez por motor y umbral: armar sus ~70 expresiones costaba más que leer
    las horas en vivo de un periodo con fotos."""
    contexto = Contexto(nombre_dialecto, umbral, con_siguientes)
    return tuple(
        suma.expresion(contexto).label(suma.nombre)
        for suma in TODAS_LAS_SUMAS
        if columnas is None or suma.nombre in columnas
    )


def aplicar_filtros(consulta: Select, filtros: FiltrosMetricas) -> Select:
    if filtros.usuario_id is not None:
        consulta = consulta.where(Llamada.usuario_id == filtros.usuario_id)
    if filtros.tipo is not None:
        consulta = consulta.where(Llamada.tipo == filtros.tipo)
    if filtros.resultado is not None:
        consulta = consulta.where(Llamada.resultado == filtros.resultado)
    if filtros.categoria == SIN_CLASIFICAR:
        consulta = consulta.where(ClasificacionIA.id.is_(None))
    elif filtros.categoria is not None:
        consulta = consulta.where(ClasificacionIA.categoria == filtros.categoria)
    return consulta


def consulta_vivo(
    nombre_dialecto: str,
    inicio: datetime,
    fin: datetime,
    filtros: FiltrosMetricas,
    umbral: int,
    columnas: tuple[str, ...] | None = None,
    con_siguientes: bool = False,
    fin_ventana=None,
) -> Select:
    """Sumas de las llamadas de [inicio, fin) (instantes o parámetros). `con_siguientes`: el
    primer contacto sale de ordenar las llamadas del tramo y su ventana hasta `fin_ventana` (por
    defecto fin + la ventana; `modelos.sumas.siguientes`) y no de buscar una posterior por cada
    llamada; conviene cuando no hay llamadas después del tramo (hoy)."""
    consulta = (
        select(*_sumas(nombre_dialecto, umbral, columnas, con_siguientes))
        .select_from(Llamada)
        .outerjoin(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .where(Llamada.fecha_hora >= inicio, Llamada.fecha_hora < fin)
    )
    if con_siguientes:
        ventana = fin + VENTANA_PRIMER_CONTACTO if fin_ventana is None else fin_ventana
        sub = siguientes(inicio, ventana)
        consulta = consulta.outerjoin(sub, sub.c.id == Llamada.id)
    return aplicar_filtros(consulta, filtros)


def con_siguientes_conviene(
    nombre_dialecto: str, inicio: datetime, fin: datetime, ahora: datetime
) -> bool:
    """Un tramo corto y reciente (el de hoy) en PostgreSQL: leer su ventana es leer casi solo
    el tramo, y ordenarlo cuesta menos que una búsqueda en el índice por llamada (un día de
    2 700 llamadas a 1 000 000: 10,4 ms frente a 14,9). En SQLite la búsqueda, dentro del
    proceso, es más barata (10,5 frente a 12 ms)."""
    if nombre_dialecto != "postgresql":
        return False
    return fin - inicio <= TRAMO_CON_SIGUIENTES and fin + VENTANA_PRIMER_CONTACTO >= ahora


def sumas_en_vivo(
    *,
    sesion: Session,
    segmentos: Sequence[tuple[datetime, datetime, int, int]],
    filtros: FiltrosMetricas,
    granularidad: Granularidad,
    umbral: int,
    columnas: tuple[str, ...] | None = None,
    memoria: dict | None = None,
) -> list[tuple[str, int, int, Vector]]:
    """(cubeta local, desfase, usuario_id, vector) de cada tramo (inicio, fin, signo, desfase):
    [inicio, fin) en UTC, signo -1 lo resta y el desfase (minutos) da la cubeta local. Con
    `columnas`, solo esas sumas (el resto del vector queda a cero). `memoria` guarda las filas
    de cada tramo leído con todas las sumas: el periodo anterior resta de la foto de su último
    día el mismo tramo que el periodo actual lee en vivo al empezar."""
    nombre = dialecto(sesion)
    memoria = {} if memoria is None else memoria
    ahora = datetime.now(UTC)
    filas: list[tuple[str, int, int, Vector]] = []
    for inicio, fin, signo, minutos in segmentos:
        clave = (inicio, fin, minutos, granularidad, filtros, umbral)
        leidas = memoria.get(clave)
        if leidas is None:
            rapida = con_siguientes_conviene(nombre, inicio, fin, ahora)
            consulta, posiciones = _sumas_preparadas(
                nombre, granularidad, minutos, filtros, umbral, columnas, rapida
            )
            parametros = {"inicio": inicio, "fin": fin}
            if rapida:
                parametros["fin_ventana"] = fin + VENTANA_PRIMER_CONTACTO
            leidas = []
            for fila in ejecucion_directa.leer(sesion.connection(), consulta, parametros):
                vector = vector_vacio()
                for indice, columna in posiciones:
                    vector[columna] = int(fila[indice] or 0)
                leidas.append((fila[-2], fila[-1], vector))
            if columnas is None:
                memoria[clave] = leidas
        for cubeta_local, usuario_id, vector in leidas:
            filas.append(
                (cubeta_local, minutos, usuario_id, {c: signo * v for c, v in vector.items()})
            )
    return filas


# Los instantes de un tramo como parámetros (también en crud/metrica_franjas.py): la sentencia
# de un tramo se arma y compila una vez por forma (motor, granularidad, desfase, filtros,
# umbral, columnas) y no en cada petición.
INICIO = bindparam("inicio", type_=Llamada.fecha_hora.type)
FIN = bindparam("fin", type_=Llamada.fecha_hora.type)
_FIN_VENTANA = bindparam("fin_ventana", type_=Llamada.fecha_hora.type)


@lru_cache(maxsize=256)
def _sumas_preparadas(
    nombre_dialecto: str,
    granularidad: Granularidad,
    minutos: int,
    filtros: FiltrosMetricas,
    umbral: int,
    columnas: tuple[str, ...] | None,
    con_siguientes: bool,
) -> tuple[Select, tuple[tuple[int, str], ...]]:
    """La consulta de las sumas de un tramo por (cubeta, agente), con los instantes como
    parámetros (inicio, fin y, con siguientes, fin_ventana), y la posición de cada columna del
    vector en sus filas (las dos últimas son la cubeta y el agente). Se lee con el cursor del
    controlador (crud/ejecucion_directa.py): sus ~40 columnas no necesitan conversión."""
    cubeta = _cubeta(nombre_dialecto, granularidad, minutos)
    fin_ventana = _FIN_VENTANA if con_siguientes else None
    consulta = consulta_vivo(
        nombre_dialecto, INICIO, FIN, filtros, umbral, columnas, con_siguientes, fin_ventana
    )
    consulta = consulta.add_columns(cubeta.label("cubeta"), Llamada.usuario_id)
    consulta = consulta.group_by(cubeta, Llamada.usuario_id)
    posiciones = tuple(
        (indice, columna.key)
        for indice, columna in enumerate(consulta.selected_columns)
        if columna.key in COLUMNAS_VECTOR
    )
    return consulta, posiciones


def nombres_de_usuarios(*, sesion: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    consulta = select(Usuario.id, Usuario.nombre).where(Usuario.id.in_(list(ids)))
    return {fila.id: fila.nombre for fila in sesion.execute(consulta)}
