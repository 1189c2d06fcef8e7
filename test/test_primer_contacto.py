"""Regla del primer contacto en vivo: buscar una llamada posterior por cada llamada (EXISTS) y
ordenar el tramo con su ventana (`siguientes`, la forma del día de hoy) dan lo mismo, también
con llamadas en el mismo instante, justo en el borde de los 7 días y después del tramo."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crud import ejecucion_directa
from crud.metrica import (
    FiltrosMetricas,
    _sumas_preparadas,
    con_siguientes_conviene,
    consulta_vivo,
    dialecto,
)
from modelos.llamada import Llamada
from modelos.sumas import COLUMNAS_VECTOR, VENTANA_PRIMER_CONTACTO
from modelos.usuario import Usuario

INICIO = datetime(2026, 5, 4, tzinfo=UTC)
FIN = INICIO + timedelta(days=1)


def _instantes() -> list[tuple[str, datetime]]:
    """(cliente, instante): casos de borde escritos a mano y un relleno al azar con semilla."""
    casos = [
        ("empate", INICIO + timedelta(hours=3)),
        ("empate", INICIO + timedelta(hours=3)),  # mismo instante: ninguna es posterior
        ("empate-y-luego", INICIO + timedelta(hours=4)),
        ("empate-y-luego", INICIO + timedelta(hours=4)),
        ("empate-y-luego", INICIO + timedelta(hours=20)),
        ("borde", INICIO + timedelta(hours=5)),
        ("borde", INICIO + timedelta(hours=5) + VENTANA_PRIMER_CONTACTO),  # justo en la ventana
        ("fuera", INICIO + timedelta(hours=6)),
        ("fuera", INICIO + timedelta(hours=6, microseconds=1) + VENTANA_PRIMER_CONTACTO),
        ("antes", INICIO - timedelta(hours=2)),  # anterior al tramo: no cuenta como posterior
        ("antes", INICIO + timedelta(hours=7)),
    ]
    azar = random.Random(20261126)
    for _ in range(200):
        segundos = azar.randrange(-2 * 86400, 9 * 86400)
        casos.append((f"c{azar.randrange(40)}", INICIO + timedelta(seconds=segundos)))
    return casos


def _esperado(instantes: list[tuple[str, datetime]]) -> int:
    """Llamadas del tramo sin otra del mismo cliente en (instante, instante + 7 días]."""
    return sum(
        INICIO <= t < FIN
        and not any(
            otro == cliente and t < u <= t + VENTANA_PRIMER_CONTACTO for otro, u in instantes
        )
        for cliente, t in instantes
    )


@pytest.fixture
def instantes(sesion_bd) -> list[tuple[str, datetime]]:
    agente = sesion_bd.scalar(select(Usuario.id).where(Usuario.email == "agente1@example.com"))
    datos = _instantes()
    for cliente, instante in datos:
        sesion_bd.add(
            Llamada(
                usuario_id=agente,
                numero_cliente=cliente,
                fecha_hora=instante,
                duracion_segundos=60,
                tipo="consulta",
                resultado="resuelta",
                direccion="entrante",
            )
        )
    sesion_bd.commit()
    return datos


@pytest.mark.parametrize("con_siguientes", [False, True], ids=["exists", "siguientes"])
def test_las_dos_formas_del_primer_contacto_dan_lo_mismo(sesion_bd, instantes, con_siguientes):
    consulta = consulta_vivo(
        dialecto(sesion_bd), INICIO, FIN, FiltrosMetricas(), 20, None, con_siguientes
    )
    fila = sesion_bd.execute(consulta).one()
    en_tramo = sum(INICIO <= t < FIN for _, t in instantes)
    assert fila.total == en_tramo
    assert fila.primer_contacto == _esperado(instantes)
    assert 0 < fila.primer_contacto < en_tramo


@pytest.mark.parametrize("con_siguientes", [False, True], ids=["exists", "siguientes"])
def test_la_sentencia_preparada_da_lo_mismo_que_la_armada(sesion_bd, instantes, con_siguientes):
    """La de cada petición (crud.metrica.sumas_en_vivo): armada una vez por forma, con los
    instantes como parámetros y leída con el cursor del controlador, por (día, agente)."""
    nombre = dialecto(sesion_bd)
    forma = (nombre, "dia", 0, FiltrosMetricas(), 20, None, con_siguientes)
    preparada, posiciones = _sumas_preparadas(*forma)
    assert _sumas_preparadas(*forma)[0] is preparada  # la misma sentencia en cada petición
    assert ejecucion_directa.compilar(preparada, sesion_bd.get_bind().dialect) is not None
    for inicio, fin in ((INICIO, FIN), (INICIO - timedelta(days=1), FIN + timedelta(hours=5))):
        parametros = {"inicio": inicio, "fin": fin, "fin_ventana": fin + VENTANA_PRIMER_CONTACTO}
        filas = ejecucion_directa.leer(sesion_bd.connection(), preparada, parametros)
        armada = consulta_vivo(nombre, inicio, fin, FiltrosMetricas(), 20, None, con_siguientes)
        esperada = sesion_bd.execute(armada).one()._mapping
        assert {c for _, c in posiciones} == set(COLUMNAS_VECTOR)
        for indice, columna in posiciones:
            assert sum(int(f[indice] or 0) for f in filas) == int(esperada[columna] or 0)
        assert sum(f[posiciones[0][0]] for f in filas) == sum(
            inicio <= t < fin for _, t in instantes
        )


def test_solo_los_tramos_cortos_y_recientes_de_postgresql_ordenan_su_ventana():
    ahora = datetime(2026, 11, 26, 10, tzinfo=UTC)
    hoy = ahora.replace(hour=0)
    hace_un_mes = hoy - timedelta(days=30)
    assert con_siguientes_conviene("postgresql", hoy, ahora, ahora)
    assert not con_siguientes_conviene("sqlite", hoy, ahora, ahora)
    assert not con_siguientes_conviene("postgresql", hace_un_mes, ahora, ahora)
    un_dia = hace_un_mes + timedelta(days=1)
    assert not con_siguientes_conviene("postgresql", hace_un_mes, un_dia, ahora)
