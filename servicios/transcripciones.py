"""La transcripción de una grabación como trabajo durable, y su lectura con la analítica.

El trabajo decodifica y transcribe sin retener la conexión a la base; al terminar guarda solo
el texto redactado, la analítica y el sentimiento por hablante, y encola la reclasificación
de la llamada con lo dicho (más las notas).
"""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

import trabajos
from crud import clasificacion_ia as crud_clasificacion
from crud import grabacion as crud
from esquemas.grabacion import TranscripcionPublica
from esquemas.metrica import VozPeriodo
from grabaciones import almacen
from grabaciones.motores import crear_motor
from grabaciones.transcribir import ResultadoTranscripcion, transcribir, turnos
from modelos.grabacion import Transcripcion
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from servicios import llamadas as servicio_llamadas
from servicios.clasificador.sentimiento import analizar_sentimiento
from servicios.excepciones import NoEncontrado
from servicios.grabaciones import TIPO_TRANSCRIBIR

AVISO_MONO = "Grabación mono: no se distingue agente de cliente (un solo hablante, desconocido)"
ERROR_MAXIMO = 2000


def _sentimientos(resultado: ResultadoTranscripcion) -> dict[str, str]:
    por_hablante: dict[str, list[str]] = {}
    for hablante, texto in turnos(resultado.segmentos):
        por_hablante.setdefault(hablante, []).append(texto)
    return {h: analizar_sentimiento(" ".join(t)) for h, t in por_hablante.items()}


def _guardar(transcripcion: Transcripcion, resultado: ResultadoTranscripcion) -> None:
    analitica = resultado.analitica
    transcripcion.estado = "lista"
    transcripcion.error = None
    transcripcion.motor = resultado.motor
    transcripcion.idioma = resultado.idioma
    transcripcion.duracion_segundos = resultado.duracion
    transcripcion.mono = resultado.mono
    transcripcion.segmentos = resultado.segmentos
    transcripcion.texto = resultado.texto
    transcripcion.analitica = analitica
    transcripcion.sentimientos = _sentimientos(resultado)
    transcripcion.cuota_habla = analitica["cuota_habla"]
    transcripcion.cuota_silencio = analitica["cuota_silencio"]
    transcripcion.solape_segundos = analitica["solape"]


def _fallo(contexto: trabajos.Contexto, llamada_id: int, error: BaseException) -> None:
    """Anota el error; con el último intento agotado, la transcripción queda `fallida`."""
    definitivo = contexto.intento >= contexto.ajustes.trabajos_intentos
    with contexto.fabrica() as sesion:
        transcripcion = crud.obtener_transcripcion(sesion=sesion, llamada_id=llamada_id)
        if transcripcion is None:
            return
        transcripcion.estado = "fallida" if definitivo else "pendiente"
        transcripcion.error = (str(error) or type(error).__name__)[:ERROR_MAXIMO]
        sesion.commit()


@trabajos.tarea(TIPO_TRANSCRIBIR)
def transcribir_en_segundo_plano(carga: dict[str, Any], contexto: trabajos.Contexto) -> None:
    """Trabajo durable: transcribe la grabación actual de la llamada (idempotente: un intento
    retomado tras un kill -9 vuelve a empezar desde el fichero)."""
    llamada_id = int(carga["llamada_id"])
    ajustes = contexto.ajustes
    with contexto.fabrica() as sesion:
        grabacion = crud.obtener(sesion=sesion, llamada_id=llamada_id)
        transcripcion = crud.obtener_transcripcion(sesion=sesion, llamada_id=llamada_id)
        if transcripcion is None:
            return  # llamada borrada
        if grabacion is None:
            transcripcion.estado = "fallida"
            transcripcion.error = "La grabación se borró antes de transcribirla"
            sesion.commit()
            return
        transcripcion.estado = "procesando"
        transcripcion.intentos = contexto.intento
        grabacion_id, duracion = grabacion.id, grabacion.duracion_segundos
        ruta = almacen.ruta(ajustes.grabaciones_dir, grabacion.fichero)
        sesion.commit()
    try:
        resultado = transcribir(
            ruta,
            motor=crear_motor(ajustes),
            canal_agente=ajustes.grabacion_canal_agente,
            duracion=duracion,
        )
    except Exception as error:
        _fallo(contexto, llamada_id, error)
        raise
    with contexto.fabrica() as sesion:
        actual = crud.obtener(sesion=sesion, llamada_id=llamada_id)
        transcripcion = crud.obtener_transcripcion(sesion=sesion, llamada_id=llamada_id)
        if actual is None or actual.id != grabacion_id or transcripcion is None:
            return  # borrada o sustituida mientras tanto: decide el trabajo más nuevo
        _guardar(transcripcion, resultado)
        if ajustes.clasificacion_automatica:
            servicio_llamadas.encolar_clasificacion(sesion=sesion, llamada_id=llamada_id)
        sesion.commit()


def obtener(*, sesion: Session, actor: Usuario, llamada_id: int) -> TranscripcionPublica:
    """La transcripción de la llamada con su estado (404 si nunca tuvo grabación)."""
    servicio_llamadas.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    transcripcion = crud.obtener_transcripcion(sesion=sesion, llamada_id=llamada_id)
    if transcripcion is None:
        raise NoEncontrado(f"La llamada {llamada_id} no tiene transcripción")
    clasificacion = crud_clasificacion.obtener_por_llamada(sesion=sesion, llamada_id=llamada_id)
    lista = transcripcion.estado == "lista"
    return TranscripcionPublica(
        llamada_id=llamada_id,
        estado=transcripcion.estado,
        error=transcripcion.error,
        intentos=transcripcion.intentos,
        motor=transcripcion.motor,
        idioma=transcripcion.idioma,
        duracion_segundos=transcripcion.duracion_segundos,
        mono=transcripcion.mono,
        aviso=AVISO_MONO if transcripcion.mono else None,
        segmentos=transcripcion.segmentos or [],
        texto=transcripcion.texto,
        analitica=transcripcion.analitica,
        sentimiento_por_hablante=transcripcion.sentimientos or {},
        sentimiento_llamada=clasificacion.sentimiento if (lista and clasificacion) else None,
        actualizado_en=transcripcion.actualizado_en,
    )


def medias_de_voz(
    *, sesion: Session, desde: datetime, hasta: datetime, usuario_id: int | None
) -> VozPeriodo:
    """Cuota media de habla y silencio y solape medio de las llamadas transcritas del periodo."""
    condiciones = [Llamada.fecha_hora >= desde, Llamada.fecha_hora <= hasta]
    if usuario_id is not None:
        condiciones.append(Llamada.usuario_id == usuario_id)
    return VozPeriodo(**crud.medias_de_voz(sesion=sesion, condiciones=condiciones))
