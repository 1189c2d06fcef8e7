"""Nunca colgarse: control de admisión por proceso y 503 con Retry-After ante base caída."""

import asyncio
import json
import logging
import threading
import time
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as TimeoutPool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Ajustes
from database import peticiones_en_vuelo
from servicios.aforo import Aforo

registro = logging.getLogger("callcenter.resiliencia")

RUTAS_EXENTAS = frozenset({"/salud"})  # tiene su propio plazo: informa aunque todo esté lleno
HILOS_DE_MARGEN = 8
SATURADO = "Servicio saturado: demasiadas peticiones a la vez; reintenta en unos segundos"
DEMASIADO_LENTA = "La petición no terminó a tiempo; reintenta en unos segundos"
BD_NO_DISPONIBLE = "La base de datos no está disponible ahora; reintenta en unos segundos"
BD_SATURADA = "No hay conexiones libres con la base de datos; reintenta en unos segundos"


class AvisoLimitado:
    """Una línea de registro por intervalo (contando las calladas), nunca una por petición."""

    def __init__(self, intervalo: float = 10.0) -> None:
        self.intervalo = intervalo
        self._ultimo = -float("inf")
        self._callados = 0
        self._cerrojo = threading.Lock()

    def avisar(self, mensaje: str, *argumentos: Any) -> bool:
        with self._cerrojo:
            ahora = time.monotonic()
            if ahora - self._ultimo < self.intervalo:
                self._callados += 1
                return False
            callados, self._callados, self._ultimo = self._callados, 0, ahora
        sufijo = f" ({callados} avisos iguales callados)" if callados else ""
        registro.warning(mensaje + sufijo, *argumentos)
        return True


aviso_bd = AvisoLimitado()
aviso_saturacion = AvisoLimitado()


def respuesta_503(mensaje: str, reintentar_en: int) -> JSONResponse:
    return JSONResponse(
        {"detail": mensaje}, status_code=503, headers={"Retry-After": str(reintentar_en)}
    )


async def _enviar_503(send: Send, mensaje: str, reintentar_en: int) -> None:
    cuerpo = json.dumps({"detail": mensaje}, ensure_ascii=False).encode()
    cabeceras = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(cuerpo)).encode()),
        (b"retry-after", str(reintentar_en).encode()),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": cabeceras})
    await send({"type": "http.response.body", "body": cuerpo})


class ControlAdmision:
    """Middleware ASGI: como mucho `peticiones_en_vuelo` a la vez (tareas de fondo incluidas).

    Las demás esperan ESPERA_COLA_SEGUNDOS y, si no entran, 503 con Retry-After. Si una petición
    no empieza a responder en PLAZO_PETICION_SEGUNDOS, el cliente recibe un 503 y su hueco sigue
    ocupado hasta que el trabajo termine: un hilo atascado nunca deja pasar a más de la cuenta.
    """

    def __init__(self, app: ASGIApp, *, ajustes: Ajustes) -> None:
        self.app = app
        maximo = peticiones_en_vuelo(ajustes)
        self.aforo = Aforo(
            maximo, espera_segundos=ajustes.espera_cola_segundos, cola_maxima=max(64, 4 * maximo)
        )
        self.plazo = ajustes.plazo_peticion_segundos
        self.reintentar_en = ajustes.reintentar_tras_segundos

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in RUTAS_EXENTAS:
            await self.app(scope, receive, send)
            return
        if not await self.aforo.entrar():
            aviso_saturacion.avisar("Saturado: %d peticiones en vuelo", self.aforo.maximo)
            await _enviar_503(send, SATURADO, self.reintentar_en)
            return
        iniciada = abandonada = False
        aviso: asyncio.Task | None = None

        async def enviar(mensaje: Message) -> None:
            nonlocal iniciada
            if abandonada:
                return
            if mensaje["type"] == "http.response.start":
                iniciada = True
            await send(mensaje)

        def vencido() -> None:
            nonlocal abandonada, aviso
            if iniciada:
                return
            abandonada = True
            aviso_saturacion.avisar("Una petición a %s pasó de %g s", scope["path"], self.plazo)
            aviso = asyncio.ensure_future(_enviar_503(send, DEMASIADO_LENTA, self.reintentar_en))

        # La petición corre en esta misma tarea (crear otra y esperarla con plazo costaba ~60 µs
        # por petición); un temporizador contesta el 503 si no ha empezado a responder a tiempo.
        # El servidor sigue con la conexión en cuanto la respuesta está completa; el hueco sigue
        # ocupado hasta que el trabajo acabe, y lo que conteste después no sale.
        temporizador = asyncio.get_running_loop().call_later(self.plazo, vencido)
        try:
            await self.app(scope, receive, enviar)
        except Exception as error:
            if not abandonada:
                raise
            registro.warning("Petición abandonada por lenta terminó con %r", error)
        finally:
            temporizador.cancel()
            self.aforo.salir()
            if aviso is not None:
                await aviso


def _motivo(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return (str(original).strip().splitlines() or [type(original).__name__])[0][:200]


def registrar_resiliencia(app: FastAPI, ajustes: Ajustes) -> None:
    """Control de admisión y traducción de errores de disponibilidad de la base a 503."""
    reintentar_en = ajustes.reintentar_tras_segundos

    async def bd_no_disponible(_: Request, error: Exception) -> JSONResponse:
        aviso_bd.avisar("Base de datos no disponible: %s", _motivo(error))
        return respuesta_503(BD_NO_DISPONIBLE, reintentar_en)

    async def bd_saturada(_: Request, error: Exception) -> JSONResponse:
        aviso_bd.avisar("Pool de conexiones agotado: %s", _motivo(error))
        return respuesta_503(BD_SATURADA, reintentar_en)

    app.add_exception_handler(OperationalError, bd_no_disponible)
    app.add_exception_handler(InterfaceError, bd_no_disponible)
    app.add_exception_handler(TimeoutPool, bd_saturada)
    app.add_middleware(ControlAdmision, ajustes=ajustes)


def ajustar_hilos(ajustes: Ajustes) -> None:
    """Más hilos que peticiones admitidas: ninguna admitida espera un hilo con una conexión."""
    limitador = anyio.to_thread.current_default_thread_limiter()
    necesarios = ajustes.max_peticiones_en_vuelo + HILOS_DE_MARGEN
    limitador.total_tokens = max(limitador.total_tokens, necesarios)
