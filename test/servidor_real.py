"""Arranca la app en un uvicorn de verdad (hilo aparte, puerto libre) para probar la red."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from config import Ajustes
from main import crear_app, opciones_uvicorn

ESPERA_ARRANQUE_SEGUNDOS = 60


@contextmanager
def servidor_real(ajustes: Ajustes, **opciones: Any) -> Iterator[tuple[Any, int]]:
    """(app, puerto) de un uvicorn con las opciones de main.py más las indicadas."""
    app = crear_app(ajustes)
    configuracion = uvicorn.Config(
        app, **{**opciones_uvicorn(ajustes), "port": 0, "log_level": "warning", **opciones}
    )
    servidor = uvicorn.Server(configuracion)
    hilo = threading.Thread(target=servidor.run, daemon=True)
    hilo.start()
    limite = time.monotonic() + ESPERA_ARRANQUE_SEGUNDOS
    while not servidor.started:
        if not hilo.is_alive() or time.monotonic() > limite:
            raise RuntimeError("uvicorn no arrancó")
        time.sleep(0.02)
    puerto = servidor.servers[0].sockets[0].getsockname()[1]
    try:
        yield app, puerto
    finally:
        servidor.should_exit = True
        hilo.join(timeout=15)
