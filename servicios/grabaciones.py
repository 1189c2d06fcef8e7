"""Casos de uso de las grabaciones: subir (con su transcripción en segundo plano), leer el
audio, borrarlo y aplicar la retención. Las reglas de propiedad son las de las llamadas."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import trabajos
from config import Ajustes
from crud import grabacion as crud
from grabaciones import almacen
from grabaciones.audio import AudioInvalido, InfoAudio, inspeccionar
from modelos.grabacion import Grabacion
from modelos.usuario import Usuario
from servicios import llamadas as servicio_llamadas
from servicios.excepciones import (
    Conflicto,
    DatoInvalido,
    DemasiadoGrande,
    NoEncontrado,
)

registro = logging.getLogger("callcenter.grabaciones")

TIPO_TRANSCRIBIR = "transcribir_grabacion"
TIPOS_MIME = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "flac": "audio/flac",
}
LOTE_RETENCION = 500


@dataclass(frozen=True, slots=True)
class Audio:
    ruta: Path
    tipo_mime: str
    tamano: int


def clave_de_grabacion(llamada_id: int) -> str:
    return f"grabacion:{llamada_id}"


def encolar_transcripcion(*, sesion: Session, llamada_id: int) -> int | None:
    return trabajos.encolar(
        TIPO_TRANSCRIBIR,
        {"llamada_id": llamada_id},
        sesion=sesion,
        clave_unica=clave_de_grabacion(llamada_id),
    )


def _recibir(origen: BinaryIO, ajustes: Ajustes) -> tuple[almacen.Recibido, InfoAudio]:
    carpeta = almacen.carpeta(ajustes.grabaciones_dir)
    try:
        recibido = almacen.recibir(origen, carpeta, ajustes.grabacion_max_bytes)
    except almacen.DemasiadoGrande as error:
        raise DemasiadoGrande(
            f"La grabación supera el máximo de {ajustes.grabacion_max_mb} MB"
        ) from error
    try:
        return recibido, inspeccionar(recibido.ruta)
    except AudioInvalido as error:
        recibido.ruta.unlink(missing_ok=True)
        raise DatoInvalido(str(error), campo="archivo") from error


def subir(
    *, sesion: Session, actor: Usuario, llamada_id: int, origen: BinaryIO, ajustes: Ajustes
) -> Grabacion:
    """Guarda el audio de la llamada si es válido y encola su transcripción."""
    servicio_llamadas.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    if crud.obtener(sesion=sesion, llamada_id=llamada_id) is not None:
        raise Conflicto(f"La llamada {llamada_id} ya tiene grabación; bórrala antes de subir otra")
    sesion.commit()  # no retener la conexión mientras se copia y se decodifica el audio
    recibido, info = _recibir(origen, ajustes)
    nombre = f"llamada-{llamada_id}-{recibido.sha256[:16]}.{info.formato}"
    final = almacen.colocar(recibido.ruta, recibido.ruta.parent, nombre)
    datos = {
        "llamada_id": llamada_id,
        "fichero": nombre,
        "formato": info.formato,
        "codec": info.codec,
        "sha256": recibido.sha256,
        "tamano_bytes": recibido.tamano,
        "duracion_segundos": info.duracion_segundos,
        "canales": info.canales,
        "frecuencia_hz": info.frecuencia_hz,
        "subida_por_id": actor.id,
    }
    try:
        grabacion = crud.crear(sesion=sesion, datos=datos)
        crud.reiniciar_transcripcion(sesion=sesion, llamada_id=llamada_id)
        encolar_transcripcion(sesion=sesion, llamada_id=llamada_id)
        sesion.commit()
    except IntegrityError as error:
        sesion.rollback()
        final.unlink(missing_ok=True)
        raise Conflicto(f"La llamada {llamada_id} ya tiene grabación o ya no existe") from error
    except BaseException:
        sesion.rollback()
        final.unlink(missing_ok=True)
        raise
    return grabacion


def _grabacion(sesion: Session, actor: Usuario, llamada_id: int) -> Grabacion:
    servicio_llamadas.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    grabacion = crud.obtener(sesion=sesion, llamada_id=llamada_id)
    if grabacion is None:
        raise NoEncontrado(f"La llamada {llamada_id} no tiene grabación")
    return grabacion


def obtener(*, sesion: Session, actor: Usuario, llamada_id: int) -> Grabacion:
    return _grabacion(sesion, actor, llamada_id)


def obtener_audio(*, sesion: Session, actor: Usuario, llamada_id: int, ajustes: Ajustes) -> Audio:
    """El fichero de la grabación (404 si la llamada no la tiene o el fichero falta)."""
    grabacion = _grabacion(sesion, actor, llamada_id)
    ruta = almacen.ruta(ajustes.grabaciones_dir, grabacion.fichero)
    if not ruta.is_file():
        raise NoEncontrado(f"El audio de la llamada {llamada_id} ya no está en el servidor")
    return Audio(ruta=ruta, tipo_mime=TIPOS_MIME[grabacion.formato], tamano=ruta.stat().st_size)


def eliminar(*, sesion: Session, actor: Usuario, llamada_id: int, ajustes: Ajustes) -> None:
    """Borra la fila y el fichero; la transcripción (redactada) se queda."""
    grabacion = _grabacion(sesion, actor, llamada_id)
    fichero = grabacion.fichero
    crud.eliminar(sesion=sesion, grabacion=grabacion)
    sesion.commit()
    almacen.borrar(ajustes.grabaciones_dir, fichero)


def fichero_de_llamada(*, sesion: Session, llamada_id: int) -> str | None:
    """Nombre del fichero de la grabación de una llamada (para borrarlo con ella)."""
    grabacion = crud.obtener(sesion=sesion, llamada_id=llamada_id)
    return grabacion.fichero if grabacion else None


def aplicar_retencion(*, fabrica: sessionmaker[Session], ajustes: Ajustes, ahora: datetime) -> int:
    """Borra los audios subidos hace más de GRABACIONES_RETENCION_DIAS (0 o vacío: ninguno)."""
    dias = ajustes.grabaciones_retencion_dias
    if not dias:
        return 0
    limite = ahora - timedelta(days=dias)
    borradas = 0
    with fabrica() as sesion:
        while viejas := crud.anteriores_a(sesion=sesion, limite=limite, cuantas=LOTE_RETENCION):
            ficheros = [g.fichero for g in viejas]
            crud.borrar_por_ids(sesion=sesion, ids=[g.id for g in viejas])
            sesion.commit()
            for fichero in ficheros:
                almacen.borrar(ajustes.grabaciones_dir, fichero)
            borradas += len(viejas)
    if borradas:
        registro.info("retención: %d grabaciones de más de %d días borradas", borradas, dias)
    return borradas
