"""Esquemas de reportes: petición, lista y detalle con el contenido de KPIs."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from esquemas.comunes import FechaODia, Id, texto
from esquemas.llamada import Resultado, Tipo

CategoriaFiltro = Literal["venta", "soporte", "reclamo", "sin_clasificar"]
Formato = Literal["csv", "xlsx", "pdf"]
DescripcionReporte = texto(strip_whitespace=True, max_length=500)


class ReporteCrear(BaseModel):
    """Periodo (por defecto, los últimos 30 días) y filtros del reporte."""

    desde: FechaODia | None = Field(
        default=None, description="ISO 8601 o AAAA-MM-DD (día local entero), inclusive"
    )
    hasta: FechaODia | None = Field(
        default=None, description="ISO 8601 o AAAA-MM-DD (día local entero), inclusive"
    )
    usuario_id: Id | None = None
    tipo: Tipo | None = None
    resultado: Resultado | None = None
    categoria: CategoriaFiltro | None = None
    descripcion: DescripcionReporte | None = None


class ReportePublico(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    generado_por: int | None
    fecha_generado: datetime
    descripcion: str | None
    desde: datetime
    hasta: datetime
    filtros: dict[str, Any]
    automatico: bool
    periodicidad: Literal["diario", "semanal", "mensual"] | None = Field(
        default=None, description="Solo en los automáticos"
    )
    actualizado_en: datetime | None = Field(
        default=None, description="Cuándo se recalculó porque cambiaron sus llamadas"
    )


class ReporteDetalle(ReportePublico):
    """Reporte con los KPIs guardados del periodo."""

    contenido: dict[str, Any]
