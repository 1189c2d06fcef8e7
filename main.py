"""Aplicación FastAPI: routers, middleware y arranque (migración y datos iniciales)."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Ajustes, obtener_ajustes
from consola import montar_consola
from database import crear_fabrica, crear_motor, migrar
from errores import registrar_manejadores
from eventos import crear_bus
from rutas import (
    clasificaciones_ia,
    estados_agente,
    eventos,
    llamadas,
    metricas,
    reportes,
    sistema,
    tablero,
    usuarios,
)
from servicios import programador
from servicios.agrupador import Agrupador
from servicios.clasificador import precargar as precargar_clasificador
from servicios.limitador import LimitadorLogin
from servicios.semilla import sembrar_demo, sembrar_usuarios

registro = logging.getLogger("callcenter")
registro_peticiones = logging.getLogger("callcenter.peticiones")

DESCRIPCION = (
    "Registro de llamadas, clasificación con IA (Venta, Soporte, Reclamo) con consejo para el "
    "agente, KPIs en vivo y reportes. Pulsa **Authorize** e inicia sesión con tu correo."
)


class RegistroPeticiones:
    """Middleware ASGI puro (sin tareas extra): método, ruta, estado y milisegundos."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inicio = time.perf_counter()
        estado = 500

        async def enviar(mensaje: Message) -> None:
            nonlocal estado
            if mensaje["type"] == "http.response.start":
                estado = mensaje["status"]
            await send(mensaje)

        try:
            await self.app(scope, receive, enviar)
        finally:
            if registro_peticiones.isEnabledFor(logging.INFO):
                registro_peticiones.info(
                    "%s %s %d %.1f ms",
                    scope["method"],
                    scope["path"],
                    estado,
                    (time.perf_counter() - inicio) * 1000,
                )


def preparar_base_datos(app: FastAPI, ajustes: Ajustes) -> None:
    """Crea o migra el esquema y siembra los datos iniciales; idempotente."""
    motor = crear_motor(ajustes.database_url)
    migrar(motor)
    fabrica = crear_fabrica(motor, bus=app.state.bus)
    with fabrica() as sesion:
        if ajustes.sembrar_usuarios:
            sembrar_usuarios(sesion=sesion, ajustes=ajustes)
        if ajustes.sembrar_demo:
            sembrar_demo(sesion=sesion, ajustes=ajustes)
    app.state.fabrica_sesiones = fabrica


def crear_app(ajustes: Ajustes | None = None) -> FastAPI:
    """Fábrica de la aplicación; las pruebas le pasan sus propios ajustes."""
    ajustes = ajustes or obtener_ajustes()

    @asynccontextmanager
    async def ciclo_de_vida(app: FastAPI) -> AsyncIterator[None]:
        preparar_base_datos(app, ajustes)
        await asyncio.to_thread(precargar_clasificador, ajustes)
        await app.state.bus.iniciar()
        tarea_programador = programador.iniciar(app)
        yield
        await programador.detener(tarea_programador)
        await app.state.bus.detener()
        app.state.fabrica_sesiones.kw["bind"].dispose()

    app = FastAPI(
        title="API de Call Center",
        version="1.0.0",
        description=DESCRIPCION,
        lifespan=ciclo_de_vida,
        swagger_ui_parameters={"persistAuthorization": True},
    )
    app.state.ajustes = ajustes
    app.state.bus = crear_bus(ajustes)
    app.state.agrupador_tablero = Agrupador()
    app.state.limitador_login = LimitadorLogin(ajustes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=ajustes.cors_origenes,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Total-Count", "Retry-After", "Content-Disposition"],
    )

    app.add_middleware(RegistroPeticiones)
    registrar_manejadores(app)
    for modulo in (sistema, usuarios, llamadas, clasificaciones_ia, metricas, reportes):
        app.include_router(modulo.router)
    for modulo in (estados_agente, tablero, eventos):
        app.include_router(modulo.router)
    montar_consola(app)
    return app


app = crear_app()

if __name__ == "__main__":
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    ajustes_proceso = obtener_ajustes()
    uvicorn.run("main:app", host=ajustes_proceso.host, port=ajustes_proceso.puerto)
