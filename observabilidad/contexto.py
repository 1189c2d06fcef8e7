"""Contexto de la petición en curso (id, dirección, usuario) para el registro y la auditoría."""

from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass(slots=True)
class ContextoPeticion:
    """Objeto mutable: las copias del contexto (hilos, dependencias) ven el mismo."""

    request_id: str
    ip: str | None
    usuario_id: int | None = None


_contexto: ContextVar[ContextoPeticion | None] = ContextVar("contexto_peticion", default=None)


def contexto_actual() -> ContextoPeticion | None:
    """El contexto de la petición que se está atendiendo, o None fuera de una petición."""
    return _contexto.get()


def abrir(contexto: ContextoPeticion) -> Token:
    return _contexto.set(contexto)


def cerrar(token: Token) -> None:
    _contexto.reset(token)


def anotar_usuario(usuario_id: int) -> None:
    """Apunta el usuario autenticado: sale en la línea de registro y en la auditoría."""
    contexto = _contexto.get()
    if contexto is not None:
        contexto.usuario_id = usuario_id
