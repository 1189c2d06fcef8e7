"""Filas de las fotos diarias: qué días están vigentes, su cerrojo, su escritura y su lista."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as insert_postgresql
from sqlalchemy.dialects.sqlite import insert as insert_sqlite
from sqlalchemy.orm import Session

from crud.metrica import dialecto
from modelos.llamada import Llamada
from modelos.metrica import Metrica


def dias_vigentes(
    *,
    sesion: Session,
    primer_dia: date,
    ultimo_dia: date,
    umbral: int,
    zona: str,
    confianza: float,
) -> dict[date, tuple[int, datetime]]:
    """Días del rango con foto vigente hecha con el mismo umbral, en la misma zona horaria y
    con la misma confianza de revisión, con su sello: versión (sube con cada invalidación) e
    instante en que se calculó (cambia con cada construcción, también si la tabla se vació y
    las versiones volvieron a cero)."""
    consulta = select(Metrica.fecha, Metrica.version, Metrica.calculado_en).where(
        Metrica.fecha.between(primer_dia, ultimo_dia),
        Metrica.vigente.is_(True),
        Metrica.umbral_nivel_servicio == umbral,
        Metrica.zona == zona,
        Metrica.umbral_confianza == confianza,
    )
    return {fecha: (version, calculado) for fecha, version, calculado in sesion.execute(consulta)}


def asegurar_filas(*, sesion: Session, dias: list[date]) -> None:
    """Crea las filas de los días que falten (no vigentes); varios procesos a la vez no chocan.
    Sin días, nada (un INSERT sin filas no es SQL válido)."""
    if not dias:
        return
    valores = [
        {"fecha": dia, "total_llamadas": 0, "contenido": {}, "vigente": False, "version": 0}
        for dia in dias
    ]
    fabrica = insert_sqlite if dialecto(sesion) == "sqlite" else insert_postgresql
    sesion.execute(fabrica(Metrica).values(valores).on_conflict_do_nothing())


def existe(*, sesion: Session, dia: date) -> bool:
    """Si el día tiene fila de foto (vigente o no)."""
    return sesion.scalar(select(Metrica.id).where(Metrica.fecha == dia)) is not None


def bloquear_filas(*, sesion: Session, primer_dia: date, ultimo_dia: date) -> dict[date, int]:
    """Toma el cerrojo de escritura de las filas del rango y devuelve sus versiones."""
    # Una escritura inocua bloquea las filas (PostgreSQL) o la base (SQLite) hasta el commit,
    # de modo que ninguna llamada de esos días cambia mientras se recalculan.
    rango = Metrica.fecha.between(primer_dia, ultimo_dia)
    sesion.execute(update(Metrica).where(rango).values(version=Metrica.version))
    return dict(sesion.execute(select(Metrica.fecha, Metrica.version).where(rango)).all())


def guardar_foto(*, sesion: Session, dia: date, version: int, valores: dict[str, Any]) -> bool:
    """Marca la foto vigente si nadie la invalidó desde que se leyó su versión."""
    resultado = sesion.execute(
        update(Metrica)
        .where(Metrica.fecha == dia, Metrica.version == version)
        .values(vigente=True, **valores)
    )
    return resultado.rowcount == 1


def listar_diarias(
    *, sesion: Session, desde: date | None, hasta: date | None, skip: int, limit: int
) -> tuple[list[Metrica], int]:
    """Fotos diarias, las más recientes primero, y el total del rango."""
    condiciones = []
    if desde is not None:
        condiciones.append(Metrica.fecha >= desde)
    if hasta is not None:
        condiciones.append(Metrica.fecha <= hasta)
    total = sesion.scalar(select(func.count(Metrica.id)).where(*condiciones)) or 0
    consulta = select(Metrica).where(*condiciones).order_by(Metrica.fecha.desc())
    return list(sesion.scalars(consulta.offset(skip).limit(limit))), total


def dias_por_calcular(
    *, sesion: Session, primer_dia: date, ultimo_dia: date, **vigencia
) -> list[date]:
    """Días cerrados del rango sin foto vigente (faltan, se invalidaron o cambió el umbral, la
    zona o la confianza de revisión)."""
    vigentes = dias_vigentes(
        sesion=sesion, primer_dia=primer_dia, ultimo_dia=ultimo_dia, **vigencia
    )
    dias = []
    dia = primer_dia
    while dia <= ultimo_dia:
        if dia not in vigentes:
            dias.append(dia)
        dia = date.fromordinal(dia.toordinal() + 1)
    return dias


def primera_llamada(*, sesion: Session) -> datetime | None:
    """Instante UTC de la llamada más antigua (el relleno de fotos no empieza antes)."""
    primera = sesion.scalar(select(func.min(Llamada.fecha_hora)))
    if primera is None:
        return None
    if isinstance(primera, str):
        primera = datetime.fromisoformat(primera)
    return (primera if primera.tzinfo else primera.replace(tzinfo=UTC)).astimezone(UTC)
