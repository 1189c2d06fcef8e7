"""Persistencia de las clasificaciones de IA: una por llamada, con sus consultas filtradas."""

import operator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from crud import ejecucion_directa
from crud.paginacion import (
    PaginaFilas,
    PedidoPagina,
    Preparadas,
    columna_cruda,
    paginar_preparadas,
    preparar,
)
from modelos.base import ahora_utc
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA
from modelos.llamada import Llamada


@dataclass(frozen=True, slots=True)
class FiltrosClasificaciones:
    """Filtros de la lista; las fechas son las de la llamada; None significa sin filtro."""

    usuario_id: int | None = None
    categoria: Categoria | None = None
    motor: MotorIA | None = None
    confianza_minima: float | None = None
    confianza_menor_que: float | None = None
    desde: datetime | None = None
    hasta: datetime | None = None


# Filtros que se comparan con un valor, en el orden de la forma de la consulta: los de la
# llamada y los de su clasificación, cada uno con su columna y su comparación.
_DE_LA_LLAMADA = ("usuario_id", "desde", "hasta")
_DE_LA_CLASIFICACION = ("categoria", "motor", "confianza_minima", "confianza_menor_que")
_COMPARACIONES = {
    "usuario_id": (Llamada.usuario_id, operator.eq),
    "desde": (Llamada.fecha_hora, operator.ge),
    "hasta": (Llamada.fecha_hora, operator.le),
    "categoria": (ClasificacionIA.categoria, operator.eq),
    "motor": (ClasificacionIA.motor, operator.eq),
    "confianza_minima": (ClasificacionIA.confianza, operator.ge),
    "confianza_menor_que": (ClasificacionIA.confianza, operator.lt),
}


def _condicion(nombre: str, *valor: Any) -> ColumnElement[bool]:
    """La condición de un filtro con su valor como marcador (:nombre), o con el valor dado."""
    columna, comparar = _COMPARACIONES[nombre]
    return comparar(columna, bindparam(nombre, *valor))


@lru_cache(maxsize=128)
def _preparadas(filtros: tuple[str, ...], con_cursor: bool) -> Preparadas:
    """Las sentencias de una forma de lista (qué filtros lleva, sin sus valores), una vez.

    Se pagina sobre las llamadas (índice de la fecha) con un EXISTS a su clasificación y
    después se leen las clasificaciones de la página: con un JOIN, SQLite construye antes un
    filtro Bloom de toda la tabla de clasificaciones o usa el índice de la categoría y ordena
    cientos de miles de filas."""
    de_la_llamada = [_condicion(n) for n in filtros if n in _DE_LA_LLAMADA]
    de_la_clasificacion = [_condicion(n) for n in filtros if n in _DE_LA_CLASIFICACION]
    clasificada = exists().where(ClasificacionIA.llamada_id == Llamada.id, *de_la_clasificacion)
    consulta = select(Llamada.id).where(clasificada, *de_la_llamada)
    # Sin filtros de la llamada, el total se cuenta sobre las clasificaciones (su índice de
    # categoría), sin mirar cada llamada en orden de fecha hasta juntar el tope.
    conteo = None
    if not de_la_llamada:
        conteo = select(ClasificacionIA.id).where(*de_la_clasificacion)
    orden = (Llamada.fecha_hora, Llamada.id)
    return preparar(consulta, orden=orden, con_cursor=con_cursor, conteo=conteo)


def _aplicar_filtros(consulta: Select, filtros: FiltrosClasificaciones) -> Select:
    """La consulta con su JOIN a la llamada y los filtros con sus valores."""
    nombres = _DE_LA_LLAMADA + _DE_LA_CLASIFICACION
    condiciones = [
        _condicion(n, getattr(filtros, n)) for n in nombres if getattr(filtros, n) is not None
    ]
    return consulta.join(Llamada, ClasificacionIA.llamada_id == Llamada.id).where(*condiciones)


@lru_cache(maxsize=8)
def _de_la_pagina(columnas: tuple[str, ...], nombre_dialecto: str) -> Select:
    """Las clasificaciones de las llamadas de una página, con sus columnas crudas (las convierte
    el esquema de salida). En PostgreSQL con `= ANY(:ids)` y no con un IN que se completa al
    ejecutar: así se lee con el cursor del controlador, también desde el bucle."""
    tabla = ClasificacionIA.__table__
    if nombre_dialecto == "postgresql":
        condicion = tabla.c.llamada_id == any_(bindparam("ids", type_=ARRAY(Integer)))
    else:
        condicion = tabla.c.llamada_id.in_(bindparam("ids", expanding=True))
    crudas = (columna_cruda(tabla.c[n]) for n in columnas)
    return select(tabla.c.llamada_id, *crudas).where(condicion)


def listar(
    *,
    conexion: Connection,
    filtros: FiltrosClasificaciones,
    pedido: PedidoPagina,
    columnas: list[str],
) -> PaginaFilas:
    """Página de clasificaciones, de las llamadas más recientes primero, y el total filtrado:
    tuplas de `columnas` leídas con Core, con las sentencias de esa forma de filtro preparadas
    una vez."""
    nombres = _DE_LA_LLAMADA + _DE_LA_CLASIFICACION
    valores = {n: getattr(filtros, n) for n in nombres if getattr(filtros, n) is not None}
    preparadas = _preparadas(tuple(valores), pedido.despues is not None)
    pagina = paginar_preparadas(conexion, preparadas, pedido, valores)
    if not pagina.filas:
        return pagina
    sentencia = _de_la_pagina(tuple(columnas), conexion.dialect.name)
    leidas = ejecucion_directa.leer(conexion, sentencia, {"ids": list(pagina.filas)})
    por_llamada = {fila[0]: tuple(fila[1:]) for fila in leidas}
    filas = [por_llamada[i] for i in pagina.filas if i in por_llamada]
    return replace(pagina, filas=filas)


def obtener(*, sesion: Session, clasificacion_id: int) -> ClasificacionIA | None:
    return sesion.get(ClasificacionIA, clasificacion_id)


def obtener_por_llamada(*, sesion: Session, llamada_id: int) -> ClasificacionIA | None:
    consulta = select(ClasificacionIA).where(ClasificacionIA.llamada_id == llamada_id)
    return sesion.scalars(consulta).first()


def guardar(
    *, sesion: Session, llamada_id: int, datos: dict[str, Any]
) -> tuple[ClasificacionIA, bool]:
    """Crea la clasificación de la llamada o reemplaza la que tenía; dice si la creó."""
    existente = obtener_por_llamada(sesion=sesion, llamada_id=llamada_id)
    if existente is None:
        clasificacion = ClasificacionIA(llamada_id=llamada_id, **datos)
        sesion.add(clasificacion)
        sesion.flush()
        return clasificacion, True
    for campo, valor in datos.items():
        setattr(existente, campo, valor)
    existente.creado_en = ahora_utc()
    sesion.flush()
    return existente, False


def eliminar_de_llamada(*, sesion: Session, llamada_id: int) -> bool:
    """Borra la clasificación de una llamada si la tiene; dice si había una."""
    existente = obtener_por_llamada(sesion=sesion, llamada_id=llamada_id)
    if existente is None:
        return False
    sesion.delete(existente)
    sesion.flush()
    return True


def clave_de_llamada(llamada_id: Any) -> Any:
    """Clave única de los trabajos de una llamada (`llamada:<id>`), en Python o en SQL."""
    if isinstance(llamada_id, int):
        return f"llamada:{llamada_id}"
    return literal("llamada:") + cast(llamada_id, String)


def llamadas_sin_clasificar(
    *, sesion: Session, limite: int, claves_ocupadas: Select | None = None
) -> list[int]:
    """Ids de llamadas con notas y sin clasificación, las más recientes primero; sin las
    que tienen un trabajo en marcha (`claves_ocupadas`), en la misma consulta (una sola
    instantánea: un trabajo que termina entre medias no hace que se repita)."""
    consulta = (
        select(Llamada.id)
        .outerjoin(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .where(ClasificacionIA.id.is_(None), Llamada.descripcion.is_not(None))
        .where(func.length(func.trim(Llamada.descripcion)) > 0)
        .order_by(Llamada.fecha_hora.desc())
        .limit(limite)
    )
    if claves_ocupadas is not None:
        consulta = consulta.where(clave_de_llamada(Llamada.id).not_in(claves_ocupadas))
    return list(sesion.scalars(consulta))


def corregir(
    *,
    sesion: Session,
    clasificacion: ClasificacionIA,
    categoria: Categoria,
    nota: str | None,
    usuario_id: int,
) -> ClasificacionIA:
    """Aplica una corrección humana; la primera guarda la categoría que dio el clasificador."""
    if clasificacion.corregida_en is None:
        clasificacion.categoria_modelo = clasificacion.categoria
    clasificacion.categoria = categoria
    clasificacion.nota_correccion = nota
    clasificacion.corregida_por_id = usuario_id
    clasificacion.corregida_en = ahora_utc()
    sesion.flush()
    return clasificacion


def acuerdo_por_categoria(
    *, sesion: Session, filtros: FiltrosClasificaciones
) -> list[tuple[Categoria, Categoria, int]]:
    """(categoría del clasificador, categoría humana, casos) de las clasificaciones revisadas."""
    consulta = _aplicar_filtros(
        select(
            ClasificacionIA.categoria_modelo,
            ClasificacionIA.categoria,
            func.count(ClasificacionIA.id),
        ),
        filtros,
    ).where(ClasificacionIA.corregida_en.is_not(None))
    consulta = consulta.group_by(ClasificacionIA.categoria_modelo, ClasificacionIA.categoria)
    return [(modelo, humana, int(n)) for modelo, humana, n in sesion.execute(consulta)]


def contar_correcciones(*, sesion: Session) -> int:
    """Cuántas clasificaciones tienen una corrección humana."""
    consulta = select(func.count(ClasificacionIA.id)).where(
        ClasificacionIA.corregida_en.is_not(None)
    )
    return sesion.scalar(consulta) or 0


def listar_correcciones(*, sesion: Session) -> list[tuple[str, Categoria]]:
    """(notas de la llamada, categoría humana) de cada clasificación corregida."""
    consulta = (
        select(Llamada.descripcion, ClasificacionIA.categoria)
        .join(Llamada, ClasificacionIA.llamada_id == Llamada.id)
        .where(ClasificacionIA.corregida_en.is_not(None), Llamada.descripcion.is_not(None))
        .order_by(ClasificacionIA.id)
    )
    return [(texto, categoria) for texto, categoria in sesion.execute(consulta) if texto]
