"""Tablero en vivo: cada cifra del día local frente a los datos de la propia prueba."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Sentimiento
from servicios.tablero import franjas_horarias
from test.ayudas_api import crear_usuario, datos_llamada, id_usuario

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")


def _zona_de_media_tarde(ahora: datetime) -> str:
    """Zona fija en la que ahora son las 15:xx: el día local tiene horas antes y después."""
    desfase = 15 - ahora.hour
    desfase = desfase - 24 if desfase > 14 else desfase + 24 if desfase < -12 else desfase
    return "Etc/GMT" if desfase == 0 else f"Etc/GMT{'-' if desfase > 0 else '+'}{abs(desfase)}"


def _clasificar(sesion, llamada_id: int, categoria: str, sentimiento: str, confianza: float):
    sesion.add(
        ClasificacionIA(
            llamada_id=llamada_id,
            categoria=Categoria(categoria),
            confianza=confianza,
            recomendacion_agente="Seguir el protocolo",
            sentimiento=Sentimiento(sentimiento),
            resumen=None,
            motor=MotorIA.local,
            modelo="prueba",
            latencia_ms=1.0,
        )
    )


@pytest.fixture
def escenario(cliente, cabeceras, cambiar_ajustes, sesion_bd):
    """Llamadas de hoy, de ayer y del mismo día de la semana pasada, en una zona conocida."""
    ahora = datetime.now(UTC)
    zona_nombre = _zona_de_media_tarde(ahora)
    cambiar_ajustes(zona_horaria=zona_nombre)
    zona = ZoneInfo(zona_nombre)
    medianoche = datetime.combine(ahora.astimezone(zona).date(), datetime.min.time(), zona)
    a = id_usuario(cliente, cabeceras("agente"))
    b = crear_usuario(cliente, cabeceras("admin"), nombre="Beatriz", email="b@example.com")["id"]
    sup = cabeceras("supervisor")

    def hoy(horas: float) -> datetime:
        return medianoche + timedelta(hours=horas)

    def hace(minutos: int) -> datetime:
        return ahora - timedelta(minutes=minutos)

    # (agente, cliente, instante, duración, resultado, csat, espera, clasificación)
    filas = [
        (a, "700", hoy(9), 100, "resuelta", 5, 10, ("venta", "positivo", 0.9)),
        (a, "701", hoy(10), 200, "colgada", None, 40, ("soporte", "neutral", 0.5)),
        (b, "700", hoy(10.5), 300, "escalada", 2, None, ("reclamo", "negativo", 0.95)),
        (b, "702", hoy(14), 60, "atendida", 3, 15, None),
        (a, "710", hace(5), 120, "resuelta", 4, 20, ("reclamo", "negativo", 0.55)),
        (b, "711", hace(10), 120, "resuelta", 4, 20, ("reclamo", "negativo", 0.55)),
        (a, "712", hace(20), 120, "resuelta", 4, 20, ("reclamo", "negativo", 0.55)),
        (b, "713", hace(30), 120, "resuelta", 4, 20, ("reclamo", "negativo", 0.55)),
        (a, "799", hoy(-1), 50, "resuelta", 1, 5, ("reclamo", "negativo", 0.99)),
        (a, "790", hoy(9.25) - timedelta(days=7), 80, "resuelta", None, None, None),
        (b, "791", hoy(10.75) - timedelta(days=7), 80, "resuelta", None, None, None),
    ]
    llamadas = []
    for agente, numero, instante, duracion, resultado, csat, espera, clase in filas:
        cuerpo = datos_llamada(
            usuario_id=agente,
            numero_cliente=numero,
            fecha_hora=instante.isoformat(),
            duracion_segundos=duracion,
            resultado=resultado,
            satisfaccion=csat,
            tiempo_espera_segundos=espera,
        )
        respuesta = cliente.post("/api/llamadas/", json=cuerpo, headers=sup)
        assert respuesta.status_code == 201, respuesta.text
        llamadas.append((respuesta.json()["id"], agente, instante, clase))
        if clase:
            _clasificar(sesion_bd, respuesta.json()["id"], *clase)
    sesion_bd.commit()
    cliente.put(
        "/api/estados-agente/me", json={"estado": "en_llamada"}, headers=cabeceras("agente")
    )
    return {
        "zona": zona,
        "ahora": ahora,
        "medianoche": medianoche,
        "a": a,
        "b": b,
        "llamadas": llamadas,
    }


def test_tablero_da_las_cifras_exactas_del_dia_local(cliente, cabeceras, escenario):
    respuesta = cliente.get("/api/tablero/", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200, respuesta.text
    tablero = respuesta.json()
    assert tablero["zona_horaria"] == str(escenario["zona"])
    # Hoy: las 8 primeras filas. Duraciones 1140 s; CSAT 26/7; esperas 145/7 con 6 dentro de 20 s;
    # el cliente 700 vuelve a llamar, así que su primera llamada no resolvió al primer contacto.
    assert tablero["hoy"] == {
        "total_llamadas": 8,
        "aht_segundos": round(1140 / 8, 2),
        "csat_promedio": round(26 / 7, 2),
        "fcr": round(7 / 8, 4),
        "nivel_servicio": round(6 / 7, 4),
        "nivel_servicio_segundos": 20,
        "abandono": round(1 / 8, 4),
        "escalamiento": round(1 / 8, 4),
        "espera_promedio_segundos": round(145 / 7, 2),
    }
    assert tablero["categorias"] == {"venta": 1, "soporte": 1, "reclamo": 5, "sin_clasificar": 1}
    assert tablero["sentimiento_negativo"] == round(5 / 7, 4)

    horas = (escenario["ahora"] - escenario["medianoche"]).total_seconds() / 3600
    alerta = tablero["alerta_reclamos"]
    assert alerta["activa"] is True and alerta["ultima_hora"] == 4
    assert alerta["promedio_hora"] == pytest.approx(5 / horas, abs=0.011)
    assert alerta["umbral"] == pytest.approx(1.5 * 5 / horas, abs=0.011)

    esperado_hoy, esperado_pasada = [0] * 24, [0] * 24
    for _, _, instante, _ in escenario["llamadas"]:
        local = instante.astimezone(escenario["zona"])
        if local.date() == escenario["medianoche"].date():
            esperado_hoy[local.hour] += 1
        elif local.date() == escenario["medianoche"].date() - timedelta(days=7):
            esperado_pasada[local.hour] += 1
    assert tablero["por_hora"] == [
        {"hora": h, "hoy": esperado_hoy[h], "semana_pasada": esperado_pasada[h]} for h in range(24)
    ]
    assert esperado_pasada[9] == esperado_pasada[10] == 1


def test_tablero_agentes_con_estado_y_cifras_de_hoy(cliente, cabeceras, escenario):
    agentes = cliente.get("/api/tablero/", headers=cabeceras("supervisor")).json()["agentes"]
    por_id = {fila["usuario_id"]: fila for fila in agentes}
    a, b = por_id[escenario["a"]], por_id[escenario["b"]]
    assert (a["estado"], a["llamadas_hoy"], a["aht_segundos"]) == ("en_llamada", 4, 135.0)
    assert a["csat_promedio"] == round(13 / 3, 2)
    assert 0 <= a["segundos_en_estado"] < 60
    assert (b["estado"], b["llamadas_hoy"], b["aht_segundos"], b["csat_promedio"]) == (
        "desconectado",
        4,
        150.0,
        3.25,
    )


def test_tablero_ultimas_llamadas_marca_las_de_baja_confianza(cliente, cabeceras, escenario):
    ultimas = cliente.get("/api/tablero/", headers=cabeceras("supervisor")).json()[
        "ultimas_llamadas"
    ]
    orden = sorted(escenario["llamadas"], key=lambda f: (f[2], f[0]), reverse=True)
    assert [fila["id"] for fila in ultimas] == [f[0] for f in orden]
    for fila, (_, agente, _, clase) in zip(ultimas, orden, strict=True):
        assert fila["usuario_id"] == agente
        assert fila["categoria"] == (clase[0] if clase else None)
        assert fila["revisar"] is bool(clase and clase[2] < 0.6)
    assert sum(fila["revisar"] for fila in ultimas) == 5


def test_tablero_agente_da_solo_las_cifras_propias(cliente, cabeceras, escenario):
    respuesta = cliente.get("/api/tablero/agente", headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["estado"]["estado"] == "en_llamada"
    assert cuerpo["hoy"]["total_llamadas"] == 4
    assert cuerpo["hoy"]["aht_segundos"] == 135.0
    assert cuerpo["hoy"]["abandono"] == 0.25
    assert cuerpo["categorias"] == {"venta": 1, "soporte": 1, "reclamo": 2, "sin_clasificar": 0}
    assert cuerpo["sentimiento_negativo"] == 0.5


def test_tablero_sin_token_da_401_y_agente_da_403(cliente, cabeceras):
    for ruta in ("/api/tablero/", "/api/tablero/agente"):
        respuesta = cliente.get(ruta)
        assert respuesta.status_code == 401 and respuesta.headers["WWW-Authenticate"] == "Bearer"
    prohibido = cliente.get("/api/tablero/", headers=cabeceras("agente"))
    assert prohibido.status_code == 403 and "supervisor" in prohibido.json()["detail"]


def test_tablero_vacio_no_inventa_cifras(cliente, cabeceras):
    tablero = cliente.get("/api/tablero/", headers=cabeceras("admin")).json()
    assert tablero["hoy"]["total_llamadas"] == 0 and tablero["hoy"]["aht_segundos"] is None
    assert tablero["sentimiento_negativo"] is None and tablero["ultimas_llamadas"] == []
    assert tablero["alerta_reclamos"] == {
        "activa": False,
        "ultima_hora": 0,
        "promedio_hora": 0.0,
        "umbral": 0.0,
    }
    assert tablero["umbrales"]["nivel_servicio_objetivo"] == 0.8


@pytest.mark.parametrize(
    ("zona", "dia", "horas_reales", "horas_locales"),
    [
        ("Europe/Madrid", date(2026, 3, 29), 23, [h for h in range(24) if h != 2]),  # 2 -> 3
        ("Europe/Madrid", date(2026, 10, 25), 25, list(range(24))),  # las 2 duran dos horas
        ("Asia/Kolkata", date(2026, 6, 1), 24, list(range(24))),  # UTC+5:30
    ],
)
def test_franjas_por_hora_local_con_cambio_de_hora(zona, dia, horas_reales, horas_locales):
    franjas = franjas_horarias(dia, ZoneInfo(zona))
    duraciones = {clave: (fin - inicio).total_seconds() / 3600 for clave, inicio, fin in franjas}
    assert sum(duraciones.values()) == horas_reales
    assert [clave for clave, _, _ in franjas] == horas_locales
    assert max(duraciones.values()) == (2 if horas_reales == 25 else 1)
    for clave, inicio, fin in franjas:
        assert inicio.astimezone(ZoneInfo(zona)).hour == clave
        assert (fin - timedelta(microseconds=1)).astimezone(ZoneInfo(zona)).hour == clave


def test_zona_horaria_desconocida_se_rechaza_al_arrancar():
    from pydantic import ValidationError

    from test.conftest import ajustes_de_prueba

    with pytest.raises(ValidationError, match="ZONA_HORARIA"):
        ajustes_de_prueba(zona_horaria="Marte/Olympus")
