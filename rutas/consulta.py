"""Parámetros de consulta validados con un solo modelo de Pydantic.

FastAPI resuelve cada parámetro de consulta por separado en cada petición, mirando otra vez sus
anotaciones (la lista de llamadas tiene once: ~100 µs por petición); un modelo valida toda la
cadena de consulta de una vez, en Rust. Los errores son los mismos que daría FastAPI (con
`query` delante del campo, 422 en español por errores.py) y la documentación de OpenAPI sale
del mismo modelo (`parametros_openapi`).
"""

from typing import Any, TypeVar

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

REFERENCIA = "#/components/schemas/{model}"


def consulta_con(modelo: type[M]) -> Any:
    """Dependencia que valida la cadena de consulta con `modelo` (un valor repetido: el
    último, como FastAPI; los parámetros desconocidos se ignoran)."""

    async def _validar(request: Request) -> M:
        try:
            return modelo.model_validate(dict(request.query_params))
        except ValidationError as error:
            errores = [
                {**fallo, "loc": ("query", *fallo["loc"])}
                for fallo in error.errors(include_url=False)
            ]
            raise RequestValidationError(errores) from None

    return Depends(_validar)


def parametros_openapi(modelo: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` de una ruta con `consulta_con(modelo)`: un parámetro de consulta por
    campo, con el esquema, la descripción y los valores por defecto del modelo (los enumerados
    como referencias a components/schemas, donde ya están por los esquemas de respuesta)."""
    esquema = modelo.model_json_schema(ref_template=REFERENCIA)
    obligatorios = set(esquema.get("required", ()))
    parametros = []
    for nombre, propiedad in esquema["properties"].items():
        parametro = {"name": nombre, "in": "query", "required": nombre in obligatorios}
        parametro["schema"] = propiedad
        if "description" in propiedad:
            parametro["description"] = propiedad["description"]
        parametros.append(parametro)
    return {"parameters": parametros}
