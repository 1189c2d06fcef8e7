"""Etiquetas en español de los KPIs y textos comunes de los ficheros exportados."""

from modelos.reporte import Reporte

ETIQUETAS_KPI = (
    ("total_llamadas", "Total de llamadas"),
    ("duracion_promedio_segundos", "Duración media (AHT, s)"),
    ("satisfaccion_promedio", "Satisfacción media (CSAT 1-5)"),
    ("csat_porcentaje", "CSAT 4-5 (%)"),
    ("tasa_resolucion", "Tasa de resolución"),
    ("tasa_escalamiento", "Tasa de escalamiento"),
    ("tasa_abandono", "Tasa de abandono"),
    ("tasa_resolucion_primer_contacto", "Resolución en primer contacto"),
    ("tiempo_espera_promedio_segundos", "Espera media (s)"),
    ("nivel_servicio", "Nivel de servicio"),
)


# Tasas de 0 a 1 que en un documento para leer se muestran como porcentaje.
TASAS = {
    "tasa_resolucion",
    "tasa_escalamiento",
    "tasa_abandono",
    "tasa_resolucion_primer_contacto",
    "nivel_servicio",
}


def periodo_legible(reporte: Reporte) -> str:
    formato = "%Y-%m-%d %H:%M"
    return f"{reporte.desde.strftime(formato)} a {reporte.hasta.strftime(formato)} UTC"


def describir_filtros(filtros: dict) -> str:
    if not filtros:
        return "todo el equipo"
    return ", ".join(f"{clave}={valor}" for clave, valor in filtros.items())


def formatear(valor: object) -> str:
    if valor is None:
        return "-"
    if isinstance(valor, float):
        return f"{valor:.4f}".rstrip("0").rstrip(".") if valor % 1 else f"{valor:.0f}"
    return str(valor)


def formatear_kpi(clave: str, valor: object) -> str:
    """Como formatear, pero las tasas van en porcentaje ('43.89 %')."""
    if clave in TASAS and isinstance(valor, int | float):
        return f"{formatear(round(valor * 100, 2))} %"
    return formatear(valor)
