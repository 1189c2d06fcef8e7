"""Persistencia de grabaciones y transcripciones (una de cada por llamada)."""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from modelos.grabacion import Grabacion, Transcripcion
from modelos.llamada import Llamada


def obtener(*, sesion: Session, llamada_id: int) -> Grabacion | None:
    return sesion.scalar(select(Grabacion).where(Grabacion.llamada_id == llamada_id))


def crear(*, sesion: Session, datos: dict[str, Any]) -> Grabacion:
    grabacion = Grabacion(**datos)
    sesion.add(grabacion)
    sesion.flush()
    return grabacion


def eliminar(*, sesion: Session, grabacion: Grabacion) -> None:
    sesion.delete(grabacion)


def anteriores_a(*, sesion: Session, limite: datetime, cuantas: int) -> list[Grabacion]:
    """Grabaciones subidas antes de `limite`, las más viejas primero."""
    consulta = (
        select(Grabacion)
        .where(Grabacion.creado_en < limite)
        .order_by(Grabacion.creado_en)
        .limit(cuantas)
    )
    return list(sesion.scalars(consulta))


def borrar_por_ids(*, sesion: Session, ids: list[int]) -> None:
    sesion.execute(delete(Grabacion).where(Grabacion.id.in_(ids)))


def obtener_transcripcion(*, sesion: Session, llamada_id: int) -> Transcripcion | None:
    return sesion.scalar(select(Transcripcion).where(Transcripcion.llamada_id == llamada_id))


def reiniciar_transcripcion(*, sesion: Session, llamada_id: int) -> Transcripcion:
    """La transcripción de la llamada, vacía y pendiente (nueva o reaprovechada)."""
    transcripcion = obtener_transcripcion(sesion=sesion, llamada_id=llamada_id)
    if transcripcion is None:
        transcripcion = Transcripcion(llamada_id=llamada_id)
        sesion.add(transcripcion)
    vacios = ("error", "motor", "idioma", "duracion_segundos", "mono", "segmentos", "texto")
    vacios += ("analitica", "sentimientos", "cuota_habla", "cuota_silencio", "solape_segundos")
    for campo in vacios:
        setattr(transcripcion, campo, None)
    transcripcion.estado = "pendiente"
    transcripcion.intentos = 0
    sesion.flush()
    return transcripcion


def medias_de_voz(*, sesion: Session, condiciones: list[Any]) -> dict[str, float | int | None]:
    """Cuota media de habla y de silencio, solape medio y cuántas transcripciones las dan."""
    consulta = (
        select(
            func.count(Transcripcion.id),
            func.avg(Transcripcion.cuota_habla),
            func.avg(Transcripcion.cuota_silencio),
            func.avg(Transcripcion.solape_segundos),
        )
        # EXISTS y no JOIN: con un JOIN, SQLite recorría el índice de fecha de todas las llamadas
        # del periodo (1 000 000 en un año, ~60 ms) para unas pocas transcripciones.
        .where(
            Transcripcion.estado == "lista",
            exists().where(Llamada.id == Transcripcion.llamada_id, *condiciones),
        )
    )
    total, habla, silencio, solape = sesion.execute(consulta).one()
    redondear = lambda v, n: None if v is None else round(float(v), n)  # noqa: E731
    return {
        "transcritas": total,
        "cuota_habla_media": redondear(habla, 4),
        "cuota_silencio_media": redondear(silencio, 4),
        "solape_medio_segundos": redondear(solape, 2),
    }
