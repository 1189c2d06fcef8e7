"""Paginación de listas: por desplazamiento (skip) o por cursor (keyset) y un total acotado.

El orden de toda lista es descendente por una clave única (p. ej. fecha y id). Un cursor es la
clave de la última fila servida: la página siguiente pide las filas con clave menor, así que
una inserción entre páginas no repite ni salta ninguna fila (las nuevas, más recientes, quedan
antes del cursor). El total se cuenta solo hasta un tope (leer de un índice unas pocas filas, no
toda la tabla); el recuento exacto se hace solo si se pide.

Las sentencias de una página se pueden preparar una vez (`preparar`) con marcadores para el
salto, el tamaño, el tope y la clave del cursor: una lista muy pedida guarda las suyas por
forma de filtro y solo pasa los valores (construir las sentencias de SQLAlchemy costaba más que
ejecutarlas).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Enum,
    Float,
    Select,
    String,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal

from crud import ejecucion_directa
from crud.ejecucion_directa import ConexionEnBucle
from modelos.base import FechaUTC
from modelos.usuario import Usuario

# Una sesión del ORM o una conexión de Core: las dos ejecutan consultas (`execute`, `scalar`).
Ejecutor = Session | Connection | ConexionEnBucle

TOPE_TOTAL = 1000


@dataclass(frozen=True, slots=True)
class PedidoPagina:
    """Qué página se pide: desplazamiento o clave tras la que seguir, tamaño y tipo de total."""

    skip: int = 0
    limit: int = 50
    despues: tuple[Any, ...] | None = None
    total_exacto: bool = False
    tope: int = TOPE_TOTAL


@dataclass(frozen=True, slots=True)
class PaginaFilas:
    """Filas de la página, el total (exacto o acotado) y la clave para seguir si hay más."""

    filas: list[Any]
    total: int
    exacto: bool
    siguiente: tuple[Any, ...] | None


def _tras(columnas: Sequence[ColumnElement], indice: int = 0) -> ColumnElement[bool]:
    """(c1, c2, ...) < (:tras_0, :tras_1, ...) escrito para que el índice acote por la primera
    columna."""
    primera, valor = columnas[0], bindparam(f"tras_{indice}")
    if len(columnas) == 1:
        return primera < valor
    return and_(primera <= valor, or_(primera < valor, _tras(columnas[1:], indice + 1)))


def _dialecto(ejecutor: Ejecutor) -> Dialect:
    if isinstance(ejecutor, (Connection, ConexionEnBucle)):
        return ejecutor.dialect
    return ejecutor.get_bind().dialect


def _sin_paralelo(ejecutor: Ejecutor) -> bool:
    """Si la conexión es de las lecturas cortas en el bucle (lectura_en_bucle.py), que ya leen
    sin trabajadores paralelos y sin transacción (donde SET LOCAL no valdría)."""
    return isinstance(ejecutor, ConexionEnBucle)


class FechaDirecta(ColumnElement[str]):
    """Una fecha (FechaUTC) tal como Pydantic la lee sin ayuda de Python: en SQLite, texto ISO
    8601 con su «Z» (se guarda en UTC); en PostgreSQL, el timestamptz tal cual (la sesión va en
    UTC, ver database.py, y psycopg la da con zona UTC)."""

    inherit_cache = True
    type = String()
    _traverse_internals = [("columna", InternalTraversal.dp_clauseelement)]

    def __init__(self, columna: ColumnElement) -> None:
        self.columna = columna


@compiles(FechaDirecta)
def _fecha_directa(elemento: FechaDirecta, compilador, **opciones) -> str:
    return compilador.process(elemento.columna, **opciones)


@compiles(FechaDirecta, "sqlite")
def _fecha_directa_sqlite(elemento: FechaDirecta, compilador, **opciones) -> str:
    # «AAAA-MM-DD HH:MM:SS.ffffff» en UTC: basta con añadir la zona.
    return f"({compilador.process(elemento.columna, **opciones)} || 'Z')"


def columna_cruda(columna: ColumnElement) -> ColumnElement:
    """La columna sin conversión en Python si es una fecha (FechaUTC, `FechaDirecta`), un
    enumerado (su valor, como lo da el controlador) o un número de coma flotante: convertir
    cada valor con SQLAlchemy costaba más que leer la página. Quien la lee la convierte (un
    esquema de Pydantic, en Rust)."""
    if isinstance(columna.type, FechaUTC):
        return FechaDirecta(columna).label(f"{columna.key}_utc")
    if isinstance(columna.type, Enum):
        return type_coerce(columna, String()).label(columna.key)
    if isinstance(columna.type, Float) and not columna.type.asdecimal:
        # Los dos controladores ya la dan como float (REAL, double precision).
        return type_coerce(columna, NullType()).label(columna.key)
    return columna


@lru_cache(maxsize=64)
def _conversores(dialecto: Dialect, orden: tuple[ColumnElement, ...]) -> tuple:
    return tuple(c.type.dialect_impl(dialecto).result_processor(dialecto, None) for c in orden)


def _clave(dialecto: Dialect, orden: tuple[ColumnElement, ...], valores: Sequence[Any]) -> tuple:
    """La clave del cursor con sus tipos (las columnas de orden se leen crudas)."""
    return tuple(
        convertir(valor) if convertir is not None else valor
        for convertir, valor in zip(_conversores(dialecto, orden), valores, strict=True)
    )


def _conteo(consulta: Select, *, acotado: bool, orden: Sequence[ColumnElement] = ()) -> Select:
    """Recuento de las filas de la consulta; acotado, deja de contar en :tope y las recorre en
    el orden de la lista: el mismo plan que la página (sin él, PostgreSQL elige a veces un merge
    join por la clave primaria que lee decenas de miles de filas para llegar al tope)."""
    base = consulta.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
    if acotado:
        base = base.order_by(*(c.desc() for c in orden)).limit(bindparam("tope"))
    return select(func.count()).select_from(base.subquery())


@dataclass(frozen=True, slots=True)
class Preparadas:
    """Las sentencias de una página de una forma de consulta, con marcadores para los valores."""

    pagina: Select
    acotado: Select
    exacto: Select
    ancho: int  # columnas de la fila (1 si es una entidad del ORM)
    pagina_y_total: Select  # la página con el recuento acotado en la misma sentencia
    orden: tuple[ColumnElement, ...]  # las columnas de la clave, con sus tipos
    pagina_y_vigencia: Select  # y además el sello y el rol del usuario del token


def _de_usuario_activo(columna: ColumnElement, nombre: str) -> ColumnElement:
    """`columna` del usuario :vigencia_id si está activo (NULL si no existe o está de baja)."""
    usuario = select(type_coerce(columna, String())).where(
        Usuario.id == bindparam("vigencia_id"), Usuario.activo.is_(True)
    )
    return usuario.scalar_subquery().label(nombre)


def preparar(
    consulta: Select,
    *,
    orden: Sequence[ColumnElement],
    con_cursor: bool,
    conteo: Select | None = None,
) -> Preparadas:
    """Sentencias de página y recuentos de `consulta` (ya filtrada) en orden descendente de
    `orden` (única: la última columna es un id). `conteo`: otra consulta con las mismas filas,
    más barata de contar (sin orden)."""
    # La clave de cada fila se lee cruda: solo la de la última se convierte (para el cursor).
    claves = (type_coerce(c, String()).label(f"clave_{i}") for i, c in enumerate(orden))
    filtrada = consulta.add_columns(*claves)
    if con_cursor:
        filtrada = filtrada.where(_tras(orden))
    filtrada = filtrada.order_by(*(c.desc() for c in orden))
    pagina = filtrada.offset(bindparam("salto")).limit(bindparam("limite"))
    if conteo is None:
        acotado = _conteo(consulta, acotado=True, orden=orden)
    else:
        acotado = _conteo(conteo, acotado=True)
    total = acotado.scalar_subquery().correlate(None).label("total_acotado")
    return Preparadas(
        pagina=pagina,
        acotado=acotado,
        exacto=_conteo(consulta, acotado=False),
        ancho=len(consulta.column_descriptions),
        pagina_y_total=pagina.add_columns(total),
        orden=tuple(orden),
        pagina_y_vigencia=pagina.add_columns(
            total,
            _de_usuario_activo(Usuario.sello, "vigencia_sello"),
            _de_usuario_activo(Usuario.rol, "vigencia_rol"),
        ),
    )


def _filas(
    sesion: Ejecutor, sentencia: Select, parametros: dict[str, Any], *, directa: bool
) -> list:
    """Las filas de una sentencia: con una conexión de Core y una sentencia que se guarda
    (`directa`), con el cursor del controlador (crud/ejecucion_directa.py, que compila cada
    sentencia una vez); si no, con SQLAlchemy."""
    if directa and isinstance(sesion, (Connection, ConexionEnBucle)):
        return ejecucion_directa.leer(sesion, sentencia, parametros)
    return list(sesion.execute(sentencia, parametros))


def paginar_preparadas(
    sesion: Ejecutor,
    preparadas: Preparadas,
    pedido: PedidoPagina,
    valores: dict[str, Any],
    *,
    guardadas: bool = True,
) -> PaginaFilas:
    """Página y total con las sentencias ya preparadas y los valores de sus filtros. Si la
    consulta es de una entidad, las filas son sus objetos; si es de varias columnas, tuplas.
    `guardadas`: las sentencias viven tanto como el proceso (preparadas una vez por forma de
    filtro) y se pueden compilar una sola vez para el controlador."""
    ancho = preparadas.ancho
    dialecto = _dialecto(sesion)
    if not pedido.total_exacto and dialecto.name == "postgresql" and not _sin_paralelo(sesion):
        # Una página y un recuento acotado leen unas pocas filas por un índice: arrancar
        # trabajadores paralelos (~20 ms) cuesta más que la consulta. Solo en esta transacción.
        sesion.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    parametros = {**valores, "salto": pedido.skip, "limite": pedido.limit + 1}
    if pedido.despues is not None:  # firmado con la ruta: trae la clave de esta lista
        parametros |= {f"tras_{k}": v for k, v in enumerate(pedido.despues)}
    contadas = None
    if pedido.total_exacto:
        filas = list(sesion.execute(preparadas.pagina, parametros))
    else:
        # La página y el recuento acotado en una sola sentencia (una ida y vuelta menos y la
        # misma instantánea); si la página sale vacía, el recuento se pide aparte. Desde el bucle
        # de PostgreSQL, también la vigencia del token si se pide (`Vigencia`): una ida y vuelta
        # por página; si sale vacía, quien la pidió la lee aparte.
        parametros["tope"] = pedido.tope + 1
        vigencia = sesion.vigencia if isinstance(sesion, ConexionEnBucle) and guardadas else None
        sentencia, extra = preparadas.pagina_y_total, 1
        if vigencia is not None:
            sentencia, extra = preparadas.pagina_y_vigencia, 3
            parametros["vigencia_id"] = vigencia.usuario_id
        filas = _filas(sesion, sentencia, parametros, directa=guardadas)
        if filas:
            contadas = filas[0][-extra] or 0
            if vigencia is not None:
                vigencia.leida = (filas[0][-2], filas[0][-1])
                sesion.vigencia = None  # leída: las demás sentencias, sin ella
        filas = [fila[:-extra] for fila in filas]
    hay_mas = len(filas) > pedido.limit
    filas = filas[: pedido.limit]
    siguiente = _clave(dialecto, preparadas.orden, filas[-1][ancho:]) if hay_mas else None
    filas = [fila[0] for fila in filas] if ancho == 1 else [fila[:ancho] for fila in filas]
    if pedido.total_exacto:
        return PaginaFilas(filas, sesion.scalar(preparadas.exacto, valores) or 0, True, siguiente)
    if contadas is None:
        contadas = sesion.scalar(preparadas.acotado, {**valores, "tope": pedido.tope + 1}) or 0
    if contadas <= pedido.tope:
        return PaginaFilas(filas, contadas, True, siguiente)
    # Más filas que el tope: el total es "al menos" lo que ya se sabe que existe.
    vistas = pedido.skip + len(filas) + int(hay_mas) if pedido.despues is None else 0
    return PaginaFilas(filas, max(pedido.tope, vistas), False, siguiente)


def paginar(
    sesion: Ejecutor,
    consulta: Select,
    *,
    orden: Sequence[ColumnElement],
    pedido: PedidoPagina,
    conteo: Select | None = None,
) -> PaginaFilas:
    """Página de `consulta` (ya filtrada, con sus valores dentro) y su total: prepara las
    sentencias para esta petición y las ejecuta (ver `preparar`)."""
    preparadas = preparar(
        consulta, orden=orden, con_cursor=pedido.despues is not None, conteo=conteo
    )
    return paginar_preparadas(sesion, preparadas, pedido, {}, guardadas=False)
