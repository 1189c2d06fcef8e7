"""Lecturas cortas de PostgreSQL en el bucle: la página y su total acotado se leen con psycopg
asíncrono, sin transacción ni trabajadores paralelos ni comprobación de la conexión; si la base
cortó sus conexiones, la lectura va a un hilo y la lista sigue contestando."""

import asyncio
import time

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import Float, Integer, bindparam, func, literal_column, select, text
from sqlalchemy.exc import DBAPIError

from crud import ejecucion_directa
from crud.ejecucion_directa import RepetirEnHilo
from database import conexiones_lecturas_cortas, conexiones_por_proceso, crear_motor
from lectura_en_bucle import LectorPostgres, lector_postgres_de
from test.ayudas_api import clasificar, crear_llamada
from test.conftest import ajustes_de_prueba

LLAMADAS = "/api/llamadas/"


def _ids(cliente, cabeceras, **params) -> list[int]:
    respuesta = cliente.get(LLAMADAS, params=params, headers=cabeceras)
    assert respuesta.status_code == 200, respuesta.text
    return [fila["id"] for fila in respuesta.json()]


def _en_orden(llamadas: list[dict]) -> list[int]:
    """Ids en el orden de la lista: fecha y id descendentes."""
    return [c["id"] for c in sorted(llamadas, key=lambda c: (c["fecha_hora"], c["id"]))][::-1]


@pytest.mark.parametrize("workers", [1, 4, 16, 30, 45])
def test_las_conexiones_de_las_lecturas_cortas_cuentan_en_el_limite(workers):
    ajustes = ajustes_de_prueba(
        database_url="postgresql://x@localhost/x", workers=workers, pg_max_conexiones=100
    )
    base, extra = conexiones_por_proceso(ajustes)
    cortas = conexiones_lecturas_cortas(ajustes)
    assert workers * (base + extra + cortas) <= 100 - ajustes.pg_conexiones_reserva
    assert base + extra >= 2  # el pool general nunca se queda sin conexiones
    assert cortas <= ajustes.lecturas_a_la_vez
    assert conexiones_lecturas_cortas(ajustes_de_prueba()) == 0  # SQLite: van en el bucle


async def _ajustes_de(crudo) -> dict[str, str]:
    """Lo que la conexión del lector tiene fijado (en un bucle nuevo: vale en cualquiera)."""
    cursor = crudo.cursor()
    ajustes = {}
    for nombre in ("max_parallel_workers_per_gather", "TimeZone", "statement_timeout"):
        await cursor.execute("SELECT setting FROM pg_settings WHERE name = %s", (nombre,))
        ajustes[nombre] = (await cursor.fetchone())[0]
    await cursor.execute("SELECT now() = statement_timestamp()")
    ajustes["sin_transaccion"] = (await cursor.fetchone())[0]
    return ajustes


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_la_pagina_corta_se_lee_en_el_bucle(app, cliente, cabeceras, motor_bd, sesion_bd):
    agente, sup = cabeceras("agente"), cabeceras("supervisor")
    creadas = _en_orden([crear_llamada(cliente, agente) for _ in range(3)])
    lector = lector_postgres_de(app.state, motor_bd)
    if motor_bd.dialect.name == "sqlite":
        assert lector is None  # en SQLite lee el bucle con su conexión (test_lectura_en_bucle)
        assert _ids(cliente, sup, limit=2) == creadas[:2]
        return
    repetidas = lector.repetidas
    # Varias páginas seguidas (cada petición de las pruebas va en su propio bucle).
    for _ in range(3):
        assert _ids(cliente, sup, limit=2) == creadas[:2]
    assert lector.repetidas == repetidas  # ninguna fue a un hilo
    assert len(lector._libres) == 1  # una conexión, reutilizada de una página a otra
    crudo = lector._libres[0]
    assert crudo.autocommit and crudo.info.transaction_status == TransactionStatus.IDLE
    ajustes = asyncio.run(_ajustes_de(crudo))
    assert ajustes["max_parallel_workers_per_gather"] == "0"
    assert ajustes["TimeZone"] == "UTC"
    assert ajustes["statement_timeout"] == str(app.state.ajustes.bd_timeout_sentencia_ms)
    assert ajustes["sin_transaccion"]  # cada sentencia, su propia transacción
    # Una página vacía (su recuento va aparte) y la de clasificaciones, también en el bucle.
    assert _ids(cliente, sup, limit=2, tipo="logistica") == []
    clasificar(sesion_bd, creadas[0])
    respuesta = cliente.get("/api/clasificaciones-ia/", params={"limit": 2}, headers=sup)
    assert respuesta.status_code == 200, respuesta.text
    assert [c["llamada_id"] for c in respuesta.json()] == [creadas[0]]
    assert respuesta.json()[0]["confianza"] == 0.9
    assert lector.repetidas == repetidas
    # Con un total exacto o una página larga se lee en un hilo con el pool general.
    exacta = cliente.get(LLAMADAS, params={"total": "exacto"}, headers=sup)
    assert exacta.status_code == 200 and exacta.headers["X-Total-Count"] == str(len(creadas))
    assert lector.repetidas == repetidas


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_la_lista_sigue_si_la_base_corta_las_conexiones(app, cliente, cabeceras, motor_bd):
    if motor_bd.dialect.name != "postgresql":
        pytest.skip("solo PostgreSQL: SQLite no tiene conexiones que la base pueda cortar")
    agente, sup = cabeceras("agente"), cabeceras("supervisor")
    esperadas = _en_orden([crear_llamada(cliente, agente) for _ in range(4)])[:3]
    assert _ids(cliente, sup, limit=3) == esperadas
    lector = lector_postgres_de(app.state, motor_bd)
    pids = [crudo.info.backend_pid for crudo in lector._libres]
    assert pids
    with motor_bd.connect() as otra:
        for pid in pids:
            assert otra.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    repetidas = lector.repetidas
    for _ in range(3):
        assert _ids(cliente, sup, limit=3) == esperadas
    # La primera dio con la conexión cortada, la descartó y se leyó en un hilo; las demás, en
    # el bucle con una nueva.
    assert lector.repetidas == repetidas + 1
    assert [crudo.info.backend_pid for crudo in lector._libres] not in ([], pids)


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_sin_servidor_la_lectura_va_a_un_hilo(app, motor_bd):
    if motor_bd.dialect.name != "postgresql":
        pytest.skip("solo PostgreSQL")
    # Un motor que apunta a un puerto sin servidor: el hilo dará el 503 del pool general
    # (test_bd_no_disponible.py); el bucle no se queda esperando.
    caido = crear_motor("postgresql://postgres@127.0.0.1:9/nada", app.state.ajustes, conexiones=1)
    lector = LectorPostgres(caido, app.state.ajustes, 1)

    async def leer():
        return await lector.leer(lambda conexion: None)

    with pytest.raises(RepetirEnHilo):
        asyncio.run(leer())
    assert lector.repetidas == 1 and lector._libres == []
    caido.dispose()


def _lector(app, motor_bd) -> LectorPostgres:
    if motor_bd.dialect.name != "postgresql":
        pytest.skip("solo PostgreSQL")
    return LectorPostgres(motor_bd, app.state.ajustes, 1)


def _dormir(segundos: float):
    """Una lectura que espera en la base `segundos`."""
    sentencia = select(func.pg_sleep(bindparam("s", type_=Float)))
    return lambda conexion: ejecucion_directa.leer(conexion, sentencia, {"s": segundos})


def test_la_lectura_en_el_bucle_no_lo_para(app, motor_bd):
    lector = _lector(app, motor_bd)

    async def medir() -> int:
        latidos = 0

        async def latir() -> None:
            nonlocal latidos
            while True:
                await asyncio.sleep(0.02)
                latidos += 1

        tarea = asyncio.create_task(latir())
        await lector.leer(_dormir(0.5))
        tarea.cancel()
        return latidos

    assert asyncio.run(medir()) >= 10  # el bucle siguió atendiendo mientras la base esperaba
    assert len(lector._libres) == 1
    lector.cerrar()


def test_una_lectura_cancelada_no_deja_la_sentencia_en_la_base(app, motor_bd):
    """El cliente se va a mitad de una lectura: la tarea se cancela enseguida, la sentencia no
    sigue en el servidor y la conexión, si vuelve a la lista, sirve para la siguiente."""
    lector = _lector(app, motor_bd)

    async def cancelar() -> float:
        tarea = asyncio.create_task(lector.leer(_dormir(5)))
        await asyncio.sleep(0.3)
        inicio = time.monotonic()
        tarea.cancel()
        with pytest.raises(asyncio.CancelledError):
            await tarea
        return time.monotonic() - inicio

    assert asyncio.run(cancelar()) < 1
    # La cancelación llega al servidor aparte: se le dan hasta 2 s (la sentencia pedía 5).
    durmiendo = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE %s"
    limite = time.monotonic() + 2
    while True:
        with motor_bd.connect() as otra:
            activas = otra.exec_driver_sql(durmiendo, ("SELECT pg_sleep%",)).scalar()
        if activas == 0 or time.monotonic() > limite:
            break
        time.sleep(0.05)
    assert activas == 0
    assert all(c.info.transaction_status == TransactionStatus.IDLE for c in lector._libres)
    assert asyncio.run(lector.leer(_dormir(0))) == [("",)]
    lector.cerrar()


def test_un_error_de_la_base_sale_como_el_de_sqlalchemy(app, motor_bd):
    lector = _lector(app, motor_bd)
    division = select(literal_column("1") / bindparam("cero", type_=Integer))

    async def leer():
        return await lector.leer(lambda c: ejecucion_directa.leer(c, division, {"cero": 0}))

    with pytest.raises(DBAPIError) as error:
        asyncio.run(leer())
    assert getattr(error.value.orig, "sqlstate", None) == "22012"  # división por cero
    assert lector.repetidas == 0  # no es de las que van a un hilo
    assert len(lector._libres) == 1  # la conexión sigue sana: vuelve a la lista
    lector.cerrar()
