"""Casos de uso de llamadas: quién puede registrar, ver, cambiar y borrar cada una."""

from dataclasses import replace
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, inspect
from sqlalchemy.orm import Session

import trabajos
from auth import Acceso
from config import Ajustes
from crud import clasificacion_ia as crud_clasificacion
from crud import grabacion as crud_grabacion
from crud import llamada as crud_llamada
from crud import usuario as crud_usuario
from crud.clasificacion_ia import FiltrosClasificaciones
from crud.llamada import FiltrosLlamadas
from crud.paginacion import PaginaFilas, PedidoPagina
from esquemas.clasificacion_ia import ClasificacionPublica
from esquemas.llamada import LlamadaCrear, LlamadaPublica
from eventos import publicar
from grabaciones import almacen
from modelos.enums import Rol
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from servicios import auditoria
from servicios.excepciones import DatoInvalido, NoEncontrado, SinPermiso


def es_supervision(usuario: Usuario | Acceso) -> bool:
    """Supervisores y admins ven a todo el equipo."""
    return usuario.rol in (Rol.supervisor, Rol.admin)


def _agente_destino(sesion: Session, actor: Usuario, usuario_id: int | None) -> int:
    if usuario_id is None or usuario_id == actor.id:
        return actor.id
    if not es_supervision(actor):
        raise SinPermiso("Permiso denegado: un agente solo registra sus propias llamadas")
    agente = crud_usuario.obtener(sesion=sesion, usuario_id=usuario_id)
    if agente is None:
        raise DatoInvalido(f"el usuario {usuario_id} no existe", campo="usuario_id")
    if not agente.activo:
        raise DatoInvalido(f"el usuario {usuario_id} está desactivado", campo="usuario_id")
    return agente.id


def datos_de_evento(llamada: Llamada) -> dict:
    """La llamada como la da GET /api/llamadas/{id} (con su clasificación si está cargada)."""
    datos = LlamadaPublica.model_validate(llamada).model_dump(mode="json")
    clasificacion = None
    if "clasificacion" not in inspect(llamada).unloaded and llamada.clasificacion is not None:
        clasificacion = ClasificacionPublica.model_validate(llamada.clasificacion)
    datos["clasificacion"] = clasificacion.model_dump(mode="json") if clasificacion else None
    return datos


TIPO_CLASIFICAR = "clasificar_llamada"


def hay_que_clasificar(*, antes: str | None, despues: str | None, ajustes: Ajustes) -> bool:
    """La clasificación automática actúa si está activa y las notas cambiaron."""
    return ajustes.clasificacion_automatica and (antes or "").strip() != (despues or "").strip()


def encolar_clasificacion(*, sesion: Session, llamada_id: int) -> int | None:
    """Encola la clasificación de la llamada en la transacción en curso (una por llamada)."""
    return trabajos.encolar(
        TIPO_CLASIFICAR,
        {"llamada_id": llamada_id},
        sesion=sesion,
        clave_unica=crud_clasificacion.clave_de_llamada(llamada_id),
    )


def publicar_creada(sesion: Session, llamada: Llamada) -> None:
    """Evento llamada_creada, una vez confirmada la llamada."""
    publicar(sesion, "llamada_creada", datos_de_evento(llamada), usuario_id=llamada.usuario_id)


def crear(
    *,
    sesion: Session,
    actor: Usuario,
    datos: LlamadaCrear,
    ajustes: Ajustes,
    confirmar: bool = True,
) -> Llamada:
    """Registra la llamada y, si trae notas, su trabajo de clasificación en la misma transacción;
    con confirmar=False el commit lo hace quien llama (idempotencia)."""
    valores = datos.model_dump()
    valores["usuario_id"] = _agente_destino(sesion, actor, datos.usuario_id)
    valores["fecha_hora"] = valores["fecha_hora"] or datetime.now(UTC)
    llamada = crud_llamada.crear(sesion=sesion, datos=valores)
    if hay_que_clasificar(antes=None, despues=llamada.descripcion, ajustes=ajustes):
        encolar_clasificacion(sesion=sesion, llamada_id=llamada.id)
    if confirmar:
        sesion.commit()
        publicar_creada(sesion, llamada)
    return llamada


def obtener(*, sesion: Session, actor: Usuario, llamada_id: int) -> Llamada:
    """La llamada con su clasificación; un agente solo ve las suyas."""
    llamada = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id, con_clasificacion=True)
    if llamada is None:
        raise NoEncontrado(f"Llamada {llamada_id} no encontrada")
    if not es_supervision(actor) and llamada.usuario_id != actor.id:
        raise SinPermiso("Permiso denegado: la llamada pertenece a otro agente")
    return llamada


FiltrosConAgente = TypeVar("FiltrosConAgente", FiltrosLlamadas, FiltrosClasificaciones)


def filtros_visibles(actor: Usuario | Acceso, filtros: FiltrosConAgente) -> FiltrosConAgente:
    """A un agente se le limitan los filtros a sus propias llamadas (403 si pide las de otro)."""
    if es_supervision(actor):
        return filtros
    if filtros.usuario_id not in (None, actor.id):
        raise SinPermiso("Permiso denegado: un agente solo ve sus propias llamadas")
    return replace(filtros, usuario_id=actor.id)


def listar(
    *,
    conexion: Connection,
    actor: Acceso,
    filtros: FiltrosLlamadas,
    pedido: PedidoPagina,
    columnas: list[str],
) -> PaginaFilas:
    """Lista filtrada, en tuplas de `columnas`; a un agente se le limita a sus llamadas."""
    filtros = filtros_visibles(actor, filtros)
    return crud_llamada.listar(conexion=conexion, filtros=filtros, pedido=pedido, columnas=columnas)


def actualizar(
    *, sesion: Session, actor: Usuario, llamada_id: int, cambios: dict, ajustes: Ajustes
) -> Llamada:
    """Aplica los cambios; si cambian las notas, reclasifica (trabajo en la misma transacción)."""
    llamada = obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    antes = llamada.descripcion
    # Antes de resolver el agente: un usuario_id nulo no significa "pásamela a mí".
    obligatorios = {"usuario_id", "numero_cliente", "duracion_segundos", "tipo", "resultado"}
    obligatorios |= {"fecha_hora", "direccion"}
    for campo in sorted(obligatorios & {c for c, v in cambios.items() if v is None}):
        raise DatoInvalido("no puede ser nulo", campo=campo)
    if "usuario_id" in cambios:
        cambios["usuario_id"] = _agente_destino(sesion, actor, cambios["usuario_id"])
    auditoria.llamada_cambiada(sesion=sesion, llamada=llamada, cambios=cambios)
    dueño_previo = llamada.usuario_id
    crud_llamada.actualizar(sesion=sesion, llamada=llamada, cambios=cambios)
    if hay_que_clasificar(antes=antes, despues=llamada.descripcion, ajustes=ajustes):
        encolar_clasificacion(sesion=sesion, llamada_id=llamada.id)
    sesion.commit()
    publicar(sesion, "llamada_actualizada", datos_de_evento(llamada), usuario_id=llamada.usuario_id)
    if dueño_previo != llamada.usuario_id:
        # Pasada a otro agente: para el anterior es como si se hubiera borrado.
        aviso = {"id": llamada.id, "usuario_id": dueño_previo}
        publicar(sesion, "llamada_eliminada", aviso, usuario_id=dueño_previo, supervision=False)
    return llamada


def eliminar(*, sesion: Session, llamada_id: int, grabaciones_dir: str | None = None) -> None:
    """Borra la llamada, su clasificación, su grabación y su transcripción; el fichero de
    audio, una vez confirmado el borrado."""
    llamada = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id)
    if llamada is None:
        raise NoEncontrado(f"Llamada {llamada_id} no encontrada")
    auditoria.llamada_eliminada(sesion=sesion, llamada=llamada)
    dueño = llamada.usuario_id
    grabacion = crud_grabacion.obtener(sesion=sesion, llamada_id=llamada_id)
    fichero = grabacion.fichero if grabacion else None
    crud_llamada.eliminar(sesion=sesion, llamada=llamada)
    sesion.commit()
    if fichero and grabaciones_dir:
        almacen.borrar(grabaciones_dir, fichero)
    publicar(sesion, "llamada_eliminada", {"id": llamada_id, "usuario_id": dueño}, usuario_id=dueño)
