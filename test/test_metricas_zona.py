"""Días civiles en la zona del centro: días de 23 y 25 horas, Bogotá, fecha sola como día
entero, fotos rehechas al cambiar de zona e invalidadas por su tramo local."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from modelos.llamada import Llamada
from modelos.metrica import Metrica
from servicios import programador

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

UNA_HORA = timedelta(hours=1)
CASOS = [
    ("Europe/Madrid", date(2026, 3, 29)),  # 23 horas
    ("Europe/Madrid", date(2026, 10, 25)),  # 25 horas
    ("America/Bogota", date(2026, 6, 15)),  # UTC−5, sin cambio de hora
]


def _local(dia: date, hora: int, minuto: int, zona: ZoneInfo, fold: int = 0) -> datetime:
    return datetime.combine(dia, time(hora, minuto), zona).replace(fold=fold).astimezone(UTC)


def _limites(dia: date, zona: ZoneInfo) -> tuple[datetime, datetime]:
    inicio = datetime.combine(dia, time(), zona).astimezone(UTC)
    return inicio, datetime.combine(dia + timedelta(days=1), time(), zona).astimezone(UTC)


def _instantes(dia: date, zona: ZoneInfo) -> list[datetime]:
    """Llamadas en los bordes del día local, en su madrugada (las dos 02:30 si se repite)
    y a las 23:30 locales, que en UTC caen en otro día."""
    inicio, fin = _limites(dia, zona)
    micro = timedelta(microseconds=1)
    return [
        inicio - micro,
        inicio,
        _local(dia, 1, 30, zona),
        _local(dia, 3, 30, zona),
        _local(dia, 2, 30, zona, fold=1),
        _local(dia, 23, 30, zona),
        fin - micro,
        fin,
    ]


def _cargar(sesion, usuario_id: int, instantes: list[datetime]) -> None:
    for numero, instante in enumerate(instantes):
        sesion.add(
            Llamada(
                usuario_id=usuario_id,
                numero_cliente=f"9{numero:03d}",
                fecha_hora=instante,
                duracion_segundos=60 + numero,
                tipo="venta",
                resultado="resuelta",
                direccion="entrante",
                descripcion="Llamada de prueba",
            )
        )
    sesion.commit()


def _agente(cliente, cabeceras) -> int:
    return cliente.get("/api/usuarios/me", headers=cabeceras("agente")).json()["id"]


@pytest.mark.parametrize(("nombre", "dia"), CASOS)
def test_un_dia_local_como_fecha_sola_cuenta_sus_horas_locales(
    cliente, cabeceras, sesion_bd, cambiar_ajustes, nombre, dia
):
    zona = ZoneInfo(nombre)
    cambiar_ajustes(zona_horaria=nombre)
    instantes = _instantes(dia, zona)
    _cargar(sesion_bd, _agente(cliente, cabeceras), instantes)
    inicio, fin = _limites(dia, zona)
    del_dia = [i for i in instantes if inicio <= i < fin]

    respuesta = cliente.get(
        "/api/metricas/",
        params={"desde": dia.isoformat(), "hasta": dia.isoformat()},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["zona_horaria"] == nombre
    assert cuerpo["total_llamadas"] == len(del_dia)
    assert datetime.fromisoformat(cuerpo["desde"]) == inicio
    assert datetime.fromisoformat(cuerpo["hasta"]) == fin - timedelta(microseconds=1)
    serie = cuerpo["serie"]
    assert len(serie) == (fin - inicio) / UNA_HORA  # 23, 24 o 25 horas
    for punto in serie:
        comienzo = datetime.fromisoformat(punto["inicio"])
        assert comienzo.utcoffset() == comienzo.astimezone(zona).utcoffset()  # hora local
        esperadas = sum(comienzo <= i < comienzo + UNA_HORA for i in del_dia)
        assert punto["total_llamadas"] == esperadas, punto["inicio"]
    por_hora = {f["franja"]: f["total_llamadas"] for f in cuerpo["por_hora_del_dia"]}
    for hora in range(24):
        assert por_hora[hora] == sum(i.astimezone(zona).hour == hora for i in del_dia)


def _ejecutar(app, ahora: datetime, **cambios):
    ajustes = app.state.ajustes.model_copy(update=cambios)
    return programador.ejecutar(fabrica=app.state.fabrica_sesiones, ajustes=ajustes, ahora=ahora)


def test_fotos_en_dias_locales_se_rehacen_al_cambiar_de_zona(
    app, cliente, cabeceras, sesion_bd, cambiar_ajustes
):
    madrid, bogota = ZoneInfo("Europe/Madrid"), ZoneInfo("America/Bogota")
    dias = [date(2026, 10, 23) + timedelta(days=n) for n in range(5)]  # el 25, de 25 horas
    instantes = [i for dia in dias for i in _instantes(dia, madrid)]
    _cargar(sesion_bd, _agente(cliente, cabeceras), instantes)
    ahora = _local(dias[-1] + timedelta(days=2), 12, 0, madrid)
    periodo = {"desde": dias[1].isoformat(), "hasta": dias[-2].isoformat()}

    for nombre, zona in (("Europe/Madrid", madrid), ("America/Bogota", bogota)):
        cambiar_ajustes(zona_horaria=nombre)
        _ejecutar(app, ahora, zona_horaria=nombre)
        sesion_bd.expire_all()
        foto = sesion_bd.scalar(select(Metrica).where(Metrica.fecha == dias[2]))
        inicio, fin = _limites(dias[2], zona)
        assert (foto.zona, foto.inicio, foto.fin, foto.vigente) == (nombre, inicio, fin, True)
        assert foto.total_llamadas == sum(inicio <= i < fin for i in instantes)

        cuerpo = cliente.get(
            "/api/metricas/", params=periodo, headers=cabeceras("supervisor")
        ).json()
        assert cuerpo["dias_desde_fotos"] == len(dias) - 2
        desde, _ = _limites(dias[1], zona)
        _, hasta = _limites(dias[-2], zona)
        assert cuerpo["total_llamadas"] == sum(desde <= i < hasta for i in instantes)
        for punto in cuerpo["serie"]:
            dia = datetime.fromisoformat(punto["inicio"]).date()
            inicio_dia, fin_dia = _limites(dia, zona)
            assert punto["total_llamadas"] == sum(inicio_dia <= i < fin_dia for i in instantes)

    # Tras volver a Madrid sin rehacer las fotos, las de Bogotá no valen.
    cambiar_ajustes(zona_horaria="Europe/Madrid")
    cuerpo = cliente.get("/api/metricas/", params=periodo, headers=cabeceras("supervisor")).json()
    assert cuerpo["dias_desde_fotos"] == 0


def test_llamada_tardia_invalida_la_foto_de_su_dia_local(app, cliente, cabeceras, sesion_bd):
    bogota = ZoneInfo("America/Bogota")
    dia = date(2026, 6, 15)
    agente = _agente(cliente, cabeceras)
    _cargar(sesion_bd, agente, [_local(dia, 10, 0, bogota)])
    _ejecutar(app, _local(dia + timedelta(days=1), 12, 0, bogota), zona_horaria="America/Bogota")
    foto = sesion_bd.scalar(select(Metrica).where(Metrica.fecha == dia))
    assert foto.vigente
    # 23:30 en Bogotá es ya el día siguiente en UTC: invalida la foto del 15 local.
    _cargar(sesion_bd, agente, [_local(dia, 23, 30, bogota)])
    sesion_bd.expire_all()
    assert not sesion_bd.get(Metrica, foto.id).vigente
