"""Fallos del trabajo de fondo en el registro: una base caída es una línea cada 10 s, sin traza."""

import logging
import threading
import time

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as TiempoAgotadoPool

INTERVALO_SEGUNDOS = 10.0
_ultimos: dict[str, float] = {}
_cerrojo = threading.Lock()


def _es_de_conexion(error: BaseException | None) -> bool:
    """Base inalcanzable, colgada o sin conexiones libres (también envuelto por procrastinate)."""
    vistos = 0
    while error is not None and vistos < 5:
        if isinstance(error, OperationalError | InterfaceError | TiempoAgotadoPool):
            return True
        if type(error).__module__.startswith("psycopg") and type(error).__name__ in (
            "OperationalError",
            "InterfaceError",
            "PoolTimeout",
        ):
            return True
        error = error.__cause__ or error.__context__
        vistos += 1
    return False


def registrar_fallo(registro: logging.Logger, mensaje: str, error: BaseException) -> None:
    """Un fallo de conexión: una línea (como mucho cada 10 s por mensaje); otro fallo: su traza."""
    if not _es_de_conexion(error):
        registro.exception(mensaje)
        return
    ahora = time.monotonic()
    with _cerrojo:
        if ahora - _ultimos.get(mensaje, -INTERVALO_SEGUNDOS) < INTERVALO_SEGUNDOS:
            return
        _ultimos[mensaje] = ahora
    causa = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    registro.error("%s: base de datos no disponible (%s)", mensaje, causa[:200])
