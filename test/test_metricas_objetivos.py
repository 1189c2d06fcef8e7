"""Objetivos, comparación, franjas locales, motivos y revisión en /api/metricas; reportes
automáticos mensuales en días locales, únicos y recalculados cuando llegan llamadas tardías."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Sentimiento
from modelos.llamada import Llamada
from modelos.medidas import MEDIDAS
from modelos.reporte import Reporte
from servicios import reportes

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

MADRID = ZoneInfo("Europe/Madrid")


def _medianoche(dia: date) -> datetime:
    return datetime.combine(dia, time(), MADRID).astimezone(UTC)


# (día de noviembre o de octubre, hora local, duración, resultado, categoría, sentimiento, conf.)
ACTUAL = [
    (date(2026, 11, 2), 9, 100, "resuelta", "venta", "positivo", 0.9),
    (date(2026, 11, 2), 9, 300, "colgada", "reclamo", "negativo", 0.4),
    (date(2026, 11, 3), 17, 200, "escalada", "reclamo", "negativo", 0.95),
    (date(2026, 11, 30), 23, 50, "resuelta", None, None, None),
]
ANTERIOR = [
    (date(2026, 10, 5), 10, 400, "resuelta", "soporte", "neutral", 0.8),
    (date(2026, 10, 25), 2, 500, "colgada", None, None, None),  # el día de 25 horas
]


def _cargar(sesion, usuario_id: int, filas) -> list[datetime]:
    instantes = []
    for numero, (dia, hora, duracion, resultado, categoria, sentimiento, confianza) in enumerate(
        filas
    ):
        instante = datetime.combine(dia, time(hora, 30), MADRID).astimezone(UTC)
        llamada = Llamada(
            usuario_id=usuario_id,
            numero_cliente=f"7{len(instantes)}{numero}{dia.month}",
            fecha_hora=instante,
            duracion_segundos=duracion,
            tipo="venta",
            resultado=resultado,
            direccion="entrante",
            descripcion="Llamada de prueba",
        )
        sesion.add(llamada)
        sesion.flush()
        if categoria:
            sesion.add(
                ClasificacionIA(
                    llamada_id=llamada.id,
                    categoria=Categoria(categoria),
                    sentimiento=Sentimiento(sentimiento),
                    confianza=confianza,
                    recomendacion_agente="Seguir el caso",
                    motor=MotorIA.local,
                    modelo="prueba",
                )
            )
        instantes.append(instante)
    sesion.commit()
    return instantes


@pytest.fixture
def datos(cliente, cabeceras, sesion_bd, cambiar_ajustes):
    cambiar_ajustes(zona_horaria="Europe/Madrid", objetivo_aht_segundos=180)
    agente = cliente.get("/api/usuarios/me", headers=cabeceras("agente")).json()["id"]
    _cargar(sesion_bd, agente, ACTUAL + ANTERIOR)
    return agente


def _aht(filas) -> float:
    return round(sum(f[2] for f in filas) / len(filas), 2)


def test_metricas_dan_objetivos_comparacion_franjas_motivos_y_revision(
    cliente, cabeceras, datos, app
):
    respuesta = cliente.get(
        "/api/metricas/",
        params={"desde": "2026-11-01", "hasta": "2026-11-30"},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["total_llamadas"] == len(ACTUAL)  # la del 30 a las 23:30 entra

    ajustes = app.state.ajustes
    con_objetivo = {m.nombre: m for m in MEDIDAS if m.ajuste_objetivo}
    assert set(cuerpo["objetivos"]) == set(con_objetivo)
    aht = cuerpo["objetivos"]["duracion_promedio_segundos"]
    assert aht["valor"] == _aht(ACTUAL) and aht["objetivo"] == ajustes.objetivo_aht_segundos
    assert aht["cumple"] is (_aht(ACTUAL) <= ajustes.objetivo_aht_segundos)

    comparacion = cuerpo["comparacion"]
    # Noviembre tiene 30 días: el anterior son los 30 días locales antes (2 oct - 31 oct).
    assert datetime.fromisoformat(comparacion["desde"]) == _medianoche(date(2026, 10, 2))
    volumen = comparacion["kpis"]["total_llamadas"]
    assert (volumen["actual"], volumen["anterior"]) == (len(ACTUAL), len(ANTERIOR))
    assert volumen["cambio"] == len(ACTUAL) - len(ANTERIOR)
    duracion = comparacion["kpis"]["duracion_promedio_segundos"]
    assert duracion["anterior"] == _aht(ANTERIOR)
    assert duracion["tendencia"] == ("sube" if _aht(ACTUAL) > _aht(ANTERIOR) else "baja")
    assert duracion["mejora"] is (_aht(ACTUAL) < _aht(ANTERIOR))

    horas = {f["franja"]: f for f in cuerpo["por_hora_del_dia"]}
    for hora in range(24):
        suyas = [f for f in ACTUAL if f[1] == hora]
        assert horas[hora]["total_llamadas"] == len(suyas)
        assert horas[hora]["duracion_promedio_segundos"] == (_aht(suyas) if suyas else None)
    semana = {f["franja"]: f["total_llamadas"] for f in cuerpo["por_dia_semana"]}
    assert semana == {d: sum(f[0].weekday() == d for f in ACTUAL) for d in range(7)}

    clasificadas = [f for f in ACTUAL if f[4]]
    motivos = {(m["categoria"], m["sentimiento"]): m["total_llamadas"] for m in cuerpo["motivos"]}
    assert motivos == {
        (c, s): sum((f[4], f[5]) == (c, s) for f in clasificadas)
        for c, s in {(f[4], f[5]) for f in clasificadas}
    }
    assert cuerpo["motivos"][0]["total_llamadas"] == max(motivos.values())
    revision = cuerpo["revision"]
    bajas = sum(f[6] < ajustes.confianza_revisar for f in clasificadas)
    assert (revision["clasificadas"], revision["baja_confianza"]) == (len(clasificadas), bajas)
    assert revision["cuota"] == round(bajas / len(clasificadas), 4)

    agente = cuerpo["por_agente"][0]
    assert agente["tasa_abandono"] == round(sum(f[3] == "colgada" for f in ACTUAL) / len(ACTUAL), 4)
    assert agente["tasa_escalamiento"] == round(
        sum(f[3] == "escalada" for f in ACTUAL) / len(ACTUAL), 4
    )


def test_reporte_mensual_automatico_unico_y_recalculado_con_llamadas_tardias(
    app, cliente, cabeceras, sesion_bd, datos
):
    ahora = datetime.combine(date(2026, 12, 1), time(0, 30), MADRID).astimezone(UTC)
    ajustes = app.state.ajustes
    reporte = reportes.generar_automatico(
        sesion=sesion_bd, tipo="mensual", ahora=ahora, ajustes=ajustes
    )
    otro = reportes.generar_automatico(
        sesion=sesion_bd, tipo="mensual", ahora=ahora, ajustes=ajustes
    )
    assert reporte is not None and otro is None
    assert reporte.desde == _medianoche(date(2026, 11, 1))
    assert reporte.hasta == _medianoche(date(2026, 12, 1)) - timedelta(microseconds=1)
    assert reporte.contenido["total_llamadas"] == len(ACTUAL)
    assert reportes.refrescar_obsoletos(sesion=sesion_bd, ajustes=ajustes) == []

    lista = cliente.get("/api/reportes/", headers=cabeceras("supervisor")).json()
    (publico,) = [r for r in lista if r["id"] == reporte.id]
    assert (publico["automatico"], publico["periodicidad"]) == (True, "mensual")

    _cargar(sesion_bd, datos, [(date(2026, 11, 30), 22, 70, "resuelta", None, None, None)])
    assert reportes.refrescar_obsoletos(sesion=sesion_bd, ajustes=ajustes) == [reporte.id]
    sesion_bd.expire_all()
    guardado = sesion_bd.get(Reporte, reporte.id)
    assert guardado.contenido["total_llamadas"] == len(ACTUAL) + 1
    assert guardado.actualizado_en is not None
    assert reportes.refrescar_obsoletos(sesion=sesion_bd, ajustes=ajustes) == []
