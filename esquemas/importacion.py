"""Importación de llamadas por lotes: cada fila con su agente y su fecha."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from esquemas.comunes import Id
from esquemas.llamada import FechaLlamada, LlamadaCrear

IMPORTACION_MAXIMO = 2000  # llamadas por petición (el cuerpo sigue acotado por MAX_CUERPO_BYTES)
IMPORTACION_DIAS_MAXIMOS = 31  # días que puede abarcar un lote (sus fotos se rehacen con él)


class LlamadaImportada(LlamadaCrear):
    """Una llamada de un lote: el agente y la fecha son obligatorios."""

    usuario_id: Id
    fecha_hora: FechaLlamada = Field(description="ISO 8601; sin zona se lee como UTC")


class LoteLlamadas(BaseModel):
    """Las llamadas a importar, todas o ninguna."""

    llamadas: list[LlamadaImportada] = Field(min_length=1, max_length=IMPORTACION_MAXIMO)


class ResultadoImportacion(BaseModel):
    """Cuántas llamadas entraron, qué periodo cubren y qué fotos diarias se rehicieron con
    ellas (en la misma transacción: las métricas de esos días ya no se calculan en vivo)."""

    importadas: int
    desde: datetime = Field(description="Fecha y hora de la primera llamada del lote")
    hasta: datetime = Field(description="Fecha y hora de la última llamada del lote")
    dias_recalculados: list[date]
