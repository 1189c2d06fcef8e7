"""Lecturas cortas de SQLite en el hilo del bucle, con un presupuesto de pasos.

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

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from database import conexiones_lecturas_cortas, crear_motor

registro = logging.getLogger("callcenter.bd")

SQLITE_INTERRUPT = 9  # código de error de SQLite de una sentencia interrumpida
SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # la base la tiene bloqueada otra conexión
GRANO = 1000  # instrucciones de la máquina virtual entre dos llamadas al manejador

T = TypeVar("T")


class RepetirEnHilo(Exception):
    """La lectura no cabe en el bucle: pasó de su presupuesto o la base está bloqueada."""


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
    presupuesto es positivo; si no, ninguno (PostgreSQL lee siempre en hilos: cada sentencia
    es una ida y vuelta por la red)."""
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
    cerrar_lector(estado)
    lector = crear_lector(motor, pasos)
    estado.lector_en_bucle = (motor, pasos, lector)
    return lector


def motor_corto_de(estado: Any, motor: Engine) -> Engine | None:
    """En PostgreSQL, el motor de lecturas cortas de la app (`app.state`) para el motor de
    ahora (database.crear_motor con `lecturas_cortas`), que se rehace si este cambia; en
    SQLite, o sin conexiones para él, ninguno."""
    ajustes = estado.ajustes
    conexiones = conexiones_lecturas_cortas(ajustes, motor.dialect.name)
    if motor.dialect.name != "postgresql" or conexiones == 0:
        return None
    actual = getattr(estado, "motor_lecturas_cortas", None)
    if actual is not None and actual[0] is motor:
        return actual[1]
    _cerrar_motor_corto(estado)
    url = motor.url.render_as_string(hide_password=False)
    corto = crear_motor(url, ajustes, conexiones=conexiones, lecturas_cortas=True)
    estado.motor_lecturas_cortas = (motor, corto)
    return corto


def _cerrar_motor_corto(estado: Any) -> None:
    actual = getattr(estado, "motor_lecturas_cortas", None)
    estado.motor_lecturas_cortas = None
    if actual is not None:
        actual[1].dispose()


def cerrar_lector(estado: Any) -> None:
    """Cierra el lector de la app y su motor de lecturas cortas, si tiene (al apagar o al
    cambiar de motor)."""
    _cerrar_motor_corto(estado)
    actual = getattr(estado, "lector_en_bucle", None)
    estado.lector_en_bucle = None
    if actual is not None and actual[2] is not None:
        actual[2].cerrar()
        actual[2].motor.dispose()
