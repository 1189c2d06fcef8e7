"""Lecturas cortas en el hilo del bucle: SQLite con un presupuesto de pasos (LectorEnBucle) y
PostgreSQL con asyncpg (LectorPostgres, abajo).

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

import asyncio
import contextlib
import logging
import shlex
import socket
from collections.abc import Callable
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.util import greenlet_spawn

from crud.ejecucion_directa import ConexionEnBucle, RepetirEnHilo
from database import (
    argumentos_postgresql,
    conexiones_lecturas_cortas,
    crear_motor,
    normalizar_url,
)

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


# Lo que asyncpg (las lecturas cortas en el bucle) acepta de la consulta de una URL de libpq.
CONSULTA_ASYNCPG = frozenset({"options", "sslmode", "application_name"})


def argumentos_asyncpg(url: str, ajustes: Any) -> dict | None:
    """Los argumentos de `asyncpg.connect` con lo mismo que `argumentos_postgresql` sin
    paralelismo: asyncpg no entiende la cadena `options` de libpq y recibe cada `-c clave=valor`
    en `server_settings`. None si la URL lleva algo que asyncpg no sabe tomar (las lecturas
    cortas irán entonces a un hilo con el pool general, que sí)."""
    datos = make_url(normalizar_url(url))
    if set(datos.query) - CONSULTA_ASYNCPG:
        return None
    tokens = shlex.split(argumentos_postgresql(url, ajustes, sin_paralelismo=True)["options"])
    sesion: dict[str, str] = {}
    while tokens:
        token = tokens.pop(0)
        if token == "-c" and tokens:
            token = tokens.pop(0)
        elif token.startswith(("-c", "--")):
            token = token.removeprefix("-c").removeprefix("--")
        else:
            return None
        clave, igual, valor = token.partition("=")
        if not igual:
            return None
        sesion[clave.replace("-", "_")] = valor
    if "application_name" in datos.query:
        sesion["application_name"] = str(datos.query["application_name"])
    argumentos = datos.translate_connect_args(username="user")
    argumentos |= {"server_settings": sesion, "timeout": ajustes.bd_timeout_conexion_segundos}
    if "sslmode" in datos.query:
        argumentos["ssl"] = str(datos.query["sslmode"])
    return argumentos


class LectorPostgres:
    """Lecturas cortas de PostgreSQL en el bucle: asyncpg, sin hilos.

    Una página corta es una sentencia (la página, su total acotado y la vigencia del token:
    auth.leer_con_vigencia); leerla en un hilo cuesta, además, el salto y el GIL que cambia de
    manos, y con psycopg asíncrono, cada espera de la red (registrar y quitar el socket en el
    selector). asyncpg recibe las respuestas en un protocolo de asyncio escrito en Cython y
    prepara cada sentencia una vez por conexión (`bench/lectura_pg.py` compara las maneras). El
    código de la lectura es el mismo, síncrono: corre en un greenlet (`greenlet_spawn`) y cada
    sentencia espera a la base con `await_only` (crud/ejecucion_directa.ConexionEnBucle), como
    en el motor asíncrono de SQLAlchemy pero sin su ejecución. Nunca para el bucle: cada espera
    es un `await`, con el plazo de sentencia de los ajustes; una lectura cancelada (el cliente
    se fue) cancela su sentencia en el servidor.

    Sin transacción (asyncpg no abre ninguna), sin trabajadores paralelos ni ping al sacarlas:
    como mucho `conexiones` a la vez (el turno de lecturas de la app), guardadas en una lista de
    libres; `argumentos`, los de `asyncpg.connect` (`argumentos_asyncpg`). Una conexión
    de asyncpg, como el semáforo del turno, es del bucle que la abrió: si una lectura llega en
    otro (una prueba con `asyncio.run`), las de la lista se cierran y se abre otra. Una conexión
    que la base cortó falla al usarla: se descarta y la lectura va a un hilo con el pool
    general, que hace ping y da el 503 de siempre.
    """

    def __init__(self, motor: Engine, argumentos: dict, conexiones: int) -> None:
        self.motor = motor
        self._conexiones = conexiones
        self._turno = asyncio.Semaphore(conexiones)  # se rehace con el bucle (es del suyo)
        self._argumentos = argumentos
        self._libres: list[asyncpg.Connection] = []
        self._bucle: asyncio.AbstractEventLoop | None = None
        self.repetidas = 0  # lecturas que no cupieron en el bucle y fueron a un hilo
        self.sentencias = 0  # idas y vueltas a la base de todas sus lecturas

    async def leer(self, trabajo: Callable[[ConexionEnBucle], T]) -> T:
        """`trabajo(conexion)` en un greenlet con una conexión libre (o una nueva);
        RepetirEnHilo si la lectura no cabe en el bucle (nada queda a medias: solo lee)."""
        bucle = asyncio.get_running_loop()
        if bucle is not self._bucle:
            self.cerrar()
            self._bucle, self._turno = bucle, asyncio.Semaphore(self._conexiones)
        async with self._turno:
            return await self._leer(trabajo, bucle)

    async def _leer(
        self, trabajo: Callable[[ConexionEnBucle], T], bucle: asyncio.AbstractEventLoop
    ) -> T:
        try:
            crudo = self._libres.pop() if self._libres else await self._conectar()
        except (TimeoutError, OSError, asyncpg.PostgresError) as error:
            self.repetidas += 1
            raise RepetirEnHilo from error  # base caída o lejos: el hilo da el 503
        conexion = ConexionEnBucle(crudo)
        try:
            return await greenlet_spawn(trabajo, conexion)
        except RepetirEnHilo:
            self.repetidas += 1
            raise
        finally:
            self.sentencias += conexion.sentencias
            # Vuelve a la lista si sigue abierta (también tras un 401, un error de la sentencia
            # o una cancelación: asyncpg espera a que el servidor la confirme antes de la
            # siguiente sentencia); cortada, se descarta.
            if not conexion.rota and not crudo.is_closed() and bucle is self._bucle:
                self._libres.append(crudo)
            else:
                _cerrar_crudo(crudo)

    async def _conectar(self) -> asyncpg.Connection:
        return await asyncpg.connect(**self._argumentos)

    def cerrar(self) -> None:
        """Cierra las conexiones libres (las que estén en uso se cierran al acabar su lectura
        con el proceso)."""
        libres, self._libres = self._libres, []
        for crudo in libres:
            _cerrar_crudo(crudo)


def _cerrar_crudo(crudo: asyncpg.Connection) -> None:
    """Cierra la conexión sin esperar al bucle (vale desde código síncrono y con su bucle ya
    cerrado: entonces se corta el socket, y el servidor termina su proceso)."""
    try:
        crudo.terminate()
    except RuntimeError:  # su bucle ya cerró: asyncio no puede cerrar el transporte
        enchufe = crudo._transport.get_extra_info("socket")
        if enchufe is not None:
            with contextlib.suppress(OSError), enchufe.dup() as copia:
                copia.shutdown(socket.SHUT_RDWR)


def lector_postgres_de(estado: Any, motor: Engine) -> LectorPostgres | None:
    """En PostgreSQL, el lector en el bucle de la app (`app.state`) para el motor de ahora
    (se rehace si este cambia); en SQLite, sin conexiones para él o con una URL que asyncpg no
    sabe tomar (`argumentos_asyncpg`), ninguno."""
    actual = getattr(estado, "lector_postgres", None)
    if actual is not None and actual.motor is motor:
        return actual
    if motor.dialect.name != "postgresql":
        return None
    conexiones = conexiones_lecturas_cortas(estado.ajustes, motor.dialect.name)
    url = motor.url.render_as_string(hide_password=False)
    argumentos = argumentos_asyncpg(url, estado.ajustes)
    if conexiones == 0 or argumentos is None:
        return None
    if actual is not None:
        actual.cerrar()
    estado.lector_postgres = LectorPostgres(motor, argumentos, conexiones)
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
