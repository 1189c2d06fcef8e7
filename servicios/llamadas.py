"""Casos de uso de llamadas: quién puede registrar, ver, cambiar y borrar cada una."""

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from crud import llamada as crud_llamada
from crud import usuario as crud_usuario
from crud.llamada import FiltrosLlamadas
from esquemas.llamada import LlamadaCrear
from modelos.enums import Rol
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from servicios import auditoria
from servicios.excepciones import DatoInvalido, NoEncontrado, SinPermiso


def es_supervision(usuario: Usuario) -> bool:
    """Supervisores y admins ven a todo el equipo."""
    return usuario.rol in (Rol.supervisor, Rol.admin)


def _agente_destino(sesion: Session, actor: Usuario, usuario_id: int | None) -> int:
    if usuario_id is None or usuario_id == actor.id:
        return actor.id
    if not es_supervision(actor):
        raise SinPermiso("Permiso denegado: un agente solo registra sus propias llamadas")
    agente = crud_usuario.obtener(sesion=sesion, usuario_id=usuario_id)
    if agente is None:
        raise DatoInvalido(f"usuario_id: el usuario {usuario_id} no existe")
    if not agente.activo:
        raise DatoInvalido(f"usuario_id: el usuario {usuario_id} está desactivado")
    return agente.id


def crear(*, sesion: Session, actor: Usuario, datos: LlamadaCrear) -> Llamada:
    valores = datos.model_dump()
    valores["usuario_id"] = _agente_destino(sesion, actor, datos.usuario_id)
    valores["fecha_hora"] = valores["fecha_hora"] or datetime.now(UTC)
    llamada = crud_llamada.crear(sesion=sesion, datos=valores)
    sesion.commit()
    return llamada


def obtener(*, sesion: Session, actor: Usuario, llamada_id: int) -> Llamada:
    """La llamada con su clasificación; un agente solo ve las suyas."""
    llamada = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id, con_clasificacion=True)
    if llamada is None:
        raise NoEncontrado(f"Llamada {llamada_id} no encontrada")
    if not es_supervision(actor) and llamada.usuario_id != actor.id:
        raise SinPermiso("Permiso denegado: la llamada pertenece a otro agente")
    return llamada


def listar(
    *, sesion: Session, actor: Usuario, filtros: FiltrosLlamadas, skip: int, limit: int
) -> tuple[list[Llamada], int]:
    """Lista filtrada; a un agente se le limita a sus propias llamadas."""
    if not es_supervision(actor):
        if filtros.usuario_id not in (None, actor.id):
            raise SinPermiso("Permiso denegado: un agente solo ve sus propias llamadas")
        filtros = replace(filtros, usuario_id=actor.id)
    return crud_llamada.listar(sesion=sesion, filtros=filtros, skip=skip, limit=limit)


def actualizar(*, sesion: Session, actor: Usuario, llamada_id: int, cambios: dict) -> Llamada:
    llamada = obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    # Antes de resolver el agente: un usuario_id nulo no significa "pásamela a mí".
    obligatorios = {"usuario_id", "numero_cliente", "duracion_segundos", "tipo", "resultado"}
    obligatorios |= {"fecha_hora", "direccion"}
    for campo in sorted(obligatorios & {c for c, v in cambios.items() if v is None}):
        raise DatoInvalido(f"{campo}: no puede ser nulo")
    if "usuario_id" in cambios:
        cambios["usuario_id"] = _agente_destino(sesion, actor, cambios["usuario_id"])
    auditoria.llamada_cambiada(sesion=sesion, llamada=llamada, cambios=cambios)
    crud_llamada.actualizar(sesion=sesion, llamada=llamada, cambios=cambios)
    sesion.commit()
    return llamada


def eliminar(*, sesion: Session, llamada_id: int) -> None:
    """Borra la llamada y su clasificación en la misma transacción."""
    llamada = crud_llamada.obtener(sesion=sesion, llamada_id=llamada_id)
    if llamada is None:
        raise NoEncontrado(f"Llamada {llamada_id} no encontrada")
    auditoria.llamada_eliminada(sesion=sesion, llamada=llamada)
    crud_llamada.eliminar(sesion=sesion, llamada=llamada)
    sesion.commit()
