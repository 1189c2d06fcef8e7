"""Lecturas cortas de SQLite en el bucle: el presupuesto interrumpe una lectura larga sin dejar
nada abierto, la conexión no escribe y la lista sale igual en el bucle que en un hilo."""

import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from database import crear_motor
from lectura_en_bucle import LectorEnBucle, RepetirEnHilo, crear_lector
from test.ayudas_api import crear_llamada

FILAS = 3000
LLAMADAS = "/api/llamadas/"


@pytest.fixture
def base(tmp_path):
    """Un fichero SQLite con FILAS filas y su motor (WAL, como el de la app)."""
    ruta = tmp_path / "lectura.db"
    motor = crear_motor(f"sqlite:///{ruta}")
    with motor.begin() as conexion:
        conexion.execute(text("CREATE TABLE t (x INTEGER)"))
        conexion.execute(text("INSERT INTO t (x) VALUES (:x)"), [{"x": i} for i in range(FILAS)])
    yield ruta, motor
    motor.dispose()


def test_una_lectura_larga_se_interrumpe_y_la_conexion_sigue_sirviendo(base):
    ruta, motor = base
    lector = crear_lector(motor, 20_000)
    assert isinstance(lector, LectorEnBucle)
    producto = text("SELECT count(*) FROM t AS a, t AS b")  # FILAS² pasos: muy por encima
    with pytest.raises(RepetirEnHilo):
        lector.leer(lambda conexion: conexion.execute(producto).scalar())
    assert lector.interrumpidas == 1
    # La misma conexión sigue leyendo, y lo corto cabe en el presupuesto.
    suma = lector.leer(lambda conexion: conexion.execute(text("SELECT sum(x) FROM t")).scalar())
    assert suma == sum(range(FILAS))
    # Ninguna transacción de lectura quedó abierta: otro proceso vacía el WAL entero.
    with sqlite3.connect(ruta) as otra:
        otra.execute("INSERT INTO t (x) VALUES (-1)")
        otra.commit()
        ocupada, _paginas, _copiadas = otra.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert ocupada == 0
    assert lector.leer(lambda c: c.execute(text("SELECT count(*) FROM t")).scalar()) == FILAS + 1
    lector.cerrar()


def test_el_lector_no_escribe(base):
    _ruta, motor = base
    lector = crear_lector(motor, 20_000)
    with pytest.raises(OperationalError, match="readonly"):
        lector.leer(lambda conexion: conexion.execute(text("DELETE FROM t")))
    assert lector.leer(lambda c: c.execute(text("SELECT count(*) FROM t")).scalar()) == FILAS
    lector.cerrar()


def test_con_la_base_bloqueada_no_espera_y_pide_un_hilo(base):
    ruta, motor = base
    lector = crear_lector(motor, 20_000)
    assert lector.leer(lambda c: c.execute(text("SELECT count(*) FROM t")).scalar()) == FILAS
    # Otra conexión en modo de bloqueo exclusivo retiene la base tras escribir (solo puede si
    # no hay otras abiertas: la del lector se ha cerrado, p. ej. tras un error).
    lector.cerrar()
    motor.dispose()
    bloqueo = sqlite3.connect(ruta, isolation_level=None)
    bloqueo.execute("PRAGMA locking_mode = EXCLUSIVE")
    bloqueo.execute("INSERT INTO t (x) VALUES (-1)")
    try:
        inicio = time.monotonic()
        with pytest.raises(RepetirEnHilo):
            lector.leer(lambda c: c.execute(text("SELECT count(*) FROM t")).scalar())
        assert time.monotonic() - inicio < 0.5  # la conexión de la app esperaría 5 s
        assert lector.bloqueadas == 1
    finally:
        bloqueo.close()
    assert lector.leer(lambda c: c.execute(text("SELECT count(*) FROM t")).scalar()) == FILAS + 1
    lector.cerrar()


def test_solo_sqlite_en_fichero_y_con_presupuesto(base):
    _ruta, motor = base
    assert crear_lector(motor, 0) is None
    assert crear_lector(crear_motor("sqlite:///:memory:"), 20_000) is None
    remoto = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/nada")  # no conecta
    assert crear_lector(remoto, 20_000) is None


def _pagina(cliente, sup, params):
    respuesta = cliente.get(LLAMADAS, params=params, headers=sup)
    assert respuesta.status_code == 200, respuesta.text
    return respuesta


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_la_lista_sale_igual_en_el_bucle_y_repetida_en_un_hilo(
    app, cliente, cabeceras, cambiar_ajustes, motor_bd
):
    agente, sup = cabeceras("agente"), cabeceras("supervisor")
    ahora = datetime.now(UTC).replace(microsecond=0)
    creadas = [
        crear_llamada(cliente, agente, fecha_hora=(ahora - timedelta(minutes=m)).isoformat())
        for m in (9, 3, 7, 3, 1, 12, 5)
    ]
    esperadas = [
        c["id"] for c in sorted(creadas, key=lambda c: (c["fecha_hora"], c["id"]), reverse=True)
    ]
    params = {"limit": 4}

    def recorrer() -> tuple[list[int], str]:
        primera = _pagina(cliente, sup, params)
        siguiente = primera.headers["Link"].split(">")[0].lstrip("<")
        resto = cliente.get(siguiente, headers=sup)
        assert resto.status_code == 200, resto.text
        ids = [fila["id"] for fila in primera.json() + resto.json()]
        return ids, primera.headers["X-Total-Count"]

    assert recorrer() == (esperadas, str(len(creadas)))
    # Presupuesto de un paso: toda lectura se interrumpe en el bucle y se repite en un hilo.
    cambiar_ajustes(lectura_en_bucle_pasos=1)
    assert recorrer() == (esperadas, str(len(creadas)))
    lector = app.state.lector_en_bucle[2]
    if motor_bd.dialect.name == "sqlite":
        assert lector.interrumpidas == 2  # las dos páginas, con un lector nuevo
    else:  # PostgreSQL siempre lee en un hilo
        assert lector is None
    cambiar_ajustes(lectura_en_bucle_pasos=0)
    assert recorrer() == (esperadas, str(len(creadas)))
    assert app.state.lector_en_bucle[2] is None
