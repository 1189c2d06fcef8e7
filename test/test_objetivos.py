"""Objetivos de los KPIs, comparación con el periodo anterior y el periodo anterior mismo."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from modelos.medidas import MEDIDAS
from servicios import objetivos
from test.conftest import ajustes_de_prueba

MADRID = ZoneInfo("Europe/Madrid")
BOGOTA = ZoneInfo("America/Bogota")
UN_MICRO = timedelta(microseconds=1)


def _medianoche(dia: date, zona: ZoneInfo) -> datetime:
    return datetime.combine(dia, time(), zona).astimezone(UTC)


def test_evaluar_usa_los_ajustes_y_el_sentido_de_cada_medida():
    ajustes = ajustes_de_prueba(objetivo_aht_segundos=300, objetivo_nivel_servicio=0.8)
    valores = {
        "duracion_promedio_segundos": 299.5,
        "nivel_servicio": 0.79,
        "tasa_abandono": None,
        "satisfaccion_promedio": 4.0,
    }
    evaluacion = objetivos.evaluar(valores, ajustes)
    con_objetivo = {m.nombre for m in MEDIDAS if m.ajuste_objetivo}
    assert set(evaluacion) == con_objetivo
    assert evaluacion["duracion_promedio_segundos"] == {
        "valor": 299.5,
        "objetivo": 300,
        "cumple": True,
        "mayor_es_mejor": False,
    }
    assert evaluacion["nivel_servicio"]["cumple"] is False
    assert evaluacion["tasa_abandono"]["cumple"] is None
    assert evaluacion["satisfaccion_promedio"]["cumple"] is True  # igual al objetivo cumple


def test_comparar_da_cambio_tendencia_y_mejora_segun_el_sentido():
    actual = {"tasa_abandono": 0.1, "nivel_servicio": 0.9, "total_llamadas": 10}
    anterior = {"tasa_abandono": 0.05, "nivel_servicio": 0.9, "total_llamadas": 4}
    comparacion = objetivos.comparar(actual, anterior)
    assert set(comparacion) == {m.nombre for m in MEDIDAS}
    abandono = comparacion["tasa_abandono"]
    assert abandono["cambio"] == round(0.1 - 0.05, 4)
    assert (abandono["tendencia"], abandono["mejora"]) == ("sube", False)
    assert comparacion["nivel_servicio"]["tendencia"] == "igual"
    assert comparacion["nivel_servicio"]["mejora"] is None
    volumen = comparacion["total_llamadas"]
    assert (volumen["cambio"], volumen["tendencia"], volumen["mejora"]) == (6, "sube", None)
    assert comparacion["satisfaccion_promedio"]["cambio"] is None


def test_periodo_anterior_de_dias_locales_tiene_los_mismos_dias():
    # Noviembre de 2026 en Madrid: el anterior es octubre... pero del mismo largo (30 días),
    # que incluye el 25 de octubre de 25 horas.
    desde = _medianoche(date(2026, 11, 1), MADRID)
    hasta = _medianoche(date(2026, 12, 1), MADRID) - UN_MICRO
    inicio, fin = objetivos.periodo_anterior(desde, hasta, MADRID)
    assert inicio == _medianoche(date(2026, 10, 2), MADRID)
    assert fin == desde - UN_MICRO
    assert fin + UN_MICRO - inicio == timedelta(days=30, hours=1)


def test_periodo_anterior_de_instantes_tiene_la_misma_duracion():
    desde = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    hasta = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    inicio, fin = objetivos.periodo_anterior(desde, hasta, BOGOTA)
    assert fin == desde - UN_MICRO
    assert fin - inicio == hasta - desde
