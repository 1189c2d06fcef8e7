"""Casos de uso de la clasificación con IA: llamadas guardadas, texto libre y trabajos."""

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import trabajos
from auth import Acceso
from config import Ajustes
from crud import clasificacion_ia as crud_clasificacion
from crud import grabacion as crud_grabacion
from crud import llamada as crud_llamada
from crud.clasificacion_ia import FiltrosClasificaciones
from crud.paginacion import PaginaFilas, PedidoPagina
from esquemas.clasificacion_ia import ClasificacionPublica
from eventos import publicar
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Sentimiento
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from observabilidad import contar_llamada_clasificada
from servicios import llamadas as servicio_llamadas
from servicios.clasificador import clasificar_texto
from servicios.clasificador.tipos import ResultadoClasificacion
from servicios.excepciones import DatoInvalido, NoEncontrado, SinPermiso
from servicios.llamadas import TIPO_CLASIFICAR, encolar_clasificacion, es_supervision
from servicios.metricas_publicacion import rehacer_dia_en_la_transaccion

log = logging.getLogger(__name__)


def contexto_de_llamada(llamada: Llamada) -> str:
    """Campos registrados de la llamada, como referencia para el LLM (no para el motor local)."""
    partes = [
        f"tipo declarado por el agente: {llamada.tipo.value}",
        f"resultado: {llamada.resultado.value}",
        f"duración: {llamada.duracion_segundos} s",
        f"dirección: {llamada.direccion.value}",
    ]
    if llamada.satisfaccion is not None:
        partes.append(f"satisfacción del cliente: {llamada.satisfaccion}/5")
    if llamada.tiempo_espera_segundos is not None:
        partes.append(f"espera en cola: {llamada.tiempo_espera_segundos} s")
    return "; ".join(partes)


def texto_a_clasificar(sesion: Session, llamada: Llamada) -> tuple[str, datetime]:
    """Lo dicho en la llamada (turnos Agente:/Cliente: de su transcripción lista) más las
    notas del agente, y el último cambio de cualquiera de los dos."""
    notas = (llamada.descripcion or "").strip()
    transcripcion = crud_grabacion.obtener_transcripcion(sesion=sesion, llamada_id=llamada.id)
    if transcripcion is None or transcripcion.estado != "lista" or not transcripcion.texto:
        return notas, llamada.actualizado_en
    texto = transcripcion.texto.strip()
    if notas:
        texto = f"{texto}\n\nNotas del agente: {notas}"
    return texto, max(llamada.actualizado_en, transcripcion.actualizado_en)


def _columnas(resultado: ResultadoClasificacion) -> dict:
    return {
        "categoria": Categoria(resultado.categoria),
        "confianza": min(1.0, max(0.0, resultado.confianza)),
        "recomendacion_agente": resultado.recomendacion_agente,
        "sentimiento": Sentimiento(resultado.sentimiento),
        "resumen": resultado.resumen,
        "motor": MotorIA(resultado.motor),
        "modelo": resultado.modelo[:120],
        "latencia_ms": resultado.latencia_ms,
        # Reclasificar (p. ej. porque cambiaron las notas) deja sin efecto una corrección previa.
        "categoria_modelo": None,
        "corregida_por_id": None,
        "corregida_en": None,
        "nota_correccion": None,
    }


def _guardar(
    sesion: Session, llamada: Llamada, resultado: ResultadoClasificacion, ajustes: Ajustes
) -> tuple[ClasificacionIA, bool]:
    """Crea o reemplaza la clasificación en su propia transacción y publica
    llamada_clasificada (la llame una petición, una tarea de fondo o la repesca). Si la llamada
    es de un día cerrado con foto, la foto se rehace en la misma transacción (una llamada
    importada o reclasificada no deja su día sumándose en vivo)."""
    datos = _columnas(resultado)

    def _en_una_transaccion() -> tuple[ClasificacionIA, bool]:
        guardada, creada = crud_clasificacion.guardar(
            sesion=sesion, llamada_id=llamada.id, datos=datos
        )
        rehacer_dia_en_la_transaccion(
            sesion=sesion, instante=llamada.fecha_hora, ajustes=ajustes, ahora=datetime.now(UTC)
        )
        sesion.commit()
        return guardada, creada

    try:
        guardada, creada = _en_una_transaccion()
    except IntegrityError:
        # Otra petición (p. ej. la clasificación automática) la creó a la vez: se reemplaza.
        sesion.rollback()
        guardada, creada = _en_una_transaccion()
    _publicar_clasificacion(sesion, guardada)
    contar_llamada_clasificada(guardada.categoria.value)
    return guardada, creada


def _publicar_clasificacion(sesion: Session, clasificacion: ClasificacionIA) -> None:
    usuario_id = crud_llamada.usuario_de_llamada(sesion=sesion, llamada_id=clasificacion.llamada_id)
    if usuario_id is None:
        return
    datos = {
        "llamada_id": clasificacion.llamada_id,
        "usuario_id": usuario_id,
        "clasificacion": ClasificacionPublica.model_validate(clasificacion).model_dump(mode="json"),
    }
    publicar(sesion, "llamada_clasificada", datos, usuario_id=usuario_id)


def clasificar_texto_libre(texto: str, *, ajustes: Ajustes) -> ResultadoClasificacion:
    """Clasifica un texto sin guardar nada."""
    return clasificar_texto(texto, ajustes=ajustes)


def clasificar_llamada(
    *, sesion: Session, actor: Usuario, llamada_id: int, ajustes: Ajustes
) -> tuple[ClasificacionIA, bool]:
    """Clasifica una llamada por sus notas y campos y la guarda; dice si es la primera vez."""
    llamada = servicio_llamadas.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    texto, _ = texto_a_clasificar(sesion, llamada)
    if not texto:
        raise DatoInvalido(
            "la llamada no tiene notas ni transcripción que clasificar", campo="descripcion"
        )
    contexto = contexto_de_llamada(llamada)
    # Cierra la transacción de lectura: no retener la conexión mientras responde el LLM.
    sesion.commit()
    resultado = clasificar_texto(texto, ajustes=ajustes, contexto=contexto)
    return _guardar(sesion, llamada, resultado, ajustes)


@trabajos.tarea(TIPO_CLASIFICAR)
def clasificar_en_segundo_plano(carga: dict[str, Any], contexto: trabajos.Contexto) -> None:
    """Trabajo durable: clasifica la llamada con lo dicho (su transcripción) y sus notas
    actuales, o quita la clasificación si ya no tiene ni una cosa ni otra; si falla, el motor
    de trabajos lo reintenta."""
    llamada_id = int(carga["llamada_id"])
    with contexto.fabrica() as sesion:
        llamada = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id)
        if llamada is None:
            return  # borrada: nada que clasificar
        texto, cambiada_en = texto_a_clasificar(sesion, llamada)
        if not texto:  # notas borradas: la clasificación anterior ya no corresponde
            if crud_clasificacion.eliminar_de_llamada(sesion=sesion, llamada_id=llamada_id):
                sesion.commit()
            return
        previa = crud_clasificacion.obtener_por_llamada(sesion=sesion, llamada_id=llamada_id)
        if previa is not None and previa.creado_en >= cambiada_en:
            return  # un intento anterior ya la guardó tras el último cambio: no se repite
        contexto_llamada = contexto_de_llamada(llamada)
        # Cierra la transacción de lectura: no retener la conexión mientras responde el LLM.
        sesion.commit()
        resultado = clasificar_texto(texto, ajustes=contexto.ajustes, contexto=contexto_llamada)
        sesion.expunge_all()
        actual = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id)
        if actual is None or texto_a_clasificar(sesion, actual)[0] != texto:
            return  # borrada o cambiada mientras tanto: el trabajo más nuevo decide
        _guardar(sesion, actual, resultado, contexto.ajustes)


def encolar_pendientes(*, fabrica: sessionmaker[Session], limite: int = 200) -> int:
    """Repesca: encola la clasificación de las llamadas con notas que no la tienen ni la
    esperan (clasificación automática apagada un tiempo, datos anteriores a los trabajos)."""
    with fabrica() as sesion:
        pendientes = crud_clasificacion.llamadas_sin_clasificar(
            sesion=sesion,
            limite=limite,
            claves_ocupadas=trabajos.subconsulta_claves_activas(sesion=sesion),
        )
        encoladas = 0
        for llamada_id in pendientes:
            encoladas += encolar_clasificacion(sesion=sesion, llamada_id=llamada_id) is not None
        sesion.commit()
    return encoladas


def listar(
    *,
    conexion: Connection,
    actor: Acceso,
    filtros: FiltrosClasificaciones,
    pedido: PedidoPagina,
    columnas: list[str],
) -> PaginaFilas:
    """Lista filtrada, en tuplas de `columnas`; a un agente, las clasificaciones de sus llamadas."""
    filtros = servicio_llamadas.filtros_visibles(actor, filtros)
    return crud_clasificacion.listar(
        conexion=conexion, filtros=filtros, pedido=pedido, columnas=columnas
    )


def obtener(*, sesion: Session, actor: Usuario, clasificacion_id: int) -> ClasificacionIA:
    """Una clasificación; un agente solo las de sus llamadas."""
    clasificacion = crud_clasificacion.obtener(sesion=sesion, clasificacion_id=clasificacion_id)
    if clasificacion is None:
        raise NoEncontrado(f"Clasificación {clasificacion_id} no encontrada")
    if not es_supervision(actor):
        llamada = crud_llamada.obtener(sesion=sesion, llamada_id=clasificacion.llamada_id)
        if llamada is None or llamada.usuario_id != actor.id:
            raise SinPermiso("Permiso denegado: la llamada pertenece a otro agente")
    return clasificacion


def obtener_de_llamada(*, sesion: Session, actor: Usuario, llamada_id: int) -> ClasificacionIA:
    """La clasificación de una llamada (404 si la llamada no existe o aún no se clasificó)."""
    llamada = servicio_llamadas.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    if llamada.clasificacion is None:
        raise NoEncontrado(f"La llamada {llamada_id} aún no tiene clasificación")
    return llamada.clasificacion
