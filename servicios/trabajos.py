"""Consulta de los trabajos en segundo plano (supervisión)."""

from sqlalchemy.orm import Session

import trabajos
from servicios.excepciones import NoEncontrado
from trabajos import EstadoTrabajo, VistaTrabajo


def listar(
    *, sesion: Session, estado: EstadoTrabajo | None, tipo: str | None, skip: int, limit: int
) -> tuple[list[VistaTrabajo], int]:
    """Trabajos filtrados, los más nuevos primero, y el total."""
    return trabajos.listar(sesion=sesion, estado=estado, tipo=tipo, skip=skip, limit=limit)


def obtener(*, sesion: Session, trabajo_id: int) -> VistaTrabajo:
    """Un trabajo por su id (404 si no existe)."""
    trabajo = trabajos.obtener(sesion=sesion, trabajo_id=trabajo_id)
    if trabajo is None:
        raise NoEncontrado(f"Trabajo {trabajo_id} no encontrado")
    return trabajo
