"""Modelos SQLAlchemy 2.0, uno por tabla; importarlos aquí registra todas las tablas."""

from modelos.auditoria import Auditoria
from modelos.base import Base
from modelos.clasificacion_ia import ClasificacionIA
from modelos.clave_idempotencia import ClaveIdempotencia
from modelos.estado_agente import EstadoActual, TransicionEstado
from modelos.grabacion import Grabacion, Transcripcion
from modelos.llamada import Llamada
from modelos.metrica import Metrica
from modelos.reporte import Reporte
from modelos.trabajo import TareaPeriodica, Trabajo, TrabajoError
from modelos.usuario import Usuario

__all__ = [
    "Auditoria",
    "Base",
    "ClasificacionIA",
    "ClaveIdempotencia",
    "EstadoActual",
    "Grabacion",
    "Llamada",
    "Metrica",
    "Reporte",
    "TareaPeriodica",
    "Trabajo",
    "Transcripcion",
    "TrabajoError",
    "TransicionEstado",
    "Usuario",
]
