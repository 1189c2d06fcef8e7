"""Middleware ASGI de seguridad: límites de cabeceras y cuerpo, cabeceras de seguridad, IP real."""

import json
import re

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Una sola política para todo el servicio; /docs y /redoc sirven sus scripts desde el propio
# servidor, así que basta con 'self' (ajústala aquí si una página necesita otra cosa).
POLITICA_CONTENIDO = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'"
)
CABECERAS_SEGURIDAD = (
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", POLITICA_CONTENIDO.encode("latin-1")),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
SIN_CACHE = (b"cache-control", b"no-store")
PREFIJO_API = "/api"

# Rutas que declaran en el código un cuerpo mayor que MAX_CUERPO_BYTES (prefijo -> bytes); el
# ajuste MAX_CUERPO_POR_RUTA las amplía o las cambia sin tocar el código. Un `*` en el prefijo
# vale por un segmento de la ruta (p. ej. el id en /api/llamadas/*/grabacion).
LIMITES_CUERPO_POR_RUTA: dict[str, int] = {}


def _patron(prefijo: str) -> re.Pattern[str]:
    return re.compile("[^/]+".join(re.escape(parte) for parte in prefijo.split("*")))


# Marca con la que se cuentan los intentos de login cuya IP salió de un X-Forwarded-For que nadie
# declaró de confianza: cambiar la cabecera no da una dirección nueva con la que seguir probando.
DIRECCION_NO_CONFIABLE = "x-forwarded-for-no-confiable"


class CuerpoDemasiadoGrande(Exception):
    """El cliente envió más bytes de los permitidos en esta ruta."""


async def responder_json(send: Send, estado: int, detalle: str) -> None:
    """Respuesta JSON {"detail": ...} que cierra la conexión (el resto del cuerpo no se lee)."""
    cuerpo = json.dumps({"detail": detalle}, ensure_ascii=False, separators=(",", ":")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": estado,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(cuerpo)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": cuerpo})


class LimitesPeticion:
    """Rechaza cabeceras demasiado grandes (431) y cuerpos mayores que el límite (413).

    El límite de cuerpo se aplica mientras se lee, antes de autenticar o interpretar nada: un
    Content-Length excesivo se rechaza sin leer un byte, y un cuerpo por trozos se corta en
    cuanto lo supera.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_cuerpo: int,
        max_cabeceras: int,
        limites_por_ruta: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_cuerpo = max_cuerpo
        self.max_cabeceras = max_cabeceras
        limites = {**LIMITES_CUERPO_POR_RUTA, **(limites_por_ruta or {})}
        # El prefijo más largo que encaje manda.
        self.limites_por_ruta = [
            (_patron(prefijo), limite)
            for prefijo, limite in sorted(limites.items(), key=lambda par: -len(par[0]))
        ]

    def limite_cuerpo(self, ruta: str) -> int:
        """Bytes de cuerpo permitidos para una ruta."""
        for patron, limite in self.limites_por_ruta:
            if patron.match(ruta):
                return limite
        return self.max_cuerpo

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cabeceras = scope["headers"]
        if sum(len(nombre) + len(valor) + 4 for nombre, valor in cabeceras) > self.max_cabeceras:
            await responder_json(
                send, 431, f"Las cabeceras superan el máximo de {self.max_cabeceras} bytes"
            )
            return
        con_cuerpo = any(n in (b"content-length", b"transfer-encoding") for n, _ in cabeceras)
        if not con_cuerpo and scope.get("http_version") in ("1.0", "1.1"):
            # En HTTP/1 sin Content-Length ni Transfer-Encoding no llega cuerpo: nada que vigilar
            # (la mayoría de las peticiones, los GET de las listas).
            await self.app(scope, receive, send)
            return
        limite = self.limite_cuerpo(scope["path"])
        rechazo = f"El cuerpo de la petición supera el máximo de {limite} bytes"
        for nombre, valor in cabeceras:
            if nombre == b"content-length" and valor.isdigit() and int(valor) > limite:
                await responder_json(send, 413, rechazo)
                return
        leidos = 0
        excedido = False
        respuesta_iniciada = False

        async def recibir() -> Message:
            nonlocal leidos, excedido
            if excedido:
                raise CuerpoDemasiadoGrande
            mensaje = await receive()
            if mensaje["type"] == "http.request":
                leidos += len(mensaje.get("body", b""))
                if leidos > limite:
                    excedido = True
                    raise CuerpoDemasiadoGrande
            return mensaje

        async def enviar(mensaje: Message) -> None:
            nonlocal respuesta_iniciada
            if excedido and not respuesta_iniciada:
                return  # lo que la aplicación conteste a un cuerpo cortado no sale: sale el 413
            respuesta_iniciada = respuesta_iniciada or mensaje["type"] == "http.response.start"
            await send(mensaje)

        try:
            await self.app(scope, recibir, enviar)
        except Exception:
            # La aplicación puede convertir el corte en otro error; si hubo corte, manda el 413.
            if not excedido:
                raise
        if excedido and not respuesta_iniciada:
            await responder_json(send, 413, rechazo)


class CabecerasSeguridad:
    """Añade nosniff, CSP, X-Frame-Options y Referrer-Policy a toda respuesta; no-store en /api."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = CABECERAS_SEGURIDAD
        if scope["path"].startswith(PREFIJO_API):
            extra += (SIN_CACHE,)

        async def enviar(mensaje: Message) -> None:
            if mensaje["type"] == "http.response.start":
                cabeceras = list(mensaje.get("headers", []))
                presentes = {nombre.lower() for nombre, _ in cabeceras}
                # Una ruta que ya fija una de ellas (p. ej. su propia CSP) la conserva.
                cabeceras += [(n, v) for n, v in extra if n not in presentes]
                mensaje = {**mensaje, "headers": cabeceras}
            await send(mensaje)

        await self.app(scope, receive, enviar)


def direccion_cliente(request: Request, proxies_confiables: list[str]) -> str:
    """IP con la que se cuentan los intentos de login: la del par TCP salvo proxies declarados."""
    host = request.client.host if request.client else "desconocida"
    if proxies_confiables:
        return host  # uvicorn ya la tomó de X-Forwarded-For solo si venía de un proxy declarado
    reenviadas = {
        parte.strip()
        for valor in request.headers.getlist("x-forwarded-for")
        for parte in valor.split(",")
    }
    # Sin proxies declarados, una IP que coincide con X-Forwarded-For la puso el cliente (uvicorn
    # arrancado a mano confía por defecto en 127.0.0.1): no sirve para distinguir a nadie.
    return DIRECCION_NO_CONFIABLE if host in reenviadas else host
