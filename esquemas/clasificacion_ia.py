"""Esquemas de la clasificación con IA de una llamada."""

from datetime import datetime

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from esquemas.comunes import Id, enum_tolerante, texto
from modelos.enums import Categoria, MotorIA, Sentimiento

# El máximo depende del ajuste TEXTO_MAX_CARACTERES: lo comprueba la ruta.
TextoLlamada = texto(strip_whitespace=True, min_length=1)


CONFIANZA_REVISAR_DEFECTO = 0.6


def contexto_revisar(umbral: float) -> dict[str, float]:
    """Contexto de validación con el umbral CONFIANZA_REVISAR de la aplicación."""
    return {"confianza_revisar": umbral}


def _marcar_revisar(valor: bool, info: ValidationInfo) -> bool:
    """`revisar` sale de la confianza y del umbral del contexto (0,6 si no se dio)."""
    umbral = (info.context or {}).get("confianza_revisar", CONFIANZA_REVISAR_DEFECTO)
    return bool(info.data.get("confianza", 1.0) < umbral)


class ClasificacionPublica(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    llamada_id: int
    categoria: Categoria
    confianza: float
    recomendacion_agente: str
    sentimiento: Sentimiento
    resumen: str | None
    motor: MotorIA
    modelo: str
    latencia_ms: float
    creado_en: datetime
    categoria_modelo: Categoria | None = Field(
        default=None, description="Lo que dijo el clasificador, si una persona lo corrigió"
    )
    corregida_por_id: int | None = None
    corregida_en: datetime | None = None
    nota_correccion: str | None = None
    revisar: bool = Field(
        default=False,
        validate_default=True,
        description="Confianza por debajo de CONFIANZA_REVISAR: conviene que la revise una persona",
    )

    _revisar = field_validator("revisar")(_marcar_revisar)


class ClasificarLlamada(BaseModel):
    """Petición para clasificar (o reclasificar) una llamada guardada."""

    llamada_id: Id


class ClasificarTexto(BaseModel):
    """Texto libre a clasificar; no se guarda nada."""

    texto: TextoLlamada = Field(description="Notas o transcripción de la llamada")


class ClasificarTextoAlias(BaseModel):
    """Forma del endpoint original: acepta `descripcion` o `texto`."""

    texto: TextoLlamada | None = Field(default=None, description="Notas o transcripción")
    descripcion: TextoLlamada | None = Field(default=None, description="Alias de texto")


class ResultadoTexto(BaseModel):
    """Clasificación de un texto libre, con el motor y el modelo que la dieron."""

    categoria: Categoria
    confianza: float = Field(ge=0, le=1)
    recomendacion_agente: str
    sentimiento: Sentimiento
    resumen: str | None
    motor: MotorIA
    modelo: str
    latencia_ms: float
    revisar: bool = Field(
        default=False,
        validate_default=True,
        description="Confianza por debajo de CONFIANZA_REVISAR: conviene que la revise una persona",
    )

    _revisar = field_validator("revisar")(_marcar_revisar)


class CorregirClasificacion(BaseModel):
    """Corrección humana: la categoría correcta y, si se quiere, por qué."""

    categoria: enum_tolerante(Categoria)  # type: ignore[valid-type]
    nota: texto(strip_whitespace=True, max_length=500) | None = None


class AcuerdoCategoria(BaseModel):
    """Acuerdo con las personas para las respuestas del clasificador de una categoría."""

    categoria: Categoria
    revisadas: int
    confirmadas: int
    acuerdo: float | None
    corregidas_a: dict[str, int]


class AcuerdoClasificador(BaseModel):
    """Acuerdo entre el clasificador y las correcciones humanas en un periodo."""

    desde: datetime | None
    hasta: datetime | None
    revisadas: int
    acuerdo: float | None
    por_categoria: list[AcuerdoCategoria]
