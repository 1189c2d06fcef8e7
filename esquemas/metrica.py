"""Esquemas de KPIs en vivo, fotos diarias y su recálculo.

Los campos de cada KPI salen de `modelos.medidas.MEDIDAS` y los de las distribuciones de
`modelos.sumas.DISTRIBUCIONES`: añadir una medida la añade aquí sin tocar este fichero.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from esquemas.comunes import Dia
from modelos.medidas import MEDIDAS, Medida
from modelos.sumas import DISTRIBUCIONES


def _campo(medida: Medida) -> tuple[Any, Any]:
    tipo = int if medida.es_recuento else float | None
    descripcion = f"{medida.etiqueta}: {medida.descripcion}" if medida.descripcion else None
    return tipo, Field(description=descripcion)


def _campos(condicion: str | None = None) -> dict[str, Any]:
    return {m.nombre: _campo(m) for m in MEDIDAS if condicion is None or getattr(m, condicion)}


Indicadores = create_model(
    "Indicadores",
    __doc__="KPIs de un conjunto de llamadas; None cuando no hay datos con los que calcularlos.",
    **_campos(),
)
Distribuciones = create_model(
    "Distribuciones",
    __doc__="Recuentos por valor de cada enum (las llamadas sin clasificar, aparte).",
    **{
        d.nombre: (dict[str, int], Field(description=f"claves: {', '.join(d.claves())}"))
        for d in DISTRIBUCIONES
    },
)


class ResumenDia(Indicadores, Distribuciones):
    """Contenido de una foto diaria."""


KPIAgente = create_model(
    "KPIAgente",
    __doc__="KPIs de un agente en el periodo.",
    usuario_id=(int, ...),
    nombre=(str, ...),
    **_campos("por_agente"),
)
PuntoSerie = create_model(
    "PuntoSerie",
    __doc__="Una hora o un día local del periodo.",
    inicio=(datetime, Field(description="Comienzo de la hora o del día, con el desfase local")),
    **_campos("en_serie"),
)


class Objetivo(BaseModel):
    valor: float | None
    objetivo: float
    cumple: bool | None = Field(description="None si no hay datos")
    mayor_es_mejor: bool


class CambioKPI(BaseModel):
    actual: float | None
    anterior: float | None
    cambio: float | None = Field(description="actual - anterior")
    tendencia: Literal["sube", "baja", "igual"]
    mejora: bool | None = Field(description="None si no cambia o la medida no mejora ni empeora")


class Comparacion(BaseModel):
    """El periodo anterior del mismo largo (mismos días locales si son días enteros)."""

    desde: datetime
    hasta: datetime
    kpis: dict[str, CambioKPI]


class VolumenFranja(BaseModel):
    """Volumen y AHT de una hora del día (0 a 23) o un día de la semana (0 lunes a 6), locales."""

    franja: int
    total_llamadas: int
    duracion_promedio_segundos: float | None


class Motivo(BaseModel):
    categoria: str
    sentimiento: str
    total_llamadas: int


class Revision(BaseModel):
    """Clasificaciones con confianza por debajo de CONFIANZA_REVISAR."""

    clasificadas: int
    baja_confianza: int
    cuota: float | None = Field(description="baja_confianza / clasificadas (0 a 1)")
    umbral_confianza: float


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
    zona_horaria: str = Field(description="Zona IANA de los días y horas locales")
    usuario_id: int | None
    nivel_servicio_umbral_segundos: int
    granularidad: Literal["hora", "dia"]
    dias_desde_fotos: int = Field(description="Días cerrados leídos de las fotos diarias")
    por_agente: list[KPIAgente]
    serie: list[PuntoSerie]
    objetivos: dict[str, Objetivo] = Field(default_factory=dict)
    comparacion: Comparacion | None = None
    por_hora_del_dia: list[VolumenFranja] = Field(default_factory=list)
    por_dia_semana: list[VolumenFranja] = Field(default_factory=list)
    motivos: list[Motivo] = Field(default_factory=list, description="Categoría × sentimiento")
    revision: Revision | None = None
    voz: VozPeriodo | None = None


class MetricaDiaria(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    fecha: date
    zona: str | None
    total_llamadas: int
    promedio_duracion: float | None
    satisfaccion_cliente: float | None
    tasa_resolucion: float | None
    vigente: bool
    contenido: dict
    calculado_en: datetime


class RecalcularDiarias(BaseModel):
    """Rango de días cerrados (locales en ZONA_HORARIA, ambos inclusive) a recalcular."""

    desde: Dia
    hasta: Dia


class RecalculoDiarias(BaseModel):
    dias_recalculados: int
    desde: date
    hasta: date
