"""Lecturas muy pedidas con el cursor del controlador, sin la ejecución de SQLAlchemy.

Ejecutar una sentencia ya compilada y cacheada con `Connection.execute` cuesta en Python unas
130 000 instrucciones (contexto de ejecución, parámetros, resultado), más que leer con ella una
página de 20 filas en SQLite. Para las lecturas de cada petición (la vigencia del token, la
página de una lista) la sentencia se compila una vez por dialecto y se ejecuta con el cursor
del controlador: mismas filas (tuplas), mismo SQL y mismos parámetros ya convertidos.

Solo sirve a sentencias cuyas columnas no necesitan conversión en Python al leerlas (las
columnas crudas de `crud.paginacion.columna_cruda`, enteros, texto); si alguna la necesita, o
el SQL lleva parámetros que se completan al ejecutar (listas IN), se ejecuta con SQLAlchemy.

Un error del controlador sale como el de SQLAlchemy (`DBAPIError.instance`: una lectura
interrumpida o con la base bloqueada sigue llegando como `OperationalError`, con el error
original en `orig`). Si la conexión se cayó, la lectura se repite con SQLAlchemy, que al
fallar invalida esa conexión y las demás de su pool (repetir una lectura no cambia nada).

En PostgreSQL la página corta se lee desde el bucle (lectura_en_bucle.LectorPostgres) con una
`ConexionEnBucle`: la misma sentencia, compilada para asyncpg; lo que no se pueda leer así, o
con la conexión caída, va a un hilo (`RepetirEnHilo`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import asyncpg
import psycopg
from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.util import await_only


class RepetirEnHilo(Exception):
    """La lectura no cabe en el bucle (pasó de su presupuesto, la base está bloqueada o caída,
    o la sentencia no se puede leer sin SQLAlchemy): quien la pidió la repite en un hilo."""


def _dialecto_asyncpg() -> Dialect:
    from sqlalchemy.dialects.postgresql.asyncpg import dialect

    return dialect(dbapi=dialect.import_dbapi())


def _como_psycopg(error: asyncpg.PostgresError) -> psycopg.Error:
    """El error de psycopg de la misma SQLSTATE: la app (el pool general) habla psycopg, y así
    un plazo de sentencia agotado sigue siendo un OperationalError (503) y una división por cero
    un DataError, vengan de donde vengan."""
    try:
        clase = psycopg.errors.lookup(error.sqlstate)
    except KeyError:
        clase = psycopg.DatabaseError
    return clase(str(error))


@dataclass(slots=True)
class Vigencia:
    """Pide leer la vigencia del token de `usuario_id` en la sentencia de la página (una ida y
    vuelta menos: crud/paginacion.py); `leida`, el (sello, rol) leído, o None si no se leyó."""

    usuario_id: int
    leida: tuple[str | None, str | None] | None = None


class ConexionEnBucle:
    """Una conexión de asyncpg para el código síncrono de las lecturas cortas, que corre en un
    greenlet dentro del bucle (`sqlalchemy.util.greenlet_spawn`, lo mismo que usa el motor
    asíncrono de SQLAlchemy): `leer` espera a la base sin parar el bucle. Solo sirve a las
    sentencias que `leer` ejecuta con el cursor del controlador (también con `scalar`),
    compiladas para el dialecto de asyncpg (marcadores $1, $2… con su tipo); cualquier otra va a
    un hilo (RepetirEnHilo). asyncpg prepara cada sentencia una vez por conexión y no abre
    transacción (lectura_en_bucle.LectorPostgres)."""

    dialect = _dialecto_asyncpg()

    def __init__(self, crudo: asyncpg.Connection) -> None:
        self.crudo = crudo
        self.rota = False  # falló la conexión (no la sentencia): no se vuelve a usar
        self.vigencia: Vigencia | None = None
        self.sentencias = 0  # idas y vueltas a la base

    def execute(self, *_argumentos: Any, **_nombrados: Any) -> Any:
        raise RepetirEnHilo

    def scalar(self, sentencia: Select, parametros: dict[str, Any] | None = None) -> Any:
        """El primer valor de la primera fila (el recuento de una página vacía)."""
        filas = leer(self, sentencia, parametros or {})
        return filas[0][0] if filas else None

    def filas(self, sql: str, argumentos: tuple) -> list[tuple]:
        """Las filas como tuplas; un error de la sentencia sale como el de SQLAlchemy (con el de
        psycopg de la misma SQLSTATE en `orig`); con la conexión caída, RepetirEnHilo (el hilo
        usa el pool general, que hace ping y da el 503 si la base no está)."""
        self.sentencias += 1
        try:
            return [tuple(fila) for fila in await_only(self.crudo.fetch(sql, *argumentos))]
        except asyncpg.PostgresError as error:
            if (
                not isinstance(error, asyncpg.PostgresConnectionError)
                and not self.crudo.is_closed()
            ):
                traducido = _como_psycopg(error)
                raise DBAPIError.instance(sql, argumentos, traducido, psycopg.Error) from error
            self.rota = True
            raise RepetirEnHilo from error
        except (asyncpg.InterfaceError, asyncpg.InternalClientError, OSError) as error:
            # Cortada por el servidor (pg_terminate_backend, un reinicio) o en un estado que no
            # sirve: asyncpg lo dice a veces así antes de ver el cierre del socket.
            self.rota = True
            raise RepetirEnHilo from error


@dataclass(frozen=True, slots=True)
class Compilada:
    """SQL de un dialecto y cómo pasarle los parámetros."""

    sql: str
    posiciones: tuple[str, ...] | None  # orden de los marcadores, si son posicionales (?)
    conversores: tuple[tuple[str, Callable[[Any], Any]], ...]  # parámetros que se convierten
    fijos: dict[str, Any]  # parámetros que ya traen su valor (p. ej. un literal)


def _sin_conversion_al_leer(sentencia: Select, dialecto: Dialect) -> bool:
    for columna in sentencia.selected_columns:
        try:
            if columna.type.dialect_impl(dialecto).result_processor(dialecto, None) is not None:
                return False
        except TypeError:  # la conversión depende del tipo que dé la base (NUMERIC en psycopg)
            return False
    return True


@lru_cache(maxsize=512)
def compilar(sentencia: Select, dialecto: Dialect) -> Compilada | None:
    """La sentencia compilada para `dialecto`, o None si no se puede leer sin SQLAlchemy.
    Guardada por identidad de la sentencia: solo para sentencias que viven tanto como el
    proceso (las de módulo y las preparadas de las listas)."""
    if not _sin_conversion_al_leer(sentencia, dialecto):
        return None
    compilado = sentencia.compile(dialect=dialecto)
    if (
        compilado.literal_execute_params
        or compilado.post_compile_params
        or compilado.escaped_bind_names
    ):
        return None
    conversores = []
    fijos = {}
    for nombre, marcador in compilado.binds.items():
        if not marcador.required:
            fijos[nombre] = marcador.effective_value
        convertir = marcador.type.dialect_impl(dialecto).bind_processor(dialecto)
        if convertir is not None:
            conversores.append((nombre, convertir))
    posiciones = tuple(compilado.positiontup) if compilado.positional else None
    return Compilada(compilado.string, posiciones, tuple(conversores), fijos)


def leer(
    conexion: "Connection | ConexionEnBucle", sentencia: Select, parametros: dict[str, Any]
) -> list[tuple]:
    """Todas las filas de `sentencia` con `parametros` (por nombre), como tuplas."""
    compilada = compilar(sentencia, conexion.dialect)
    if compilada is None:
        return [tuple(fila) for fila in conexion.execute(sentencia, parametros)]
    valores = {**compilada.fijos, **parametros}
    for nombre, convertir in compilada.conversores:
        valor = valores[nombre]
        if valor is not None:
            valores[nombre] = convertir(valor)
    if compilada.posiciones is not None:
        argumentos: Any = tuple(valores[nombre] for nombre in compilada.posiciones)
    else:
        argumentos = valores
    if isinstance(conexion, ConexionEnBucle):
        return conexion.filas(compilada.sql, argumentos)
    dbapi = conexion.dialect.loaded_dbapi
    crudo = conexion.connection.dbapi_connection
    cursor = crudo.cursor()
    try:
        cursor.execute(compilada.sql, argumentos)
        return cursor.fetchall()
    except dbapi.Error as error:
        if conexion.dialect.is_disconnect(error, crudo, cursor):
            # SQLAlchemy la repite y, al fallar, invalida la conexión y las de su pool.
            return [tuple(fila) for fila in conexion.execute(sentencia, parametros)]
        raise DBAPIError.instance(
            compilada.sql, argumentos, error, dbapi.Error, dialect=conexion.dialect
        ) from error
    finally:
        cursor.close()
