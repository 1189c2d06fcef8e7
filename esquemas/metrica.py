"""Esquemas de KPIs en vivo, fotos diarias y su recálculo."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from esquemas.comunes import Dia


class Indicadores(BaseModel):
    """KPIs de un conjunto de llamadas; None cuando no hay datos con los que calcularlos."""

    total_llamadas: int
    duracion_promedio_segundos: float | None = Field(description="AHT: duración media")
    satisfaccion_promedio: float | None = Field(description="CSAT medio (1 a 5)")
    llamadas_con_satisfaccion: int
    csat_porcentaje: float | None = Field(description="% de CSAT 4 o 5 (0 a 100)")
    tasa_resolucion: float | None = Field(description="resueltas / total (0 a 1)")
    tasa_escalamiento: float | None = Field(description="escaladas / total (0 a 1)")
    tasa_abandono: float | None = Field(description="colgadas / total (0 a 1)")
    tasa_resolucion_primer_contacto: float | None = Field(
        description="llamadas sin otra del mismo cliente en los 7 días siguientes (0 a 1)"
    )
    llamadas_con_espera: int
    tiempo_espera_promedio_segundos: float | None
    nivel_servicio: float | None = Field(
        description="llamadas con espera que esperaron hasta el umbral (0 a 1)"
    )


class Distribuciones(BaseModel):
    por_categoria: dict[str, int] = Field(description="Categoría de la IA; sin_clasificar aparte")
    por_tipo: dict[str, int]
    por_resultado: dict[str, int]
    por_direccion: dict[str, int]


class ResumenDia(Indicadores, Distribuciones):
    """Contenido de una foto diaria."""


class KPIAgente(BaseModel):
    usuario_id: int
    nombre: str
    total_llamadas: int
    duracion_promedio_segundos: float | None
    satisfaccion_promedio: float | None
    tasa_resolucion: float | None


class PuntoSerie(BaseModel):
    inicio: datetime = Field(description="Comienzo de la hora o del día (UTC)")
    total_llamadas: int
    duracion_promedio_segundos: float | None
    satisfaccion_promedio: float | None
    tasa_resolucion: float | None


class VozPeriodo(BaseModel):
    """Analítica de voz media de las llamadas del periodo con transcripción lista."""

    transcritas: int
    cuota_habla_media: float | None
    cuota_silencio_media: float | None
    solape_medio_segundos: float | None


class Metricas(Indicadores, Distribuciones):
    """KPIs del periodo con distribuciones, tabla por agente y serie temporal."""

    desde: datetime
    hasta: datetime
    usuario_id: int | None
    nivel_servicio_umbral_segundos: int
    granularidad: Literal["hora", "dia"]
    dias_desde_fotos: int = Field(description="Días cerrados leídos de las fotos diarias")
    por_agente: list[KPIAgente]
    serie: list[PuntoSerie]
    voz: VozPeriodo | None = None


class MetricaDiaria(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    fecha: date
    total_llamadas: int
    promedio_duracion: float | None
    satisfaccion_cliente: float | None
    tasa_resolucion: float | None
    vigente: bool
    contenido: dict
    calculado_en: datetime


class RecalcularDiarias(BaseModel):
    """Rango de días cerrados (UTC, ambos inclusive) a recalcular."""

    desde: Dia
    hasta: Dia


class RecalculoDiarias(BaseModel):
    dias_recalculados: int
    desde: date
    hasta: date
