"""Documentación interactiva (Swagger UI y ReDoc) servida solo con ficheros del proyecto."""

import json
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.docs import swagger_ui_default_parameters
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

CARPETA_ESTATICOS = Path(__file__).resolve().parent.parent / "estaticos"
ESTATICOS = "/estaticos"
SWAGGER_UI = f"{ESTATICOS}/vendor/swagger-ui"
REDOC = f"{ESTATICOS}/vendor/redoc"
REDIRECCION_OAUTH2 = "/docs/oauth2-redirect"
# ReDoc sin fuentes de Google (usa las del sistema) y con las respuestas de éxito abiertas.
OPCIONES_REDOC = {"expandResponses": "200,201"}

# Descripción de cada grupo de rutas en Swagger UI y ReDoc.
ETIQUETAS = [
    {"name": "sistema", "description": "Bienvenida y salud del servicio."},
    {"name": "usuarios", "description": "Inicio de sesión y gestión de usuarios y roles."},
    {"name": "llamadas", "description": "Registro e historial de llamadas."},
    {
        "name": "clasificaciones-ia",
        "description": "Clasificación con IA (venta, soporte, reclamo) y consejo al agente.",
    },
    {
        "name": "grabaciones",
        "description": "Grabaciones de las llamadas, su transcripción redactada y la analítica "
        "de voz (habla, silencio, solape, interrupciones).",
    },
    {"name": "metricas", "description": "Métricas: KPIs en vivo y fotos diarias."},
    {"name": "reportes", "description": "Reportes guardados y su descarga en CSV, XLSX o PDF."},
    {"name": "estados-agente", "description": "Estado de los agentes (disponible, pausa...)."},
    {"name": "tablero", "description": "Tablero en vivo de la sala y cifras del día del agente."},
    {"name": "eventos", "description": "Eventos en vivo por Server-Sent Events."},
    {"name": "auditoria", "description": "Registro de auditoría de solo anexado (admin)."},
    {
        "name": "trabajos",
        "description": "Trabajos en segundo plano (clasificación): estado, intentos y errores.",
    },
]

router = APIRouter(include_in_schema=False)


def _atributo(valor: Any) -> str:
    """JSON listo para un atributo HTML entre comillas dobles."""
    return escape(json.dumps(jsonable_encoder(valor), ensure_ascii=False), quote=True)


def _pagina(titulo: str, raiz: str, cabeza: str, cuerpo: str) -> HTMLResponse:
    """Página HTML sin ningún script en línea: cumple una CSP con script-src 'self'."""
    return HTMLResponse(
        f"""<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(titulo)}</title>
<link rel="icon" type="image/svg+xml" href="{raiz}{ESTATICOS}/favicon.svg">
<link rel="alternate icon" type="image/png" href="{raiz}{ESTATICOS}/favicon.png">
{cabeza}
</head>
<body>
{cuerpo}
</body>
</html>
"""
    )


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI con el botón Authorize (flujo password de OAuth2 contra el login)."""
    app: FastAPI = request.app
    raiz = request.scope.get("root_path", "")
    config = {
        **swagger_ui_default_parameters,
        **(app.swagger_ui_parameters or {}),
        "url": f"{raiz}{app.openapi_url}",
        "oauth2RedirectUrl": f"{raiz}{REDIRECCION_OAUTH2}",
        "validatorUrl": None,
    }
    return _pagina(
        f"{app.title} - Swagger UI",
        raiz,
        f'<link rel="stylesheet" href="{raiz}{SWAGGER_UI}/swagger-ui.css">',
        f'<div id="swagger-ui" data-config="{_atributo(config)}"></div>\n'
        f'<script src="{raiz}{SWAGGER_UI}/swagger-ui-bundle.js"></script>\n'
        f'<script src="{raiz}{ESTATICOS}/docs/swagger-init.js"></script>',
    )


@router.get(REDIRECCION_OAUTH2)
def redireccion_oauth2(request: Request) -> HTMLResponse:
    """Vuelta de los flujos OAuth2 con redirección de Swagger UI (script servido, no en línea)."""
    raiz = request.scope.get("root_path", "")
    return _pagina(
        "OAuth2", raiz, "", f'<script src="{raiz}{SWAGGER_UI}/oauth2-redirect.js"></script>'
    )


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc, la referencia de la API para leer."""
    app: FastAPI = request.app
    raiz = request.scope.get("root_path", "")
    return _pagina(
        f"{app.title} - ReDoc",
        raiz,
        "<style>body { margin: 0; padding: 0; }</style>",
        f'<div id="redoc" data-openapi="{escape(raiz + (app.openapi_url or ""))}" '
        f'data-worker="{raiz}{REDOC}/redoc-busqueda.worker.js" '
        f'data-opciones="{_atributo(OPCIONES_REDOC)}"></div>\n'
        f'<script src="{raiz}{REDOC}/redoc.standalone.js"></script>\n'
        f'<script src="{raiz}{ESTATICOS}/docs/redoc-init.js"></script>',
    )


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Icono del proyecto, para los navegadores que lo piden en la raíz."""
    return FileResponse(CARPETA_ESTATICOS / "favicon.png", media_type="image/png")


def id_de_operacion(ruta: APIRoute) -> str:
    """operationId legible, etiqueta y verbo: listar_llamadas en 'llamadas' da llamadas_listar."""
    etiqueta = str(ruta.tags[0]).replace("-", "_") if ruta.tags else "api"
    recurso = etiqueta.split("_")[0]
    # El nombre del recurso (plural o singular) sobra tras la etiqueta: se quita una vez.
    formas = {recurso, recurso.removesuffix("s"), recurso.removesuffix("es")}
    palabras = ruta.name.split("_")
    sobrante = next((p for p in palabras[1:] if p in formas), None)
    if sobrante:
        palabras.remove(sobrante)
    return f"{etiqueta}_{'_'.join(palabras)}"


def _openapi_en_español(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """El generador de FastAPI, con su descripción por defecto de las respuestas en español."""
    generar = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            esquema = generar()
            for operaciones in esquema.get("paths", {}).values():
                for operacion in operaciones.values():
                    for respuesta in operacion.get("responses", {}).values():
                        if respuesta.get("description") == "Successful Response":
                            respuesta["description"] = "Respuesta correcta"
        return app.openapi_schema

    return openapi


def montar_documentacion(app: FastAPI) -> None:
    """Rutas de /docs y /redoc y los ficheros estáticos que cargan (ninguno de una CDN)."""
    app.openapi = _openapi_en_español(app)  # type: ignore[method-assign]
    app.include_router(router)
    estaticos = StaticFiles(directory=CARPETA_ESTATICOS)
    estaticos.plantilla_ruta = f"{ESTATICOS}/{{archivo}}"  # type: ignore[attr-defined]
    app.mount(ESTATICOS, estaticos, name="estaticos")
