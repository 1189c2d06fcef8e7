"""Cuerpos de error de la API (los que arma errores.py), para declararlos en el OpenAPI."""

from pydantic import BaseModel, ConfigDict, Field


class Error(BaseModel):
    """Error con un mensaje en español: 401, 403, 404, 409, 429, 503."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "Llamada 42 no encontrada"}]}
    )

    detail: str = Field(description="Qué pasó, en español")


class ErrorCampo(BaseModel):
    """Un campo que no pasó la validación."""

    loc: list[str] = Field(description="Dónde está: body, query, path o header, y el campo")
    campo: str = Field(description="Nombre del campo con el error ('cuerpo' si es todo)")
    msg: str = Field(description="'campo: mensaje' en español")
    type: str = Field(description="Tipo de error (string_too_long, missing, value_error...)")


class ErrorValidacion(BaseModel):
    """422: uno o más campos no válidos, cada uno nombrado."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": [
                        {
                            "loc": ["body", "duracion_segundos"],
                            "campo": "duracion_segundos",
                            "msg": "duracion_segundos: debe ser mayor o igual que 0",
                            "type": "greater_than_equal",
                        }
                    ]
                }
            ]
        }
    )

    detail: list[ErrorCampo]
