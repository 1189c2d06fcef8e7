"""Lecturas cortas en el hilo del bucle: SQLite con un presupuesto de pasos (LectorEnBucle) y
PostgreSQL con psycopg asíncrono (LectorPostgres, abajo).

Llevar a un hilo una página de 20 filas cuesta más que leerla: la cola del hilo, dos
despertares y el GIL que cambia de manos (con 32 conexiones, la mitad del tiempo de CPU de la
lista). Con SQLite en modo WAL un lector nunca espera a un escritor, así que una lectura corta
puede ir en el propio bucle. Para que una lectura que resulte larga (un salto profundo, un
filtro sin índice) no lo pare, un manejador de progreso de SQLite la interrumpe al pasar de
`pasos` instrucciones de su máquina virtual (100 000, ~1,5 ms): entonces se descarta lo leído
y la ruta la repite en un hilo. Tampoco espera nunca un bloqueo (busy_timeout 0): si otra
conexión tiene la base bloqueada, también la repite en un hilo, que sí espera su plazo.

Una conexión propia, de solo lectura, que solo usa el bucle y nunca dos lecturas a la vez (no
hay ningún `await` dentro de una lectura); cada lectura cierra su transacción al acabar, así
que no retiene el WAL.
"""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.util import greenlet_spawn

from crud.ejecucion_directa import ConexionEnBucle, RepetirEnHilo
from database import argumentos_postgresql, conexiones_lecturas_cortas, crear_motor
from trabajos.postgresql import conninfo

registro = logging.getLogger("callcenter.bd")

SQLITE_INTERRUPT = 9  # código de error de SQLite de una sentencia interrumpida
SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # la base la tiene bloqueada otra conexión
GRANO = 1000  # instrucciones de la máquina virtual entre dos llamadas al manejador

T = TypeVar("T")


class LectorEnBucle:
    """Una conexión de SQLite para lecturas cortas desde el bucle de eventos."""

    def __init__(self, motor: Engine, pasos: int) -> None:
        self.motor = motor
        self._grano = min(GRANO, pasos)
        self._limite = max(1, pasos // self._grano)
        self._llamadas = 0
        self._conexion: Connection | None = None
        self.interrumpidas = 0  # lecturas que pasaron del presupuesto (se repitieron en hilo)
        self.bloqueadas = 0  # lecturas que encontraron la base bloqueada (ídem)

    def _progreso(self) -> int:
        self._llamadas += 1
        return 1 if self._llamadas > self._limite else 0

    def _abrir(self) -> Connection:
        if self._conexion is None:
            conexion = self.motor.connect()
            crudo = conexion.connection.driver_connection
            crudo.execute("PRAGMA query_only = ON")
            crudo.set_progress_handler(self._progreso, self._grano)
            self._conexion = conexion
        return self._conexion

    def leer(self, trabajo: Callable[[Connection], T]) -> T:
        """`trabajo(conexion)` dentro del presupuesto; RepetirEnHilo si se pasa o si la base está
        bloqueada (sin nada a medias: era una lectura). Los demás errores siguen su camino."""
        self._llamadas = 0
        try:
            return trabajo(self._abrir())
        except OperationalError as error:
            codigo = getattr(error.orig, "sqlite_errorcode", None)
            if codigo == SQLITE_INTERRUPT:
                self.interrumpidas += 1
                raise RepetirEnHilo from error
            if codigo in (SQLITE_BUSY, SQLITE_LOCKED):
                self.bloqueadas += 1
                raise RepetirEnHilo from error
            self.cerrar()
            raise
        except DBAPIError:
            self.cerrar()
            raise
        finally:
            if self._conexion is not None:
                self._conexion.rollback()

    def cerrar(self) -> None:
        """Suelta la conexión (se abre otra en la siguiente lectura)."""
        conexion, self._conexion = self._conexion, None
        if conexion is not None:
            try:
                conexion.invalidate()
                conexion.close()
            except DBAPIError as error:
                registro.debug("No se pudo cerrar la conexión del bucle: %s", error)


def crear_lector(motor: Engine, pasos: int) -> LectorEnBucle | None:
    """Lector con su propia conexión a la base de `motor` si es SQLite en fichero y el
    presupuesto es positivo; si no, ninguno (PostgreSQL tiene el suyo, LectorPostgres: cada
    sentencia es una ida y vuelta por la red, que se espera con `await`)."""
    if pasos <= 0 or motor.dialect.name != "sqlite":
        return None
    base = motor.url.database
    if not base or base == ":memory:":
        return None
    # Sin esperas de bloqueo: si otra conexión tiene la base bloqueada (modo de bloqueo
    # exclusivo, la recuperación del WAL), el bucle no espera; la lectura va a un hilo, que sí.
    url = motor.url.render_as_string(hide_password=False)
    propio = crear_motor(url, conexiones=1, espera_ms=0)
    return LectorEnBucle(propio, pasos)


def lector_de(estado: Any, motor: Engine, pasos: int) -> LectorEnBucle | None:
    """El lector de la app (`app.state`) para su motor y presupuesto de ahora; se rehace si
    cambia alguno de los dos."""
    actual = getattr(estado, "lector_en_bucle", None)
    if actual is not None and actual[0] is motor and actual[1] == pasos:
        return actual[2]
    _cerrar_lector_sqlite(estado)
    lector = crear_lector(motor, pasos)
    estado.lector_en_bucle = (motor, pasos, lector)
    return lector


class LectorPostgres:
    """Lecturas cortas de PostgreSQL en el bucle: psycopg asíncrono, sin hilos.

    Una página corta y su total acotado son dos sentencias; leerlas en un hilo cuesta, además,
    el salto y el GIL que cambia de manos (`bench/lectura_pg.py`: ~300–400 µs de CPU del proceso
    por página en un hilo frente a ~220–235 en el bucle). El código de la lectura es el mismo,
    síncrono: corre en un greenlet (`greenlet_spawn`) y cada sentencia espera a la base con
    `await_only` (crud/ejecucion_directa.ConexionEnBucle), como en el motor asíncrono de
    SQLAlchemy pero sin su ejecución. Nunca para el bucle: cada espera es un `await`, con el
    plazo de sentencia de los ajustes.

    Conexiones en autocommit (cada sentencia es su transacción, sin BEGIN ni ROLLBACK), sin
    trabajadores paralelos ni ping al sacarlas: como mucho `conexiones` a la vez (el turno de
    lecturas de la app), guardadas en una lista de libres. No es un AsyncConnectionPool de
    psycopg_pool porque sus tareas y cerrojos son del bucle que lo abrió, y el cliente de las
    pruebas atiende cada petición en un bucle nuevo; una conexión de psycopg sirve en cualquier
    bucle mientras la use una sola lectura a la vez. Una conexión que la base cortó falla al
    usarla: se descarta y la lectura va a un hilo con el pool general, que hace ping.
    """

    def __init__(self, motor: Engine, ajustes: Any, conexiones: int) -> None:
        self.motor = motor
        self._turno = anyio.CapacityLimiter(conexiones)  # dentro del bucle: lo pide anyio
        self._conninfo = conninfo(motor)
        self._argumentos = argumentos_postgresql(
            motor.url.render_as_string(hide_password=False), ajustes, sin_paralelismo=True
        )
        self._libres: list[psycopg.AsyncConnection] = []
        self.repetidas = 0  # lecturas que no cupieron en el bucle y fueron a un hilo

    async def leer(self, trabajo: Callable[[ConexionEnBucle], T]) -> T:
        """`trabajo(conexion)` en un greenlet con una conexión libre (o una nueva);
        RepetirEnHilo si la lectura no cabe en el bucle (nada queda a medias: solo lee)."""
        async with self._turno:
            return await self._leer(trabajo)

    async def _leer(self, trabajo: Callable[[ConexionEnBucle], T]) -> T:
        try:
            crudo = self._libres.pop() if self._libres else await self._conectar()
        except psycopg.Error as error:
            self.repetidas += 1
            raise RepetirEnHilo from error  # base caída o lejos: el hilo da el 503
        try:
            return await greenlet_spawn(trabajo, ConexionEnBucle(crudo, self.motor.dialect))
        except RepetirEnHilo:
            self.repetidas += 1
            raise
        finally:
            # Vuelve a la lista si quedó libre (también tras un 401 o un error de la sentencia);
            # caída o a medias (una lectura cancelada), se cierra.
            if not crudo.broken and crudo.info.transaction_status == TransactionStatus.IDLE:
                self._libres.append(crudo)
            else:
                _cerrar_crudo(crudo)

    async def _conectar(self) -> psycopg.AsyncConnection:
        return await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, **self._argumentos
        )

    def cerrar(self) -> None:
        """Cierra las conexiones libres (las que estén en uso se cierran al acabar su lectura
        con el proceso)."""
        libres, self._libres = self._libres, []
        for crudo in libres:
            _cerrar_crudo(crudo)


def _cerrar_crudo(crudo: psycopg.AsyncConnection) -> None:
    """Cierra el socket sin esperar al bucle (vale desde código síncrono y desde otro bucle)."""
    crudo.pgconn.finish()


def lector_postgres_de(estado: Any, motor: Engine) -> LectorPostgres | None:
    """En PostgreSQL, el lector en el bucle de la app (`app.state`) para el motor de ahora
    (se rehace si este cambia); en SQLite, o sin conexiones para él, ninguno."""
    actual = getattr(estado, "lector_postgres", None)
    if actual is not None and actual.motor is motor:
        return actual
    if motor.dialect.name != "postgresql":
        return None
    conexiones = conexiones_lecturas_cortas(estado.ajustes, motor.dialect.name)
    if conexiones == 0:
        return None
    if actual is not None:
        actual.cerrar()
    estado.lector_postgres = LectorPostgres(motor, estado.ajustes, conexiones)
    return estado.lector_postgres


def cerrar_lector(estado: Any) -> None:
    """Cierra los lectores en el bucle de la app (al apagar o al cambiar de motor)."""
    lector_postgres = getattr(estado, "lector_postgres", None)
    estado.lector_postgres = None
    if lector_postgres is not None:
        lector_postgres.cerrar()
    _cerrar_lector_sqlite(estado)


def _cerrar_lector_sqlite(estado: Any) -> None:
    actual = getattr(estado, "lector_en_bucle", None)
    estado.lector_en_bucle = None
    if actual is not None and actual[2] is not None:
        actual[2].cerrar()
        actual[2].motor.dispose()
