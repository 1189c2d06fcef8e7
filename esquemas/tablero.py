"""Esquemas del tablero en vivo (supervisión) y de las cifras del día de un agente."""

from datetime import datetime

from pydantic import BaseModel

from esquemas.estado_agente import EstadoPublico
from modelos.enums import Categoria, EstadoAgente, ResultadoLlamada, Sentimiento, TipoLlamada


class IndicadoresHoy(BaseModel):
    """KPIs del día local hasta ahora; None cuando no hay con qué calcularlos."""

    total_llamadas: int
    aht_segundos: float | None
    csat_promedio: float | None
    fcr: float | None
    nivel_servicio: float | None
    nivel_servicio_segundos: int
    abandono: float | None
    escalamiento: float | None
    espera_promedio_segundos: float | None


class Categorias(BaseModel):
    venta: int
    soporte: int
    reclamo: int
    sin_clasificar: int


class AlertaReclamos(BaseModel):
    """Reclamos de la última hora frente a la media por hora del día."""

    activa: bool
    ultima_hora: int
    promedio_hora: float
    umbral: float


class AgenteTablero(BaseModel):
    usuario_id: int
    nombre: str
    estado: EstadoAgente
    motivo: str | None
    desde: datetime
    segundos_en_estado: int
    llamadas_hoy: int
    aht_segundos: float | None
    csat_promedio: float | None


class LlamadaReciente(BaseModel):
    id: int
    usuario_id: int
    agente: str
    numero_cliente: str
    tipo: TipoLlamada
    resultado: ResultadoLlamada
    fecha_hora: datetime
    categoria: Categoria | None
    confianza: float | None
    sentimiento: Sentimiento | None
    revisar: bool


class PuntoHora(BaseModel):
    hora: int
    hoy: int
    semana_pasada: int


class Umbrales(BaseModel):
    """Ajustes que deciden los colores de aviso y alerta de la consola."""

    nivel_servicio_objetivo: float
    nivel_servicio_segundos: int
    aht_aviso_segundos: int
    aht_alerta_segundos: int
    csat_aviso: float
    csat_alerta: float
    abandono_aviso: float
    abandono_alerta: float
    alerta_reclamos_factor: float
    confianza_revisar: float


class Tablero(BaseModel):
    zona_horaria: str
    generado_en: datetime
    hoy: IndicadoresHoy
    categorias: Categorias
    sentimiento_negativo: float | None
    alerta_reclamos: AlertaReclamos
    agentes: list[AgenteTablero]
    ultimas_llamadas: list[LlamadaReciente]
    por_hora: list[PuntoHora]
    umbrales: Umbrales


class TableroAgente(BaseModel):
    """Las cifras del día del propio agente."""

    zona_horaria: str
    generado_en: datetime
    estado: EstadoPublico
    hoy: IndicadoresHoy
    categorias: Categorias
    sentimiento_negativo: float | None
    umbrales: Umbrales
