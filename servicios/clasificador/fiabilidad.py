"""Cuánto coincide cada LLM con el offline seguro: la cuenta que decide si el LLM vota.

Con `REDIS_URL` la cuenta es una sola para todos los procesos y máquinas (un hash de Redis con
incrementos atómicos), así que todos los workers deciden igual y lo aprendido sobrevive a un
reinicio; sin Redis, o si Redis no contesta a tiempo, cada proceso lleva la suya en memoria.
"""

import logging
import threading
import time
from functools import lru_cache

registro = logging.getLogger("callcenter.clasificador")

CLAVE = "callcenter:llm_fiabilidad"
PAUSA_REDIS_SEGUNDOS = 30.0
PLAZO_REDIS_SEGUNDOS = 0.3

_acuerdos: dict[str, list[int]] = {}  # modelo -> [coincidencias, observaciones]
_cerrojo = threading.Lock()
_redis_caido_hasta = 0.0


@lru_cache(maxsize=4)
def _cliente(url: str):
    import redis

    return redis.Redis.from_url(
        url,
        socket_timeout=PLAZO_REDIS_SEGUNDOS,
        socket_connect_timeout=PLAZO_REDIS_SEGUNDOS,
        decode_responses=True,
    )


def _con_redis(url: str | None, operacion):
    """El resultado de la operación en Redis, o None si no hay Redis o falla (y se pausa)."""
    global _redis_caido_hasta
    if not url or time.monotonic() < _redis_caido_hasta:
        return None
    from redis.exceptions import RedisError

    try:
        return operacion(_cliente(url))
    except RedisError as error:
        _redis_caido_hasta = time.monotonic() + PAUSA_REDIS_SEGUNDOS
        registro.warning("Redis no responde (%s): la fiabilidad del LLM va en memoria", error)
        return None


def anotar_acuerdo(modelo: str, coincide: bool, *, redis_url: str | None = None) -> None:
    """Cuenta una llamada en que el offline estaba seguro y si el LLM dijo lo mismo."""

    def en_redis(cliente) -> bool:
        tuberia = cliente.pipeline(transaction=True)
        tuberia.hincrby(CLAVE, f"{modelo}|coincidencias", int(coincide))
        tuberia.hincrby(CLAVE, f"{modelo}|observaciones", 1)
        tuberia.execute()
        return True

    if _con_redis(redis_url, en_redis):
        return
    with _cerrojo:
        cuenta = _acuerdos.setdefault(modelo, [0, 0])
        cuenta[0] += coincide
        cuenta[1] += 1


def fiabilidad(modelo: str, *, redis_url: str | None = None) -> tuple[float, int]:
    """Acierto estimado del modelo (coincidencia con el offline seguro) y en cuántas llamadas."""
    campos = (f"{modelo}|coincidencias", f"{modelo}|observaciones")
    leidos = _con_redis(redis_url, lambda cliente: cliente.hmget(CLAVE, *campos))
    if leidos is not None:
        coincidencias, observaciones = (int(valor or 0) for valor in leidos)
    else:
        with _cerrojo:
            coincidencias, observaciones = _acuerdos.get(modelo, (0, 0))
    return (coincidencias / observaciones if observaciones else 0.0), observaciones


def reiniciar_fiabilidad(*, redis_url: str | None = None) -> None:
    """Olvida lo medido de cada modelo (útil en pruebas y al cambiar de servidor)."""
    global _redis_caido_hasta
    with _cerrojo:
        _acuerdos.clear()
    _redis_caido_hasta = 0.0
    _con_redis(redis_url, lambda cliente: cliente.delete(CLAVE))
