"""Turnos de las tareas periódicas: con N procesos, cada tarea corre una vez por periodo.

Con REDIS_URL, el turno es una clave de Redis con caducidad (SET NX PX); sin Redis, o si
Redis no responde, una fila de `tareas_periodicas` que se toma con un UPDATE condicional
(atómico en PostgreSQL y en SQLite).
"""

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as insert_postgresql
from sqlalchemy.dialects.sqlite import insert as insert_sqlite
from sqlalchemy.orm import Session, sessionmaker

from modelos.base import ahora_utc
from modelos.trabajo import TareaPeriodica

registro = logging.getLogger("callcenter.trabajos")

PREFIJO_REDIS = "callcenter:turno:"
ESPERA_REDIS_SEGUNDOS = 0.5


def _turno_redis(redis_url: str, nombre: str, periodo: float, yo: str) -> bool:
    import redis

    cliente = redis.Redis.from_url(
        redis_url,
        socket_timeout=ESPERA_REDIS_SEGUNDOS,
        socket_connect_timeout=ESPERA_REDIS_SEGUNDOS,
    )
    try:
        milisegundos = max(1, int(periodo * 1000))
        return bool(cliente.set(PREFIJO_REDIS + nombre, yo, nx=True, px=milisegundos))
    finally:
        cliente.close()


def _turno_fila(sesion: Session, nombre: str, periodo: float, yo: str) -> bool:
    ahora = ahora_utc()
    fabrica = insert_postgresql if sesion.get_bind().dialect.name == "postgresql" else insert_sqlite
    inicial = datetime(2000, 1, 1, tzinfo=UTC)
    sesion.execute(
        fabrica(TareaPeriodica).values(nombre=nombre, proxima_en=inicial).on_conflict_do_nothing()
    )
    sesion.commit()
    resultado = sesion.execute(
        update(TareaPeriodica)
        .where(TareaPeriodica.nombre == nombre, TareaPeriodica.proxima_en <= ahora)
        .values(proxima_en=ahora + timedelta(seconds=periodo), ultima_en=ahora, trabajador=yo)
    )
    sesion.commit()
    return resultado.rowcount == 1


def tomar_turno(
    *,
    fabrica: sessionmaker[Session],
    nombre: str,
    periodo: float,
    yo: str,
    redis_url: str | None = None,
) -> bool:
    """True si este proceso ejecuta la tarea `nombre` en el periodo actual."""
    if redis_url:
        try:
            return _turno_redis(redis_url, nombre, periodo, yo)
        except Exception as error:
            registro.warning(
                "Redis no respondió para el turno de %s (%s): se usa la base", nombre, error
            )
    with fabrica() as sesion:
        return _turno_fila(sesion, nombre, periodo, yo)
