"""Aplicación FastAPI: routers, middleware y arranque (migración y datos iniciales)."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from config import Ajustes, obtener_ajustes
from database import crear_fabrica, crear_motor, migrar
from errores import registrar_manejadores
from observabilidad import instalar as instalar_observabilidad
from rutas import auditoria, clasificaciones_ia, llamadas, metricas, reportes, sistema, usuarios
from servicios import programador
from servicios.auditoria import registrar_arranque
from servicios.clasificador import precargar as precargar_clasificador
from servicios.limitador import LimitadorLogin
from servicios.semilla import sembrar_demo, sembrar_usuarios

registro = logging.getLogger("callcenter")

DESCRIPCION = (
    "Registro de llamadas, clasificación con IA (Venta, Soporte, Reclamo) con consejo para el "
    "agente, KPIs en vivo y reportes. Pulsa **Authorize** e inicia sesión con tu correo."
)


def preparar_base_datos(app: FastAPI, ajustes: Ajustes) -> None:
    """Crea o migra el esquema y siembra los datos iniciales; idempotente."""
    motor = crear_motor(ajustes.database_url)
    migrar(motor)
    fabrica = crear_fabrica(motor)
    with fabrica() as sesion:
        if ajustes.sembrar_usuarios:
            sembrar_usuarios(sesion=sesion, ajustes=ajustes)
        if ajustes.sembrar_demo:
            sembrar_demo(sesion=sesion, ajustes=ajustes)
    registrar_arranque(fabrica=fabrica, ajustes=ajustes)
    app.state.fabrica_sesiones = fabrica


def crear_app(ajustes: Ajustes | None = None) -> FastAPI:
    """Fábrica de la aplicación; las pruebas le pasan sus propios ajustes."""
    ajustes = ajustes or obtener_ajustes()

    @asynccontextmanager
    async def ciclo_de_vida(app: FastAPI) -> AsyncIterator[None]:
        preparar_base_datos(app, ajustes)
        await asyncio.to_thread(precargar_clasificador, ajustes)
        tarea_programador = programador.iniciar(app)
        yield
        await programador.detener(tarea_programador)
        app.state.fabrica_sesiones.kw["bind"].dispose()

    app = FastAPI(
        title="API de Call Center",
        version="1.0.0",
        description=DESCRIPCION,
        lifespan=ciclo_de_vida,
        swagger_ui_parameters={"persistAuthorization": True},
    )
    app.state.ajustes = ajustes
    app.state.limitador_login = LimitadorLogin(ajustes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=ajustes.cors_origenes,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Total-Count", "Retry-After", "Content-Disposition", "X-Request-ID"],
    )

    instalar_observabilidad(app, ajustes)
    registrar_manejadores(app)
    for modulo in (sistema, usuarios, llamadas, clasificaciones_ia, metricas, reportes, auditoria):
        app.include_router(modulo.router)
    return app


app = crear_app()

if __name__ == "__main__":
    import uvicorn

    ajustes_proceso = obtener_ajustes()
    # Sin log_config uvicorn escribe por el registro del proyecto; sin access_log, una sola
    # línea por petición (la de observabilidad/peticiones.py).
    uvicorn.run(
        "main:app",
        host=ajustes_proceso.host,
        port=ajustes_proceso.puerto,
        access_log=False,
        log_config=None,
    )
