"""Persistencia de las clasificaciones de IA: una por llamada, con sus consultas filtradas."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, exists, func, literal, select
from sqlalchemy.orm import Session

from crud.paginacion import PaginaFilas, PedidoPagina, paginar
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


def _de_la_llamada(filtros: FiltrosClasificaciones) -> list[ColumnElement[bool]]:
    condiciones = []
    if filtros.usuario_id is not None:
        condiciones.append(Llamada.usuario_id == filtros.usuario_id)
    if filtros.desde is not None:
        condiciones.append(Llamada.fecha_hora >= filtros.desde)
    if filtros.hasta is not None:
        condiciones.append(Llamada.fecha_hora <= filtros.hasta)
    return condiciones


def _de_la_clasificacion(filtros: FiltrosClasificaciones) -> list[ColumnElement[bool]]:
    condiciones = []
    if filtros.categoria is not None:
        condiciones.append(ClasificacionIA.categoria == filtros.categoria)
    if filtros.motor is not None:
        condiciones.append(ClasificacionIA.motor == filtros.motor)
    if filtros.confianza_minima is not None:
        condiciones.append(ClasificacionIA.confianza >= filtros.confianza_minima)
    if filtros.confianza_menor_que is not None:
        condiciones.append(ClasificacionIA.confianza < filtros.confianza_menor_que)
    return condiciones


def _aplicar_filtros(consulta: Select, filtros: FiltrosClasificaciones) -> Select:
    consulta = consulta.join(Llamada, ClasificacionIA.llamada_id == Llamada.id)
    return consulta.where(*_de_la_llamada(filtros), *_de_la_clasificacion(filtros))


def listar(
    *, sesion: Session, filtros: FiltrosClasificaciones, pedido: PedidoPagina
) -> PaginaFilas:
    """Página de clasificaciones, de las llamadas más recientes primero, y el total filtrado.

    Se pagina sobre las llamadas (índice de la fecha) con un EXISTS a su clasificación y
    después se leen las clasificaciones de la página: con un JOIN, SQLite construye antes un
    filtro Bloom de toda la tabla de clasificaciones o usa el índice de la categoría y ordena
    cientos de miles de filas."""
    clasificada = exists().where(
        ClasificacionIA.llamada_id == Llamada.id, *_de_la_clasificacion(filtros)
    )
    consulta = select(Llamada.id).where(clasificada, *_de_la_llamada(filtros))
    # Sin filtros de la llamada, el total se cuenta sobre las clasificaciones (su índice de
    # categoría), sin mirar cada llamada en orden de fecha hasta juntar el tope.
    conteo = None
    if not _de_la_llamada(filtros):
        conteo = select(ClasificacionIA.id).where(*_de_la_clasificacion(filtros))
    orden = (Llamada.fecha_hora, Llamada.id)
    pagina = paginar(sesion, consulta, orden=orden, pedido=pedido, conteo=conteo)
    leidas = select(ClasificacionIA).where(ClasificacionIA.llamada_id.in_(pagina.filas))
    por_llamada = {c.llamada_id: c for c in sesion.scalars(leidas)}
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
