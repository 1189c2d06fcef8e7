"""Rutas de las grabaciones de una llamada: subir, escuchar (con Range), borrar y leer la
transcripción con su analítica de voz."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Header, Response, UploadFile, status
from fastapi.responses import StreamingResponse

from auth import AjustesDep, UsuarioActual
from config import Ajustes
from database import SesionDep
from esquemas.grabacion import GrabacionPublica, TranscripcionPublica
from rutas.comunes import IdRuta
from rutas.respuestas import errores
from servicios import grabaciones as servicio
from servicios import transcripciones
from servicios.excepciones import RangoNoSatisfacible

router = APIRouter(prefix="/api/llamadas", tags=["grabaciones"], responses=errores(401, 503))

RUTA_GRABACION = "/api/llamadas/*/grabacion"
# Lo que el multipart añade al fichero (límites, cabeceras de la parte); holgado.
MARGEN_MULTIPART = 64 * 1024
TROZO = 256 * 1024
_RANGO = re.compile(r"^bytes=(\d*)-(\d*)$")
TIPOS_AUDIO = ("audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4", "audio/flac")
CONTENIDO_AUDIO = {tipo: {"schema": {"type": "string", "format": "binary"}} for tipo in TIPOS_AUDIO}
CABECERAS_AUDIO = {
    "Accept-Ranges": {"required": True, "schema": {"type": "string", "example": "bytes"}},
    "Content-Length": {"required": True, "schema": {"type": "integer"}},
}
EJEMPLO_ARCHIVO = {
    "wav": {
        "summary": "Una grabación (WAV, MP3, OGG/Opus, M4A o FLAC; mono o estéreo)",
        "value": {"archivo": "llamada.wav"},
    }
}


def limites_grabacion(ajustes: Ajustes) -> dict[str, int]:
    """Límite de cuerpo de la subida (GRABACION_MAX_MB más el sobre multipart); el resto de
    rutas sigue con MAX_CUERPO_BYTES."""
    return {RUTA_GRABACION: ajustes.grabacion_max_bytes + MARGEN_MULTIPART}


def _rango(cabecera: str | None, tamano: int) -> tuple[int, int] | None:
    """(primero, último) de un Range de un solo tramo; None: el fichero entero (sin Range, o
    un Range que no se entiende o pide varios tramos, que el RFC 9110 permite ignorar)."""
    encontrado = _RANGO.match((cabecera or "").strip())
    if encontrado is None or encontrado.groups() == ("", ""):
        return None
    desde, hasta = encontrado.groups()
    if desde == "":  # los últimos N bytes
        if int(hasta) == 0:
            raise RangoNoSatisfacible(
                f"Rango no satisfacible: el fichero tiene {tamano} bytes", tamano=tamano
            )
        return max(0, tamano - int(hasta)), tamano - 1
    primero = int(desde)
    ultimo = min(int(hasta), tamano - 1) if hasta else tamano - 1
    if primero >= tamano or primero > ultimo:
        raise RangoNoSatisfacible(
            f"Rango no satisfacible: el fichero tiene {tamano} bytes", tamano=tamano
        )
    return primero, ultimo


def _leer(ruta: Path, primero: int, ultimo: int) -> Iterator[bytes]:
    with ruta.open("rb") as fichero:
        fichero.seek(primero)
        quedan = ultimo - primero + 1
        while quedan > 0 and (trozo := fichero.read(min(TROZO, quedan))):
            quedan -= len(trozo)
            yield trozo


@router.post(
    "/{llamada_id}/grabacion",
    response_model=GrabacionPublica,
    status_code=status.HTTP_201_CREATED,
    summary="Subir la grabación de una llamada",
    responses=errores(403, 404, 409, 413, 422),
    openapi_extra={
        "requestBody": {"content": {"multipart/form-data": {"examples": EJEMPLO_ARCHIVO}}}
    },
)
def subir_grabacion(
    llamada_id: IdRuta,
    archivo: Annotated[
        UploadFile,
        File(description="El audio; el formato se reconoce por el contenido, no por el nombre"),
    ],
    sesion: SesionDep,
    actor: UsuarioActual,
    ajustes: AjustesDep,
) -> GrabacionPublica:
    """Guarda la grabación (multipart, campo `archivo`) y encola su transcripción."""
    grabacion = servicio.subir(
        sesion=sesion, actor=actor, llamada_id=llamada_id, origen=archivo.file, ajustes=ajustes
    )
    return GrabacionPublica.model_validate(grabacion)


@router.get(
    "/{llamada_id}/grabacion",
    response_class=Response,
    summary="Escuchar o descargar la grabación",
    responses={
        200: {
            "description": "El audio entero",
            "content": CONTENIDO_AUDIO,
            "headers": CABECERAS_AUDIO,
        },
        206: {
            "description": "El tramo pedido con Range (para saltar en un reproductor)",
            "content": CONTENIDO_AUDIO,
            "headers": {
                **CABECERAS_AUDIO,
                "Content-Range": {"required": True, "schema": {"type": "string"}},
            },
        },
        **errores(403, 404, 416, 422),
    },
)
def leer_grabacion(
    llamada_id: IdRuta,
    sesion: SesionDep,
    actor: UsuarioActual,
    ajustes: AjustesDep,
    rango: Annotated[
        str | None, Header(alias="Range", max_length=200, description="p. ej. bytes=0-1023")
    ] = None,
) -> Response:
    """El audio en flujo, entero o por tramos (Range de un solo tramo: 206 o 416)."""
    audio = servicio.obtener_audio(
        sesion=sesion, actor=actor, llamada_id=llamada_id, ajustes=ajustes
    )
    sesion.close()  # no retener la conexión mientras dura la descarga
    tramo = _rango(rango, audio.tamano)
    primero, ultimo = tramo or (0, audio.tamano - 1)
    cabeceras: dict[str, Any] = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(ultimo - primero + 1),
        "Content-Disposition": f'inline; filename="llamada-{llamada_id}{audio.ruta.suffix}"',
    }
    if tramo is not None:
        cabeceras["Content-Range"] = f"bytes {primero}-{ultimo}/{audio.tamano}"
    return StreamingResponse(
        _leer(audio.ruta, primero, ultimo),
        status_code=206 if tramo else 200,
        media_type=audio.tipo_mime,
        headers=cabeceras,
    )


@router.delete(
    "/{llamada_id}/grabacion",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Borrar la grabación",
    responses=errores(403, 404, 422),
)
def eliminar_grabacion(
    llamada_id: IdRuta, sesion: SesionDep, actor: UsuarioActual, ajustes: AjustesDep
) -> Response:
    """Borra el fichero y su fila; la transcripción, ya redactada, se conserva."""
    servicio.eliminar(sesion=sesion, actor=actor, llamada_id=llamada_id, ajustes=ajustes)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{llamada_id}/transcripcion",
    response_model=TranscripcionPublica,
    summary="Transcripción y analítica de voz de la llamada",
    responses=errores(403, 404, 422),
)
def leer_transcripcion(
    llamada_id: IdRuta, sesion: SesionDep, actor: UsuarioActual
) -> TranscripcionPublica:
    """Estado del trabajo y, cuando está lista, segmentos por hablante, texto redactado,
    analítica de voz y sentimiento por hablante y de la llamada."""
    return transcripciones.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
