"""Casos de uso de la clasificación con IA: llamadas guardadas, texto libre y segundo plano."""

import logging
from dataclasses import replace

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from config import Ajustes
from crud import clasificacion_ia as crud_clasificacion
from crud import llamada as crud_llamada
from crud.clasificacion_ia import FiltrosClasificaciones
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Sentimiento
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from servicios import llamadas as servicio_llamadas
from servicios.clasificador import clasificar_texto
from servicios.clasificador.tipos import ResultadoClasificacion
from servicios.excepciones import DatoInvalido, NoEncontrado, SinPermiso
from servicios.llamadas import es_supervision

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
    sesion: Session, llamada_id: int, resultado: ResultadoClasificacion
) -> tuple[ClasificacionIA, bool]:
    """Crea o reemplaza la clasificación en su propia transacción."""
    datos = _columnas(resultado)
    try:
        guardada, creada = crud_clasificacion.guardar(
            sesion=sesion, llamada_id=llamada_id, datos=datos
        )
        sesion.commit()
    except IntegrityError:
        # Otra petición (p. ej. la clasificación automática) la creó a la vez: se reemplaza.
        sesion.rollback()
        guardada, creada = crud_clasificacion.guardar(
            sesion=sesion, llamada_id=llamada_id, datos=datos
        )
        sesion.commit()
    return guardada, creada


def clasificar_texto_libre(texto: str, *, ajustes: Ajustes) -> ResultadoClasificacion:
    """Clasifica un texto sin guardar nada."""
    return clasificar_texto(texto, ajustes=ajustes)


def clasificar_llamada(
    *, sesion: Session, actor: Usuario, llamada_id: int, ajustes: Ajustes
) -> tuple[ClasificacionIA, bool]:
    """Clasifica una llamada por sus notas y campos y la guarda; dice si es la primera vez."""
    llamada = servicio_llamadas.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    texto = (llamada.descripcion or "").strip()
    if not texto:
        raise DatoInvalido("descripcion: la llamada no tiene notas ni transcripción que clasificar")
    contexto = contexto_de_llamada(llamada)
    # Cierra la transacción de lectura: no retener la conexión mientras responde el LLM.
    sesion.commit()
    resultado = clasificar_texto(texto, ajustes=ajustes, contexto=contexto)
    return _guardar(sesion, llamada_id, resultado)


def clasificar_en_segundo_plano(
    *, fabrica: sessionmaker[Session], llamada_id: int, ajustes: Ajustes
) -> None:
    """Tarea de fondo con su propia sesión; nunca lanza ni toca la llamada."""
    try:
        with fabrica() as sesion:
            llamada = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id)
            if llamada is None:
                return
            texto = (llamada.descripcion or "").strip()
            if not texto:  # notas borradas: la clasificación anterior ya no corresponde
                if crud_clasificacion.eliminar_de_llamada(sesion=sesion, llamada_id=llamada_id):
                    sesion.commit()
                return
            contexto = contexto_de_llamada(llamada)
            sesion.commit()
            resultado = clasificar_texto(texto, ajustes=ajustes, contexto=contexto)
            sesion.expunge_all()
            actual = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id)
            if actual is None or (actual.descripcion or "").strip() != texto:
                return  # borrada o cambiada mientras tanto: la tarea más nueva decide
            _guardar(sesion, llamada_id, resultado)
    except Exception:
        log.exception("No se pudo clasificar la llamada %s en segundo plano", llamada_id)


def clasificar_pendientes(
    *, fabrica: sessionmaker[Session], ajustes: Ajustes, limite: int = 200
) -> int:
    """Repesca: clasifica las llamadas con notas que quedaron sin clasificación (caída del
    proceso, fallo de la tarea de fondo o clasificación automática apagada un tiempo)."""
    with fabrica() as sesion:
        pendientes = crud_clasificacion.llamadas_sin_clasificar(sesion=sesion, limite=limite)
    for llamada_id in pendientes:
        clasificar_en_segundo_plano(fabrica=fabrica, llamada_id=llamada_id, ajustes=ajustes)
    return len(pendientes)


def listar(
    *,
    sesion: Session,
    actor: Usuario,
    filtros: FiltrosClasificaciones,
    skip: int,
    limit: int,
) -> tuple[list[ClasificacionIA], int]:
    """Lista filtrada; a un agente se le limita a las clasificaciones de sus llamadas."""
    if not es_supervision(actor):
        if filtros.usuario_id not in (None, actor.id):
            raise SinPermiso("Permiso denegado: un agente solo ve sus propias llamadas")
        filtros = replace(filtros, usuario_id=actor.id)
    return crud_clasificacion.listar(sesion=sesion, filtros=filtros, skip=skip, limit=limit)


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


def descripcion_actual(*, sesion: Session, llamada_id: int) -> str | None:
    """Notas de una llamada antes de cambiarla, para saber si hay que reclasificarla."""
    return crud_clasificacion.descripcion_de_llamada(sesion=sesion, llamada_id=llamada_id)


def hay_que_clasificar(*, antes: str | None, despues: str | None, ajustes: Ajustes) -> bool:
    """La clasificación automática actúa si está activa y las notas cambiaron."""
    return ajustes.clasificacion_automatica and (antes or "").strip() != (despues or "").strip()
