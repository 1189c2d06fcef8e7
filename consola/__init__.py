"""Consola web: páginas estáticas servidas en /panel/ con una política de seguridad estricta."""

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

CARPETA_ESTATICOS = Path(__file__).resolve().parent / "estaticos"
RUTA_CONSOLA = "/panel"

# Sin scripts en línea ni eval, sin orígenes externos: todo sale de este mismo servidor.
POLITICA_CONTENIDO = (
    "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CABECERAS_SEGURIDAD = {
    "Content-Security-Policy": POLITICA_CONTENIDO,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}


class EstaticosConsola(StaticFiles):
    """StaticFiles que añade la CSP y las demás cabeceras de seguridad a cada respuesta."""

    # La ruta con la que salen sus ficheros en el registro y en /metrics (no la real).
    plantilla_ruta = f"{RUTA_CONSOLA}/{{archivo}}"

    async def get_response(self, path: str, scope: Scope) -> Response:
        respuesta = await super().get_response(path, scope)
        respuesta.headers.update(CABECERAS_SEGURIDAD)
        return respuesta


def montar_consola(app: FastAPI) -> None:
    """Monta la consola en /panel/ (index.html, CSS, módulos JS y la fuente Inter)."""
    app.mount(
        RUTA_CONSOLA,
        EstaticosConsola(directory=CARPETA_ESTATICOS, html=True),
        name="consola",
    )
