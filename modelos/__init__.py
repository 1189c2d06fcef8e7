"""Modelos SQLAlchemy 2.0, uno por tabla; importarlos aquí registra todas las tablas."""

from modelos.auditoria import Auditoria
from modelos.base import Base
from modelos.clasificacion_ia import ClasificacionIA
from modelos.llamada import Llamada
from modelos.metrica import Metrica
from modelos.reporte import Reporte
from modelos.usuario import Usuario

__all__ = ["Auditoria", "Base", "ClasificacionIA", "Llamada", "Metrica", "Reporte", "Usuario"]
