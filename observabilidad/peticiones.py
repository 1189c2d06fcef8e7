"""Middleware ASGI: id de petición, una línea de registro por petición y métricas HTTP."""

import logging
import os
import re
from time import perf_counter

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observabilidad import contexto
from observabilidad.prometheus import observar_peticion

registro_peticiones = logging.getLogger("callcenter.peticiones")

CABECERA_ID = "x-request-id"
# Un id recibido se reutiliza solo si es corto y de caracteres inofensivos (sin saltos de línea).
ID_SENSATO = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
SIN_RUTA = "sin_ruta"


def _id_recibido(scope: Scope) -> str | None:
    for nombre, valor in scope.get("headers", ()):
        if nombre == CABECERA_ID.encode():
            texto = valor.decode("latin-1")
            return texto if ID_SENSATO.fullmatch(texto) else None
    return None


def plantilla_de_ruta(scope: Scope) -> str:
    """La ruta con sus parámetros sin sustituir (/api/llamadas/{llamada_id}), nunca la real."""
    ruta = getattr(scope.get("route"), "path", None)
    return ruta or getattr(scope.get("endpoint"), "plantilla_ruta", None) or SIN_RUTA


class ObservarPeticiones:
    """Sin tareas ni hilos extra: mide, anota el id en la respuesta y escribe una línea."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inicio = perf_counter()
        cliente = scope.get("client")
        actual = contexto.ContextoPeticion(
            request_id=_id_recibido(scope) or os.urandom(16).hex(),
            ip=cliente[0][:45] if cliente else None,
        )
        testigo = contexto.abrir(actual)
        estado = 500

        async def enviar(mensaje: Message) -> None:
            nonlocal estado
            if mensaje["type"] == "http.response.start":
                estado = mensaje["status"]
                MutableHeaders(scope=mensaje).append(CABECERA_ID, actual.request_id)
            await send(mensaje)

        try:
            await self.app(scope, receive, enviar)
        except BaseException:
            self._anotar(scope, estado, perf_counter() - inicio, actual)
            # Sin restablecer el contexto: la traza que escribe el servidor lleva el mismo id.
            raise
        self._anotar(scope, estado, perf_counter() - inicio, actual)
        contexto.cerrar(testigo)

    @staticmethod
    def _anotar(
        scope: Scope, estado: int, segundos: float, actual: contexto.ContextoPeticion
    ) -> None:
        """La métrica y la única línea de registro de la petición."""
        ruta = plantilla_de_ruta(scope)
        observar_peticion(scope["method"], ruta, estado, segundos)
        if registro_peticiones.isEnabledFor(logging.INFO):
            registro_peticiones.info(
                "%s %s %d %.1f ms usuario=%s",
                scope["method"],
                ruta,
                estado,
                segundos * 1000,
                actual.usuario_id if actual.usuario_id is not None else "-",
                extra={
                    "metodo": scope["method"],
                    "ruta": ruta,
                    "estado": estado,
                    "duracion_ms": round(segundos * 1000, 1),
                    "usuario_id": actual.usuario_id,
                },
            )
