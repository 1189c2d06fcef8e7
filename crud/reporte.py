"""Persistencia de reportes y la consulta de llamadas que alimenta sus exportaciones."""

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Select, func, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from crud.metrica import FiltrosMetricas, aplicar_filtros
from crud.paginacion import PaginaFilas, PedidoPagina, paginar
from modelos.clasificacion_ia import ClasificacionIA
from modelos.llamada import Llamada
from modelos.reporte import Reporte
from modelos.usuario import Usuario


def crear(*, sesion: Session, datos: dict[str, Any]) -> Reporte:
    reporte = Reporte(**datos)
    sesion.add(reporte)
    sesion.flush()
    return reporte


def obtener(*, sesion: Session, reporte_id: int) -> Reporte | None:
    return sesion.get(Reporte, reporte_id)


def existe_automatico(*, sesion: Session, desde: datetime, hasta: datetime) -> bool:
    consulta = select(Reporte.id).where(
        Reporte.automatico.is_(True), Reporte.desde == desde, Reporte.hasta == hasta
    )
    return sesion.scalar(consulta.limit(1)) is not None


def listar(
    *,
    sesion: Session,
    automatico: bool | None,
    desde: datetime | None,
    hasta: datetime | None,
    pedido: PedidoPagina,
) -> PaginaFilas:
    """Reportes cuyo periodo cae dentro de [desde, hasta], los más recientes primero."""
    condiciones = []
    if automatico is not None:
        condiciones.append(Reporte.automatico.is_(automatico))
    if desde is not None:
        condiciones.append(Reporte.desde >= desde)
    if hasta is not None:
        condiciones.append(Reporte.hasta <= hasta)
    consulta = select(Reporte).where(*condiciones)
    orden = (Reporte.fecha_generado, Reporte.id)
    return paginar(sesion, consulta, orden=orden, pedido=pedido)


def consulta_llamadas(desde: datetime, hasta: datetime, filtros: FiltrosMetricas) -> Select:
    """Una fila por llamada del periodo con su agente y su clasificación, en orden de fecha."""
    consulta = (
        select(
            Llamada.id,
            Usuario.nombre,
            Llamada.numero_cliente,
            Llamada.fecha_hora,
            Llamada.duracion_segundos,
            Llamada.tipo,
            Llamada.resultado,
            Llamada.direccion,
            Llamada.satisfaccion,
            Llamada.tiempo_espera_segundos,
            ClasificacionIA.categoria,
            ClasificacionIA.confianza,
            ClasificacionIA.sentimiento,
            ClasificacionIA.recomendacion_agente,
            Llamada.descripcion,
        )
        .join(Usuario, Usuario.id == Llamada.usuario_id)
        .outerjoin(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .where(Llamada.fecha_hora >= desde, Llamada.fecha_hora <= hasta)
        .order_by(Llamada.fecha_hora, Llamada.id)
    )
    return aplicar_filtros(consulta, filtros)


def lotes_crudos(
    *, sesion: Session, desde: datetime, hasta: datetime, filtros: FiltrosMetricas, lote: int
) -> Iterator[Sequence[Row]]:
    """Las filas de `consulta_llamadas`, de `lote` en `lote` (cursor en flujo: memoria constante),
    tal como las da el controlador, sin las conversiones de tipo de SQLAlchemy: en 100 000 filas,
    convertir cinco enums y la fecha de cada una costaba más que leerlas. Los enums llegan como
    su valor (texto, que es lo que se guarda) y la fecha como la da el motor: `instante_utc`."""
    consulta = consulta_llamadas(desde, hasta, filtros)
    crudas = consulta.with_only_columns(
        *(
            type_coerce(columna, NullType()).label(columna.key)
            for columna in consulta.selected_columns
        ),
        maintain_column_froms=True,
    )
    resultado = sesion.connection().execution_options(yield_per=lote).execute(crudas)
    yield from resultado.partitions()


def instante_utc(valor: datetime | str) -> datetime:
    """Fecha de una fila cruda con zona: texto ISO sin zona (UTC) en SQLite; en PostgreSQL ya
    viene con la suya."""
    if isinstance(valor, str):
        valor = datetime.fromisoformat(valor)
    return valor if valor.tzinfo is not None else valor.replace(tzinfo=UTC)


def huella_del_periodo(*, sesion: Session, inicio: datetime, fin: datetime) -> str:
    """Resumen de las llamadas de [inicio, fin) y sus clasificaciones: cambia si alguna se
    añade, cambia, se borra o se (re)clasifica."""
    consulta = (
        select(
            func.count(Llamada.id),
            func.coalesce(func.sum(Llamada.id), 0),
            func.max(Llamada.actualizado_en),
            func.count(ClasificacionIA.id),
            func.max(ClasificacionIA.creado_en),
            func.max(ClasificacionIA.corregida_en),
        )
        .select_from(Llamada)
        .outerjoin(ClasificacionIA, ClasificacionIA.llamada_id == Llamada.id)
        .where(Llamada.fecha_hora >= inicio, Llamada.fecha_hora < fin)
    )
    return "|".join(str(valor) for valor in sesion.execute(consulta).one())


def automaticos_recientes(*, sesion: Session, limite: int) -> list[Reporte]:
    consulta = (
        select(Reporte)
        .where(Reporte.automatico.is_(True))
        .order_by(Reporte.hasta.desc(), Reporte.id.desc())
        .limit(limite)
    )
    return list(sesion.scalars(consulta))
