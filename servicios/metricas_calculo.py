"""Del vector de sumas a los KPIs: todo sale de la lista de medidas y de las distribuciones."""

from datetime import datetime

from crud.metrica import Vector
from esquemas.metrica import KPIAgente, PuntoSerie
from modelos.medidas import MEDIDAS
from modelos.sumas import DISTRIBUCIONES


def dividir(numerador: int, denominador: int, decimales: int) -> float | None:
    """Cociente redondeado; None si no hay denominador."""
    return round(numerador / denominador, decimales) if denominador else None


def indicadores(v: Vector, *, solo: str | None = None) -> dict:
    """Cada medida de MEDIDAS calculada sobre el vector (solo las marcadas con `solo`)."""
    return {m.nombre: m.calcular(v) for m in MEDIDAS if solo is None or getattr(m, solo)}


def distribuciones(v: Vector) -> dict:
    return {
        d.nombre: {
            clave: v[columna] for clave, columna in zip(d.claves(), d.columnas(), strict=True)
        }
        for d in DISTRIBUCIONES
    }


def resumen(v: Vector) -> dict:
    """Indicadores y distribuciones (el contenido de una foto diaria)."""
    return {**indicadores(v), **distribuciones(v)}


def kpi_agente(usuario_id: int, nombre: str, v: Vector) -> KPIAgente:
    return KPIAgente(usuario_id=usuario_id, nombre=nombre, **indicadores(v, solo="por_agente"))


def punto_serie(inicio: datetime, v: Vector) -> PuntoSerie:
    return PuntoSerie(inicio=inicio, **indicadores(v, solo="en_serie"))
