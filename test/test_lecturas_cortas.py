"""Lecturas cortas de PostgreSQL: la página y su total acotado se leen con un motor propio,
sin transacción ni trabajadores paralelos ni comprobación de la conexión al sacarla del pool;
si la base cortó sus conexiones, la lectura se repite con otra y la lista sigue contestando."""

import logging

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text

from database import conexiones_lecturas_cortas, conexiones_por_proceso
from lectura_en_bucle import motor_corto_de
from test.ayudas_api import crear_llamada
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


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_la_pagina_corta_usa_su_motor_sin_transaccion(app, cliente, cabeceras, motor_bd):
    agente, sup = cabeceras("agente"), cabeceras("supervisor")
    creadas = _en_orden([crear_llamada(cliente, agente) for _ in range(3)])
    assert _ids(cliente, sup, limit=2) == creadas[:2]
    corto = motor_corto_de(app.state, motor_bd)
    if motor_bd.dialect.name == "sqlite":
        assert corto is None  # en SQLite lee el bucle (test_lectura_en_bucle.py)
        return
    assert app.state.motor_lecturas_cortas == (motor_bd, corto)
    assert corto.pool.checkedin() >= 1  # la página de arriba salió de este motor
    with corto.connect() as conexion:
        ajuste = conexion.execute(text("SHOW max_parallel_workers_per_gather")).scalar()
        assert ajuste == "0"
        crudo = conexion.connection.driver_connection
        assert crudo.autocommit
        # Sin transacción abierta tras una sentencia: cada una es la suya (sin BEGIN/ROLLBACK).
        conexion.execute(text("SELECT 1"))
        assert crudo.info.transaction_status == TransactionStatus.IDLE
        assert conexion.execute(text("SELECT now() = statement_timestamp()")).scalar()
    # Con un total exacto o una página larga se lee con el motor general (con paralelismo).
    exacta = cliente.get(LLAMADAS, params={"total": "exacto"}, headers=sup)
    assert exacta.status_code == 200 and exacta.headers["X-Total-Count"] == str(len(creadas))


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_la_lista_sigue_si_la_base_corta_las_conexiones(app, cliente, cabeceras, motor_bd, caplog):
    if motor_bd.dialect.name != "postgresql":
        pytest.skip("solo PostgreSQL: SQLite no tiene conexiones que la base pueda cortar")
    agente, sup = cabeceras("agente"), cabeceras("supervisor")
    esperadas = _en_orden([crear_llamada(cliente, agente) for _ in range(4)])[:3]
    assert _ids(cliente, sup, limit=3) == esperadas
    corto = motor_corto_de(app.state, motor_bd)
    tamano = corto.pool.size()
    # Todas las conexiones del pool a la vez, para cortar cada una de las que guarda.
    conexiones = [corto.connect() for _ in range(tamano)]
    pids = [c.execute(text("SELECT pg_backend_pid()")).scalar() for c in conexiones]
    for conexion in conexiones:
        conexion.close()
    with motor_bd.connect() as otra:
        for pid in pids:
            assert otra.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    with caplog.at_level(logging.WARNING, logger="callcenter.bd"):
        for _ in range(tamano + 1):
            assert _ids(cliente, sup, limit=3) == esperadas
    # SQLAlchemy invalida el pool entero en la primera conexión caída: se repite una sola vez.
    repetidas = [r for r in caplog.records if "se repite con otra" in r.getMessage()]
    assert len(repetidas) == 1
