"""Ayudas de las pruebas en vivo: un uvicorn real en un hilo y un lector SSE asíncrono."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

RAIZ = Path(__file__).resolve().parents[1]


class ServidorVivo:
    """uvicorn de verdad en 127.0.0.1 (puerto libre), en un hilo, con la app indicada."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._enchufe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._enchufe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._enchufe.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._enchufe.getsockname()[1]}"
        configuracion = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.servidor = uvicorn.Server(configuracion)
        self._hilo = threading.Thread(
            target=self.servidor.run, kwargs={"sockets": [self._enchufe]}, daemon=True
        )

    def arrancar(self) -> "ServidorVivo":
        self._hilo.start()
        limite = time.monotonic() + 60
        while not self.servidor.started:
            assert self._hilo.is_alive() and time.monotonic() < limite, "uvicorn no arrancó"
            time.sleep(0.02)
        return self

    def parar(self) -> None:
        bus = self.app.state.bus
        bus._programar(bus.cerrar_flujos)
        self.servidor.should_exit = True
        self._hilo.join(15)
        assert not self._hilo.is_alive(), "uvicorn no se detuvo"


@dataclass
class EventoRecibido:
    tipo: str
    id: int | None
    datos: Any
    instante: float


@dataclass
class LectorSSE:
    """Lee GET /api/eventos con fetch-like streaming (httpx) y guarda cada evento y su hora."""

    cliente: httpx.AsyncClient
    token: str | None
    ultimo_id: int | None = None
    eventos: list[EventoRecibido] = field(default_factory=list)
    pings: int = 0
    estado: int | None = None
    cuerpo: bytes = b""
    direccion_local: tuple[str, int] | None = None
    _listo: asyncio.Event = field(default_factory=asyncio.Event)
    _fin: asyncio.Event = field(default_factory=asyncio.Event)
    _tarea: asyncio.Task | None = None

    async def __aenter__(self) -> "LectorSSE":
        self._tarea = asyncio.create_task(self._leer())
        await asyncio.wait_for(self._listo.wait(), 10)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._tarea is not None:
            self._tarea.cancel()
            try:
                await self._tarea
            except (asyncio.CancelledError, httpx.HTTPError):
                pass

    async def _leer(self) -> None:
        cabeceras = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if self.ultimo_id is not None:
            cabeceras["Last-Event-ID"] = str(self.ultimo_id)
        try:
            async with self.cliente.stream("GET", "/api/eventos", headers=cabeceras) as r:
                self.estado = r.status_code
                flujo_red = r.extensions.get("network_stream")
                if flujo_red is not None:
                    self.direccion_local = flujo_red.get_extra_info("client_addr")
                if r.status_code != 200:
                    self.cuerpo = await r.aread()
                    self._listo.set()
                    return
                bloque: dict[str, str] = {}
                async for linea in r.aiter_lines():
                    if linea.startswith("retry:"):
                        self._listo.set()
                    elif linea.startswith(":"):
                        self.pings += 1
                    elif linea:
                        campo, _, valor = linea.partition(":")
                        bloque[campo] = valor.removeprefix(" ")
                    elif "event" in bloque:
                        self.eventos.append(
                            EventoRecibido(
                                bloque["event"],
                                int(bloque["id"]) if "id" in bloque else None,
                                json.loads(bloque.get("data", "null")),
                                time.monotonic(),
                            )
                        )
                        bloque = {}
        finally:
            self._listo.set()
            self._fin.set()

    def de_tipo(self, *tipos: str) -> list[EventoRecibido]:
        return [e for e in self.eventos if e.tipo in tipos]

    def ids(self, *tipos: str) -> set:
        """Los id de los datos de los eventos recibidos de esos tipos."""
        return {e.datos.get("id") for e in self.de_tipo(*tipos)}

    async def esperar(self, condicion, segundos: float = 2.0) -> EventoRecibido:
        """Primer evento que cumple la condición, esperando como mucho los segundos dados."""
        limite = time.monotonic() + segundos
        while True:
            for evento in self.eventos:
                if condicion(evento):
                    return evento
            if time.monotonic() > limite:
                raise AssertionError(f"sin evento a tiempo; recibidos: {self.eventos}")
            await asyncio.sleep(0.01)

    async def esperar_fin(self, segundos: float) -> bool:
        try:
            await asyncio.wait_for(self._fin.wait(), segundos)
        except TimeoutError:
            return False
        return True


def puerto_libre() -> int:
    with socket.socket() as enchufe:
        enchufe.bind(("127.0.0.1", 0))
        return enchufe.getsockname()[1]


def lanzar_uvicorn(entorno: dict[str, str], *argumentos: str) -> tuple[subprocess.Popen, str]:
    """uvicorn main:app en otro proceso (con los argumentos dados); espera a /salud."""
    puerto = puerto_libre()
    orden = [sys.executable, "-m", "uvicorn", "main:app", "--host", "127.0.0.1"]
    orden += ["--port", str(puerto), "--log-level", "warning", *argumentos]
    base = {
        "ENTORNO": "pruebas",
        "SECRET_KEY": "clave-solo-para-pruebas-0123456789abcdef",
        "BCRYPT_RONDAS": "4",
        "SEMBRAR_DEMO": "false",
        "PROGRAMADOR_ACTIVO": "false",
    }
    variables = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    proceso = subprocess.Popen(
        orden, cwd=RAIZ, env={**variables, **base, **entorno}, start_new_session=True
    )
    url = f"http://127.0.0.1:{puerto}"
    limite = time.monotonic() + 90
    while time.monotonic() < limite:
        assert proceso.poll() is None, "uvicorn terminó al arrancar"
        try:
            if httpx.get(f"{url}/salud", timeout=1).status_code == 200:
                return proceso, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    matar_grupo(proceso)
    raise AssertionError("uvicorn no arrancó a tiempo")


def matar_grupo(proceso: subprocess.Popen) -> None:
    """Mata uvicorn y sus workers (van en su propio grupo de procesos)."""
    try:
        os.killpg(proceso.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proceso.wait(10)
