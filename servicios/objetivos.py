"""Objetivos de los KPIs (ajustes OBJETIVO_*) y comparación con el periodo anterior.

Todo sale de `modelos.medidas.MEDIDAS`: qué medidas tienen objetivo (`ajuste_objetivo`) y
en qué sentido mejoran (`mayor_es_mejor`).
"""

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from config import Ajustes, obtener_ajustes
from modelos.medidas import MEDIDAS

Tendencia = Literal["sube", "baja", "igual"]
UN_MICROSEGUNDO = timedelta(microseconds=1)


def _valores(indicadores: Any) -> Mapping[str, Any]:
    return indicadores if isinstance(indicadores, Mapping) else indicadores.model_dump()


def objetivos(ajustes: Ajustes | None = None) -> dict[str, float]:
    """{kpi: objetivo} de las medidas con objetivo configurado."""
    ajustes = ajustes or obtener_ajustes()
    return {
        m.nombre: getattr(ajustes, m.ajuste_objetivo)
        for m in MEDIDAS
        if m.ajuste_objetivo and getattr(ajustes, m.ajuste_objetivo) is not None
    }


def cumple(valor: float | None, objetivo: float, mayor_es_mejor: bool) -> bool | None:
    if valor is None:
        return None
    return valor >= objetivo if mayor_es_mejor else valor <= objetivo


def evaluar(indicadores: Any, ajustes: Ajustes | None = None) -> dict[str, dict]:
    """{kpi: {valor, objetivo, cumple, mayor_es_mejor}} de cada KPI con objetivo."""
    valores = _valores(indicadores)
    resultado = {}
    por_nombre = {m.nombre: m for m in MEDIDAS}
    for nombre, objetivo in objetivos(ajustes).items():
        medida = por_nombre[nombre]
        valor = valores.get(nombre)
        resultado[nombre] = {
            "valor": valor,
            "objetivo": objetivo,
            "cumple": cumple(valor, objetivo, bool(medida.mayor_es_mejor)),
            "mayor_es_mejor": medida.mayor_es_mejor,
        }
    return resultado


def tendencia(actual: float | None, anterior: float | None) -> Tendencia:
    if actual is None or anterior is None or actual == anterior:
        return "igual"
    return "sube" if actual > anterior else "baja"


def comparar(actual: Any, anterior: Any) -> dict[str, dict]:
    """{kpi: {actual, anterior, cambio, tendencia, mejora}} de cada medida del periodo."""
    ahora, antes = _valores(actual), _valores(anterior)
    resultado = {}
    for medida in MEDIDAS:
        valor, previo = ahora.get(medida.nombre), antes.get(medida.nombre)
        cambio = None
        if valor is not None and previo is not None:
            cambio = round(valor - previo, medida.decimales)
        sentido = tendencia(valor, previo)
        mejora = None
        if medida.mayor_es_mejor is not None and sentido != "igual":
            mejora = (sentido == "sube") == medida.mayor_es_mejor
        resultado[medida.nombre] = {
            "actual": valor,
            "anterior": previo,
            "cambio": cambio,
            "tendencia": sentido,
            "mejora": mejora,
        }
    return resultado


def _es_medianoche(instante: datetime, zona: ZoneInfo) -> bool:
    return instante.astimezone(zona).time() == time()


def periodo_anterior(
    desde: datetime, hasta: datetime, zona: ZoneInfo | None = None
) -> tuple[datetime, datetime]:
    """Periodo del mismo largo inmediatamente antes de [desde, hasta] (hasta inclusive).

    Si el periodo son días locales enteros (desde a medianoche y hasta justo antes de una
    medianoche), el anterior tiene los mismos días locales, aunque uno dure 23 o 25 horas.
    """
    zona = zona or obtener_ajustes().zona
    fin = hasta + UN_MICROSEGUNDO
    if _es_medianoche(desde, zona) and _es_medianoche(fin, zona):
        dias = (fin.astimezone(zona).date() - desde.astimezone(zona).date()).days
        primer_dia = desde.astimezone(zona).date() - timedelta(days=dias)
        inicio = datetime.combine(primer_dia, time(), zona).astimezone(UTC)
        return inicio, desde - UN_MICROSEGUNDO
    return desde - (fin - desde), desde - UN_MICROSEGUNDO
