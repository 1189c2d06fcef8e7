"""Trabajos durables en segundo plano, con una sola interfaz para los dos motores.

- `encolar(tipo, carga, sesion=..., clave_unica=...)` guarda el trabajo en la transacción
  de la sesión: si la escritura se confirma, el trabajo existe; si no, tampoco.
- `@tarea("tipo")` registra el manejador `(carga, contexto) -> None` de un tipo.
- `crear_trabajador(...)` arranca, en cada proceso, hilos y conexiones propios que
  ejecutan los trabajos: procrastinate en PostgreSQL y el motor local en SQLite.

Estados: pendiente -> procesando -> lista, o fallida tras agotar los reintentos (con
espera exponencial). Un trabajo interrumpido (kill -9) se retoma cuando caduca su latido;
los trabajos con la misma clave nunca corren a la vez.
"""

import os
import socket
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.orm import Session

from config import Ajustes
from database import crear_motor
from trabajos import local
from trabajos.consultas import (
    contar_por_estado,
    en_marcha,
    es_postgresql,
    listar,
    obtener,
    profundidad,
    subconsulta_claves_activas,
)
from trabajos.periodicos import tomar_turno
from trabajos.registro import Contexto, EstadoTrabajo, VistaTrabajo, tarea, tipos

__all__ = [
    "Contexto",
    "EstadoTrabajo",
    "Trabajador",
    "VistaTrabajo",
    "contar_por_estado",
    "crear_trabajador",
    "en_marcha",
    "encolar",
    "identidad",
    "listar",
    "obtener",
    "profundidad",
    "subconsulta_claves_activas",
    "tarea",
    "tipos",
    "tomar_turno",
]


class Trabajador(Protocol):
    nombre: str

    def iniciar(self) -> None: ...

    def detener(self, espera: float = 30.0) -> None: ...


def identidad() -> str:
    """Nombre único de este proceso: máquina, pid y un sufijo al azar."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def encolar(
    tipo: str, carga: dict[str, Any], *, sesion: Session, clave_unica: str | None = None
) -> int | None:
    """Encola un trabajo en la transacción de `sesion` (el que llama hace el commit).

    Con `clave_unica`, como mucho hay un trabajo sin empezar por clave (devuelve None si ya
    lo había) y los de la misma clave nunca corren a la vez.
    """
    if es_postgresql(sesion):
        from trabajos import postgresql

        return postgresql.encolar(sesion=sesion, tipo=tipo, carga=carga, clave_unica=clave_unica)
    return local.encolar(sesion=sesion, tipo=tipo, carga=carga, clave_unica=clave_unica)


def crear_trabajador(
    *, url: str, ajustes: Callable[[], Ajustes], hilos: int, bus: object | None = None
) -> Trabajador:
    """El trabajador de este proceso, con su propio motor de base de datos (hilos + 1); con bus,
    lo que hacen sus trabajos (una clasificación guardada) se publica como evento en vivo."""
    motor = crear_motor(url, conexiones=hilos + 1)
    opciones = {"motor": motor, "ajustes": ajustes, "hilos": hilos, "nombre": identidad()}
    if motor.dialect.name == "postgresql":
        from trabajos.postgresql import TrabajadorPostgreSQL

        return TrabajadorPostgreSQL(**opciones, bus=bus)
    return local.TrabajadorLocal(**opciones, bus=bus)
