"""Respuestas compartidas del OpenAPI: errores con su cuerpo real y la cabecera X-Total-Count."""

from typing import Any

from esquemas.errores import Error, ErrorValidacion

Respuestas = dict[int | str, dict[str, Any]]


def _error(descripcion: str, ejemplo: str, **extra: Any) -> dict[str, Any]:
    return {
        "model": Error,
        "description": descripcion,
        "content": {"application/json": {"example": {"detail": ejemplo}}},
        **extra,
    }


def _reintentar(descripcion: str, *, siempre: bool = False) -> dict[str, Any]:
    return {
        "Retry-After": {
            "description": descripcion,
            "required": siempre,
            "schema": {"type": "integer", "minimum": 1},
        }
    }


ERRORES: Respuestas = {
    401: _error(
        "Falta el token, no es válido o ha caducado (cabecera WWW-Authenticate: Bearer)",
        "Falta el token: envía 'Authorization: Bearer <token>'",
        headers={
            "WWW-Authenticate": {
                "required": True,
                "schema": {"type": "string", "example": "Bearer"},
            }
        },
    ),
    403: _error(
        "El rol del usuario no permite la operación, o el recurso es de otro agente",
        "Permiso denegado: esta operación requiere el rol admin, supervisor",
    ),
    404: _error("No existe un recurso con ese id", "Llamada 42 no encontrada"),
    409: _error(
        "Choca con datos existentes (correo repetido, un admin que se quita el rol...)",
        "Ya existe un usuario con el correo lucia.perez@example.com",
    ),
    413: _error(
        "El cuerpo o el fichero subido supera el máximo permitido",
        "La grabación supera el máximo de 100 MB",
    ),
    416: _error(
        "El rango pedido (cabecera Range) cae fuera del fichero",
        "Rango no satisfacible: el fichero tiene 96044 bytes",
        headers={
            "Content-Range": {
                "required": True,
                "schema": {"type": "string", "example": "bytes */96044"},
            }
        },
    ),
    422: {
        "model": ErrorValidacion,
        "description": "Algún campo del cuerpo, la consulta o la ruta no es válido",
    },
    429: _error(
        "Demasiados intentos fallidos de inicio de sesión; reintenta tras Retry-After",
        "Demasiados intentos fallidos; vuelve a intentarlo en 300 s",
        headers=_reintentar("Segundos hasta poder reintentar", siempre=True),
    ),
    503: _error(
        "Servicio no disponible por un momento (base de datos); reintenta tras Retry-After",
        "Base de datos no disponible; reintenta en unos segundos",
        headers=_reintentar("Segundos recomendados antes de reintentar"),
    ),
}


def errores(*codigos: int) -> Respuestas:
    """Las respuestas de error indicadas, para el `responses=` de una ruta o un router."""
    return {codigo: ERRORES[codigo] for codigo in codigos}


def lista(descripcion: str) -> Respuestas:
    """200 de una lista paginada: el total va en X-Total-Count."""
    return {
        200: {
            "description": descripcion,
            "headers": {
                "X-Total-Count": {
                    "description": "Total de filas que cumplen los filtros (para paginar)",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 0},
                }
            },
        }
    }


def lista_cursor(descripcion: str) -> Respuestas:
    """200 de una lista con cursor: total acotado (X-Total-Count, X-Total-Exacto) y Link."""
    respuesta = lista(descripcion)
    respuesta[200]["headers"] |= {
        "X-Total-Exacto": {
            "description": "false si hay más filas que el tope contado: X-Total-Count es un "
            "mínimo (pide total=exacto para contarlas todas)",
            "required": True,
            "schema": {"type": "boolean"},
        },
        "Link": {
            "description": 'Enlace a la página siguiente (rel="next", con su cursor); falta '
            "en la última página",
            "required": False,
            "schema": {
                "type": "string",
                "example": '</api/llamadas/?limit=20&cursor=...>; rel="next"',
            },
        },
    }
    return respuesta
