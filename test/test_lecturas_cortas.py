"""Lecturas cortas de PostgreSQL en el bucle: la página y su total acotado se leen con asyncpg,
sin transacción ni trabajadores paralelos ni comprobación de la conexión; si la base cortó sus
conexiones, la lectura va a un hilo y la lista sigue contestando."""

import asyncio
import time

import pytest
from sqlalchemy import Float, Integer, bindparam, func, literal_column, select, text
from sqlalchemy.exc import DataError, OperationalError

from crud import ejecucion_directa
from crud.ejecucion_directa import RepetirEnHilo
from database import conexiones_lecturas_cortas, conexiones_por_proceso, crear_motor
from lectura_en_bucle import LectorPostgres, argumentos_asyncpg, lector_postgres_de
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
    assert cortas <= ajustes.pg_lecturas_en_bucle
    assert cortas <= max(1, (base + extra + cortas) // 4)  # el resto, para las peticiones
    assert conexiones_lecturas_cortas(ajustes_de_prueba()) == 0  # SQLite: van en el bucle


async def _ajustes_de(crudo) -> dict[str, str]:
    """Lo que la conexión del lector tiene fijado (en el bucle de las peticiones, el suyo)."""
    ajustes = {}
    for nombre in ("max_parallel_workers_per_gather", "TimeZone", "statement_timeout"):
        consulta = "SELECT setting FROM pg_settings WHERE name = $1"
        ajustes[nombre] = await crudo.fetchval(consulta, nombre)
    # Sin transacción abierta: cada sentencia es la suya (now() es el inicio de la transacción).
    primera = await crudo.fetchval("SELECT now()")
    await asyncio.sleep(0.01)
    ajustes["sin_transaccion"] = await crudo.fetchval("SELECT now()") > primera
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
    # Varias páginas seguidas, en el bucle de la app (como en un proceso de uvicorn).
    for _ in range(3):
        assert _ids(cliente, sup, limit=2) == creadas[:2]
    assert lector.repetidas == repetidas  # ninguna fue a un hilo
    assert len(lector._libres) == 1  # una conexión, reutilizada de una página a otra
    crudo = lector._libres[0]
    pid = crudo.get_server_pid()
    assert _ids(cliente, sup, limit=2) == creadas[:2]
    assert [c.get_server_pid() for c in lector._libres] == [pid]
    assert not crudo.is_in_transaction()
    ajustes = app.state.portal_de_pruebas.call(_ajustes_de, crudo)
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
    pids = [crudo.get_server_pid() for crudo in lector._libres]
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
    assert [crudo.get_server_pid() for crudo in lector._libres] not in ([], pids)


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_sin_servidor_la_lectura_va_a_un_hilo(app, motor_bd):
    if motor_bd.dialect.name != "postgresql":
        pytest.skip("solo PostgreSQL")
    # Un motor que apunta a un puerto sin servidor: el hilo dará el 503 del pool general
    # (test_bd_no_disponible.py); el bucle no se queda esperando.
    caido = crear_motor("postgresql://postgres@127.0.0.1:9/nada", app.state.ajustes, conexiones=1)
    url = caido.url.render_as_string(hide_password=False)
    lector = LectorPostgres(caido, argumentos_asyncpg(url, app.state.ajustes), 1)

    async def leer():
        return await lector.leer(lambda conexion: None)

    with pytest.raises(RepetirEnHilo):
        asyncio.run(leer())
    assert lector.repetidas == 1 and lector._libres == []
    caido.dispose()


def _lector(app, motor_bd, **sesion: str) -> LectorPostgres:
    """Un lector propio sobre la base de la prueba; `sesion`, ajustes de sesión añadidos."""
    if motor_bd.dialect.name != "postgresql":
        pytest.skip("solo PostgreSQL")
    url = motor_bd.url.render_as_string(hide_password=False)
    argumentos = argumentos_asyncpg(url, app.state.ajustes)
    argumentos["server_settings"] |= sesion
    return LectorPostgres(motor_bd, argumentos, 1)


def _pid(conexion) -> int:
    """El proceso del servidor de la conexión de una lectura."""
    return conexion.crudo.get_server_pid()


def _vivos(motor_bd, pids: list[int]) -> int:
    with motor_bd.connect() as otra:
        consulta = text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:p)")
        return otra.execute(consulta, {"p": pids}).scalar()


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

    async def cancelar() -> tuple[float, int, int, list]:
        antes = await lector.leer(_pid)
        tarea = asyncio.create_task(lector.leer(_dormir(5)))
        await asyncio.sleep(0.3)
        inicio = time.monotonic()
        tarea.cancel()
        with pytest.raises(asyncio.CancelledError):
            await tarea
        tardo = time.monotonic() - inicio
        # La misma conexión sirve para la siguiente (espera a que el servidor confirme).
        return tardo, antes, await lector.leer(_pid), await lector.leer(_dormir(0))

    tardo, antes, despues, vacia = asyncio.run(cancelar())
    assert tardo < 1
    assert despues == antes and len(vacia) == 1
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
    lector.cerrar()


def test_las_conexiones_de_un_bucle_cerrado_se_cierran(app, motor_bd):
    """Una conexión de asyncpg es de su bucle: si la siguiente lectura llega en otro, las de la
    lista se cierran (aunque su bucle ya no exista) y se abre otra."""
    lector = _lector(app, motor_bd)
    primera = asyncio.run(lector.leer(_pid))
    segunda = asyncio.run(lector.leer(_pid))
    assert segunda != primera
    limite = time.monotonic() + 2
    while _vivos(motor_bd, [primera]) and time.monotonic() < limite:
        time.sleep(0.05)
    assert _vivos(motor_bd, [primera]) == 0  # el servidor terminó la de antes
    assert [c.get_server_pid() for c in lector._libres] == [segunda]
    lector.cerrar()
    limite = time.monotonic() + 2
    while _vivos(motor_bd, [segunda]) and time.monotonic() < limite:
        time.sleep(0.05)
    assert _vivos(motor_bd, [segunda]) == 0


def test_un_error_de_la_base_sale_como_el_de_sqlalchemy(app, motor_bd):
    lector = _lector(app, motor_bd)
    division = select(literal_column("1") / bindparam("cero", type_=Integer))

    async def dos_errores():
        with pytest.raises(DataError) as division_por_cero:
            await lector.leer(lambda c: ejecucion_directa.leer(c, division, {"cero": 0}))
        # Un plazo de sentencia agotado, como en el pool general: OperationalError (el 503).
        lento = _lector(app, motor_bd, statement_timeout="100")
        with pytest.raises(OperationalError) as plazo:
            await lento.leer(_dormir(2))
        lento.cerrar()
        return division_por_cero.value, plazo.value

    division_por_cero, plazo = asyncio.run(dos_errores())
    assert division_por_cero.orig.sqlstate == "22012"
    assert plazo.orig.sqlstate == "57014"  # query_canceled
    assert lector.repetidas == 0  # no son de las que van a un hilo
    assert len(lector._libres) == 1  # la conexión sigue sana: vuelve a la lista
    lector.cerrar()


def test_argumentos_de_asyncpg_con_los_de_la_url():
    ajustes = ajustes_de_prueba(bd_timeout_sentencia_ms=1234, bd_timeout_conexion_segundos=3)
    url = "postgresql://ana:clave@db:6543/cc?options=-c%20search_path%3Dx&sslmode=require"
    argumentos = argumentos_asyncpg(url, ajustes)
    assert argumentos["server_settings"] == {
        "search_path": "x",
        "timezone": "UTC",
        "statement_timeout": "1234",
        "max_parallel_workers_per_gather": "0",
    }
    datos = {k: argumentos[k] for k in ("host", "port", "user", "password", "database", "ssl")}
    assert datos == {
        "host": "db",
        "port": 6543,
        "user": "ana",
        "password": "clave",
        "database": "cc",
        "ssl": "require",
    }
    assert argumentos["timeout"] == 3
    # Algo que asyncpg no sabe tomar: sin lector en el bucle (esas lecturas, en un hilo).
    assert argumentos_asyncpg("postgresql://db/cc?target_session_attrs=any", ajustes) is None
