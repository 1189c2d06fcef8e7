"""Aplicación FastAPI: routers, middleware y arranque (migración y datos iniciales)."""

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

import trabajos
from config import Ajustes, obtener_ajustes
from consola import montar_consola
from database import cerrojo_arranque, crear_fabrica, crear_motor, migrar
from errores import registrar_manejadores
from eventos import crear_bus
from lectura_en_bucle import cerrar_lector
from observabilidad import instalar as instalar_observabilidad
from resiliencia import ajustar_hilos, registrar_resiliencia
from rutas import (
    auditoria,
    clasificaciones_ia,
    estados_agente,
    eventos,
    grabaciones,
    importacion,
    llamadas,
    metricas,
    reportes,
    sistema,
    tablero,
    usuarios,
)
from rutas import trabajos as rutas_trabajos
from rutas.documentacion import ETIQUETAS, id_de_operacion, montar_documentacion
from rutas.grabaciones import limites_grabacion
from seguridad import CabecerasSeguridad, LimitesPeticion
from servicios import programador
from servicios.aforo import Aforo
from servicios.agrupador import Agrupador
from servicios.auditoria import registrar_arranque
from servicios.clasificador import precargar as precargar_clasificador
from servicios.limitador import LimitadorLogin
from servicios.semilla import comprobar_secretos, sembrar_demo, sembrar_usuarios

registro = logging.getLogger("callcenter")

DESCRIPCION = (
    "Registro de llamadas, clasificación con IA (Venta, Soporte, Reclamo) con consejo para el "
    "agente, KPIs en vivo y reportes. Pulsa **Authorize** e inicia sesión con tu correo."
)


def preparar_base_datos(app: FastAPI, ajustes: Ajustes) -> None:
    """Crea o migra el esquema y siembra los datos iniciales; idempotente.

    Con varios procesos arrancando a la vez, migrar y sembrar van bajo el mismo cerrojo.
    """
    motor = crear_motor(ajustes.database_url, ajustes)
    fabrica = crear_fabrica(motor, bus=app.state.bus)
    with cerrojo_arranque(motor):
        migrar(motor)
        with fabrica() as sesion:
            comprobar_secretos(sesion=sesion, ajustes=ajustes)
            # La demo acompaña solo a una base recién sembrada, nunca vuelve a una base en uso.
            if ajustes.sembrar_usuarios and sembrar_usuarios(sesion=sesion, ajustes=ajustes):
                if ajustes.sembrar_demo:
                    sembrar_demo(sesion=sesion, ajustes=ajustes)
    registrar_arranque(fabrica=fabrica, ajustes=ajustes)
    app.state.fabrica_sesiones = fabrica


def iniciar_trabajos(app: FastAPI, ajustes: Ajustes) -> trabajos.Trabajador | None:
    """Arranca el trabajador de segundo plano de este proceso (hilos y conexiones propios)."""
    if not ajustes.trabajos_activo:
        return None
    trabajador = trabajos.crear_trabajador(
        url=ajustes.database_url,
        ajustes=lambda: app.state.ajustes,
        hilos=ajustes.trabajos_hilos,
        bus=app.state.bus,
    )
    trabajador.iniciar()
    return trabajador


def congelar_lo_del_arranque() -> None:
    """Saca del recolector de ciclos los ~150 000 objetos del arranque (módulos, modelos,
    esquemas, el clasificador): viven lo que el proceso y una pasada completa del recolector
    los recorría todos, 90–135 ms con la petición que le tocara parada (la más lenta de cada
    ~20 métricas de un año en PostgreSQL). Congelados, esa pasada tarda ~20 ms. Lo que se
    suelte después por recuento de referencias se libera igual."""
    gc.collect()
    gc.freeze()


def crear_app(ajustes: Ajustes | None = None) -> FastAPI:
    """Fábrica de la aplicación; las pruebas le pasan sus propios ajustes."""
    ajustes = ajustes or obtener_ajustes()

    @asynccontextmanager
    async def ciclo_de_vida(app: FastAPI) -> AsyncIterator[None]:
        ajustar_hilos(ajustes)
        preparar_base_datos(app, ajustes)
        await asyncio.to_thread(precargar_clasificador, ajustes)
        await app.state.bus.iniciar()
        trabajador = iniciar_trabajos(app, ajustes)
        tarea_programador = programador.iniciar(app)
        congelar_lo_del_arranque()
        yield
        await programador.detener(tarea_programador)
        if trabajador is not None:
            await asyncio.to_thread(trabajador.detener)
        await app.state.bus.detener()
        cerrar_lector(app.state)
        app.state.fabrica_sesiones.kw["bind"].dispose()
        # Lo congelado vuelve al recolector: si el proceso sigue (pruebas que arrancan y paran
        # apps), lo de esta app que quede en ciclos se puede liberar.
        gc.unfreeze()

    app = FastAPI(
        title="API de Call Center",
        version="1.0.0",
        description=DESCRIPCION,
        lifespan=ciclo_de_vida,
        swagger_ui_parameters={"persistAuthorization": True},
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=id_de_operacion,
        openapi_tags=ETIQUETAS,
        # Las métricas son las de /metrics (Prometheus): sin la telemetría OpenTelemetry de
        # FastAPI, que en cada petición consultaba el entorno buscando un proveedor.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.ajustes = ajustes
    app.state.bus = crear_bus(ajustes)
    app.state.agrupador_tablero = Agrupador()
    app.state.lecturas = anyio.CapacityLimiter(ajustes.lecturas_a_la_vez)
    app.state.limitador_login = LimitadorLogin(ajustes)
    app.state.aforo_login = Aforo(
        ajustes.login_max_concurrentes, espera_segundos=ajustes.login_espera_segundos
    )
    registrar_resiliencia(app, ajustes)
    app.add_middleware(
        LimitesPeticion,
        max_cuerpo=ajustes.max_cuerpo_bytes,
        max_cabeceras=ajustes.max_cabeceras_bytes,
        limites_por_ruta={**limites_grabacion(ajustes), **ajustes.max_cuerpo_por_ruta},
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=ajustes.cors_origenes,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[
            "X-Total-Count",
            "X-Total-Exacto",
            "Link",
            "Retry-After",
            "Content-Disposition",
            "Idempotent-Replayed",
            "X-Request-ID",
        ],
    )

    instalar_observabilidad(app, ajustes)
    app.add_middleware(CabecerasSeguridad)
    registrar_manejadores(app)
    # FastAPI prueba las rutas en este orden y cada una que no encaja cuesta lo suyo (unas
    # 19 000 instrucciones, más que leer la página): primero lo que más se pide (la lista y el
    # alta de llamadas, la revisión, las métricas y el tablero), lo ocasional al final. Los
    # routers que comparten prefijo (/api/llamadas) conservan su orden entre sí.
    modulos = (
        llamadas,
        grabaciones,
        importacion,
        clasificaciones_ia,
        metricas,
        tablero,
        estados_agente,
        eventos,
        usuarios,
        reportes,
        rutas_trabajos,
        auditoria,
        sistema,
    )
    for modulo in modulos:
        app.include_router(modulo.router)
    montar_documentacion(app)
    montar_consola(app)
    return app


def opciones_uvicorn(ajustes: Ajustes) -> dict[str, Any]:
    """Opciones de uvicorn: X-Forwarded-For solo de TRUSTED_PROXIES y tope de cabeceras en h11."""
    return {
        "host": ajustes.host,
        "port": ajustes.puerto,
        "proxy_headers": bool(ajustes.trusted_proxies),
        "forwarded_allow_ips": ajustes.trusted_proxies or None,
        "h11_max_incomplete_event_size": ajustes.max_cabeceras_bytes,
    }


app = crear_app()

if __name__ == "__main__":
    import uvicorn

    # Sin log_config uvicorn escribe por el registro del proyecto; sin access_log, una sola
    # línea por petición (la de observabilidad/peticiones.py).
    uvicorn.run(
        "main:app", **opciones_uvicorn(obtener_ajustes()), access_log=False, log_config=None
    )
