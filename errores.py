"""Traducción de errores a {"detail": ...} en español: dominio, validación y base de datos."""

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from servicios.excepciones import DatoInvalido, ErrorDominio

registro = logging.getLogger("callcenter.errores")

MENSAJES = {
    "missing": "es obligatorio",
    "string_type": "debe ser un texto",
    "int_type": "debe ser un número entero",
    "int_parsing": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "float_type": "debe ser un número",
    "float_parsing": "debe ser un número",
    "bool_type": "debe ser verdadero o falso",
    "bool_parsing": "debe ser verdadero o falso",
    "datetime_type": "debe ser una fecha y hora ISO 8601",
    "datetime_parsing": "debe ser una fecha y hora ISO 8601 (p. ej. 2025-01-31T10:30:00Z)",
    "datetime_from_date_parsing": "debe ser una fecha y hora ISO 8601",
    "date_parsing": "debe ser una fecha ISO 8601 (AAAA-MM-DD)",
    "date_from_datetime_parsing": "debe ser una fecha ISO 8601 (AAAA-MM-DD)",
    "dict_type": "debe ser un objeto JSON",
    "model_attributes_type": "debe ser un objeto JSON",
    "list_type": "debe ser una lista",
    "json_invalid": "el cuerpo no es un JSON válido",
    "extra_forbidden": "campo no permitido",
    "string_pattern_mismatch": "tiene caracteres no permitidos",
    "finite_number": "debe ser un número finito",
}


def _mensaje(error: dict[str, Any]) -> str:
    tipo, ctx = error.get("type", ""), error.get("ctx") or {}
    if tipo == "string_pattern_mismatch" and "\x00" in str(error.get("input", "")):
        return "no puede contener el carácter nulo"
    if tipo in MENSAJES:
        return MENSAJES[tipo]
    if tipo in ("string_too_short", "too_short"):
        return f"debe tener al menos {ctx.get('min_length', 1)} caracteres"
    if tipo in ("string_too_long", "too_long"):
        return f"debe tener como máximo {ctx.get('max_length')} caracteres"
    if tipo in ("greater_than_equal", "greater_than"):
        signo = "mayor o igual que" if tipo == "greater_than_equal" else "mayor que"
        return f"debe ser {signo} {ctx.get('ge', ctx.get('gt'))}"
    if tipo in ("less_than_equal", "less_than"):
        signo = "menor o igual que" if tipo == "less_than_equal" else "menor que"
        return f"debe ser {signo} {ctx.get('le', ctx.get('lt'))}"
    if tipo in ("enum", "literal_error"):
        return f"valor no válido; se admite: {ctx.get('expected', '')}".replace(" or ", " o ")
    if tipo == "value_error":
        mensaje = str(ctx.get("error", error.get("msg", "")))
        if "email" in mensaje.lower() or "@" in mensaje:
            return "no es un correo electrónico válido"
        if "Expected UploadFile" in mensaje:
            return "debe ser un fichero (multipart/form-data)"
        return mensaje
    return "valor no válido"


# Lo que Pydantic añade al loc por cada rama de una unión (fecha o instante): no es un campo.
RAMA_DE_UNION = re.compile(r"^(function-\w+\[.*\]|date|datetime|int|float|str|bool)$")


def _campo(error: dict[str, Any]) -> tuple[list[str], str]:
    loc = [str(p) for p in error.get("loc", ()) if not RAMA_DE_UNION.match(str(p))]
    campo = ".".join(p for p in loc if p not in ("body", "query", "path", "header")) or "cuerpo"
    if error.get("type") == "json_invalid":  # su loc trae la posición del fallo, no un campo
        campo = "cuerpo"
    return loc, campo


def traducir_errores(errores: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errores de Pydantic con el campo nombrado y el mensaje en español. Un campo que falla en
    cada rama de una unión da un solo error: el de una regla propia (value_error) si lo hay."""
    elegidos: dict[str, tuple[list[str], dict[str, Any]]] = {}
    for error in errores:
        loc, campo = _campo(error)
        previo = elegidos.get(campo)
        if previo is None or (
            error.get("type") == "value_error" and previo[1].get("type") != "value_error"
        ):
            elegidos[campo] = (loc, error)
    return [
        {
            "loc": loc,
            "campo": campo,
            "msg": f"{campo}: {_mensaje(error)}",
            "type": error.get("type"),
        }
        for campo, (loc, error) in elegidos.items()
    ]


def detalle_422(campo: str, mensaje: str, tipo: str, loc: list[str] | None = None) -> list[dict]:
    """Un 422 con la misma forma que los de validación: [{"loc", "campo", "msg", "type"}]."""
    return [{"loc": loc or [campo], "campo": campo, "msg": mensaje, "type": tipo}]


async def _error_dominio(_: Request, error: ErrorDominio) -> JSONResponse:
    detalle: Any = error.mensaje
    if isinstance(error, DatoInvalido):
        detalle = detalle_422(error.campo, error.mensaje, error.tipo, error.loc)
    return JSONResponse({"detail": detalle}, status_code=error.estado, headers=error.cabeceras)


async def _error_validacion(_: Request, error: RequestValidationError) -> JSONResponse:
    return JSONResponse({"detail": traducir_errores(list(error.errors()))}, status_code=422)


# FastAPI responde 400 en inglés cuando ni siquiera puede leer el cuerpo (codificación no UTF-8,
# JSON anidado hasta agotar la recursión): es un cuerpo no válido como cualquier otro.
CUERPO_ILEGIBLE = "There was an error parsing the body"


async def _error_http(peticion: Request, error: StarletteHTTPException) -> JSONResponse:
    if error.status_code == 400 and error.detail == CUERPO_ILEGIBLE:
        fallo = {"type": "json_invalid", "loc": ("body",), "msg": CUERPO_ILEGIBLE}
        return JSONResponse({"detail": traducir_errores([fallo])}, status_code=422)
    if error.status_code == 400 and peticion.headers.get("content-type", "").startswith(
        "multipart/"
    ):
        # Starlette responde 400 (en inglés) a un multipart mal formado (sin límite, cortado).
        mensaje = "cuerpo: no es un multipart/form-data válido"
        return JSONResponse(
            {"detail": detalle_422("cuerpo", mensaje, "value_error", ["body"])}, 422
        )
    mensajes = {404: "Ruta no encontrada", 405: "Método no permitido"}
    detalle = error.detail
    if error.status_code in mensajes and detalle in ("Not Found", "Method Not Allowed"):
        detalle = mensajes[error.status_code]
    return JSONResponse(
        {"detail": detalle}, status_code=error.status_code, headers=getattr(error, "headers", None)
    )


async def _error_datos(_: Request, error: DataError) -> JSONResponse:
    registro.warning("Valor rechazado por la base de datos: %s", error.orig)
    mensaje = "cuerpo: algún valor está fuera de rango o no es válido"
    return JSONResponse({"detail": detalle_422("cuerpo", mensaje, "value_error", ["body"])}, 422)


async def _error_integridad(_: Request, error: IntegrityError) -> JSONResponse:
    registro.warning("Conflicto de integridad: %s", error.orig)
    return JSONResponse({"detail": "El cambio entra en conflicto con datos existentes"}, 409)


def registrar_manejadores(app: FastAPI) -> None:
    """Un manejador por familia de error; ninguna entrada del cliente termina en 500."""
    app.add_exception_handler(ErrorDominio, _error_dominio)
    app.add_exception_handler(RequestValidationError, _error_validacion)
    app.add_exception_handler(StarletteHTTPException, _error_http)
    app.add_exception_handler(DataError, _error_datos)
    app.add_exception_handler(IntegrityError, _error_integridad)
