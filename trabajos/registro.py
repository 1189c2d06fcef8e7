"""Tipos de trabajo y sus manejadores, estados comunes y la espera entre reintentos."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from config import Ajustes

registro = logging.getLogger("callcenter.trabajos")

ESPERA_MAXIMA_SEGUNDOS = 600.0


class EstadoTrabajo(StrEnum):
    pendiente = "pendiente"
    procesando = "procesando"
    lista = "lista"
    fallida = "fallida"


@dataclass(frozen=True, slots=True)
class Contexto:
    """Lo que recibe un manejador: su propia fábrica de sesiones, los ajustes y quién es."""

    fabrica: sessionmaker[Session]
    ajustes: Ajustes
    trabajo_id: int
    intento: int


@dataclass(frozen=True, slots=True)
class VistaTrabajo:
    """Un trabajo tal como se consulta, sea cual sea el motor que lo guarda."""

    id: int
    tipo: str
    estado: EstadoTrabajo
    carga: dict[str, Any]
    clave_unica: str | None
    intentos: int
    error: str | None
    disponible_en: datetime | None
    creado_en: datetime | None
    actualizado_en: datetime | None


Manejador = Callable[[dict[str, Any], Contexto], None]
_MANEJADORES: dict[str, Manejador] = {}


def tarea(tipo: str) -> Callable[[Manejador], Manejador]:
    """Decorador que registra el manejador de un tipo de trabajo."""

    def _registrar(funcion: Manejador) -> Manejador:
        _MANEJADORES[tipo] = funcion
        return funcion

    return _registrar


def manejador(tipo: str) -> Manejador:
    """El manejador de un tipo; KeyError si nadie lo registró."""
    return _MANEJADORES[tipo]


def tipos() -> list[str]:
    """Tipos registrados, en orden estable."""
    return sorted(_MANEJADORES)


def espera_reintento(intento: int, base: float) -> float:
    """Espera exponencial tras el intento fallido número `intento` (1, 2, …): base·2^(n-1)."""
    return min(ESPERA_MAXIMA_SEGUNDOS, base * 2 ** max(0, intento - 1))


def ejecutar(tipo: str, carga: dict[str, Any], contexto: Contexto) -> None:
    """Ejecuta un trabajo y deja constancia de su inicio y su fin en el registro."""
    registro.info("trabajo %s (%s) empieza intento %d", contexto.trabajo_id, tipo, contexto.intento)
    try:
        manejador(tipo)(carga, contexto)
    except Exception:
        registro.warning(
            "trabajo %s (%s) falla intento %d",
            contexto.trabajo_id,
            tipo,
            contexto.intento,
            exc_info=True,
        )
        raise
    registro.info("trabajo %s (%s) termina intento %d", contexto.trabajo_id, tipo, contexto.intento)
