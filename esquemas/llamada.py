"""Esquemas de llamadas: crear, reemplazar, actualizar en parte y publicar."""

import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from esquemas.clasificacion_ia import ClasificacionPublica
from esquemas.comunes import FechaUTC, Id, enum_tolerante, texto
from modelos.enums import Direccion, ResultadoLlamada, TipoLlamada

SEGUNDOS_DIA = 86_400
DESCRIPCION_MAXIMA = 20_000
TOLERANCIA_FUTURO = timedelta(hours=1)
FECHA_MINIMA = datetime(2000, 1, 1, tzinfo=UTC)


def _fecha_razonable(valor: datetime) -> datetime:
    if valor < FECHA_MINIMA:
        raise ValueError("la fecha debe ser posterior al año 2000")
    if valor > datetime.now(UTC) + TOLERANCIA_FUTURO:
        raise ValueError("la fecha de la llamada no puede estar en el futuro")
    return valor


# Forma canónica de un número de cliente: un '+' inicial opcional y de 3 a 20 dígitos ASCII. Se
# aceptan espacios, guiones, puntos y paréntesis como separadores (se quitan) y dígitos de
# cualquier escritura (árabe-índicos, de ancho completo...), que pasan a ASCII; cualquier otro
# carácter, incluidos los que solo se parecen a un dígito, se rechaza. Así un cliente tiene un
# único historial y ningún número empieza una fórmula en una hoja de cálculo.
SEPARADORES_NUMERO = " -.()"
DIGITOS_NUMERO_MINIMOS = 3
DIGITOS_NUMERO_MAXIMOS = 20


def numero_canonico(valor: str) -> str:
    """'+34 600-111-222' o '٦٠٠١١١٢٢٢' -> '+34600111222' o '600111222'; error si no es un número."""
    prefijo = "+" if valor.startswith("+") else ""
    digitos = []
    for caracter in valor[len(prefijo) :]:
        if caracter in SEPARADORES_NUMERO:
            continue
        if unicodedata.category(caracter) != "Nd":
            raise ValueError(
                "solo admite dígitos, un '+' inicial y espacios, guiones, puntos o paréntesis"
            )
        digitos.append(str(unicodedata.decimal(caracter)))
    if not DIGITOS_NUMERO_MINIMOS <= len(digitos) <= DIGITOS_NUMERO_MAXIMOS:
        raise ValueError(
            f"debe tener entre {DIGITOS_NUMERO_MINIMOS} y {DIGITOS_NUMERO_MAXIMOS} dígitos"
        )
    return prefijo + "".join(digitos)


NumeroCliente = Annotated[
    texto(strip_whitespace=True, min_length=1, max_length=30),
    AfterValidator(numero_canonico),
]
Duracion = Annotated[int, Field(ge=0, le=SEGUNDOS_DIA, description="Segundos (0 a 86400)")]
Espera = Annotated[int, Field(ge=0, le=SEGUNDOS_DIA, description="Segundos en cola")]
Satisfaccion = Annotated[int, Field(ge=1, le=5, description="CSAT de 1 a 5")]
Descripcion = texto(strip_whitespace=True, max_length=DESCRIPCION_MAXIMA)
FechaLlamada = Annotated[FechaUTC, AfterValidator(_fecha_razonable)]
Tipo = enum_tolerante(TipoLlamada)
Resultado = enum_tolerante(ResultadoLlamada)
DireccionEntrada = enum_tolerante(Direccion)


class LlamadaCrear(BaseModel):
    """Una llamada nueva; sin usuario_id se registra a nombre de quien la envía."""

    usuario_id: Id | None = None
    numero_cliente: NumeroCliente
    duracion_segundos: Duracion
    tipo: Tipo
    resultado: Resultado
    fecha_hora: FechaLlamada | None = Field(
        default=None, description="ISO 8601; sin zona se lee como UTC; por defecto, ahora"
    )
    descripcion: Descripcion | None = Field(default=None, description="Notas o transcripción")
    satisfaccion: Satisfaccion | None = None
    tiempo_espera_segundos: Espera | None = None
    direccion: DireccionEntrada = Direccion.entrante


class LlamadaActualizar(BaseModel):
    """Cambios parciales (PATCH): solo se aplican los campos enviados."""

    usuario_id: Id | None = None
    numero_cliente: NumeroCliente | None = None
    duracion_segundos: Duracion | None = None
    tipo: Tipo | None = None
    resultado: Resultado | None = None
    fecha_hora: FechaLlamada | None = None
    descripcion: Descripcion | None = None
    satisfaccion: Satisfaccion | None = None
    tiempo_espera_segundos: Espera | None = None
    direccion: DireccionEntrada | None = None


class LlamadaPublica(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    usuario_id: int
    numero_cliente: str
    duracion_segundos: int
    tipo: TipoLlamada
    resultado: ResultadoLlamada
    fecha_hora: datetime
    descripcion: str | None
    satisfaccion: int | None
    tiempo_espera_segundos: int | None
    direccion: Direccion
    creado_en: datetime
    actualizado_en: datetime


class FilaLlamada(LlamadaPublica):
    """Una fila de la lista leída con Core sin los tipos de SQLAlchemy (fechas en texto ISO
    8601 con zona, enumerados como los da el controlador): Pydantic la convierte y sale en
    JSON igual que LlamadaPublica. Los enumerados llegan como texto que la base ya restringe
    (VARCHAR con CHECK, modelos/enums.py) y se copian tal cual: un miembro del enumerado se
    escribe en JSON leyendo su `.value` en Python (60 veces por página, el 40 % del JSON)."""

    tipo: str  # type: ignore[assignment]
    resultado: str  # type: ignore[assignment]
    direccion: str  # type: ignore[assignment]


class LlamadaDetalle(LlamadaPublica):
    """Una llamada con su clasificación de IA, si la tiene."""

    clasificacion: ClasificacionPublica | None = None
