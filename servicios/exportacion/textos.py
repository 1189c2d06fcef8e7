"""Etiquetas de los KPIs y cifras, fechas y periodos escritos como los lee un hispanohablante."""

from datetime import datetime, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from modelos.medidas import MEDIDAS

# entero; segundos (mm:ss); proporcion (0-1, en %); porcentaje (ya 0-100); decimal (CSAT).
Unidad = Literal["entero", "segundos", "proporcion", "porcentaje", "decimal"]


class Indicador(NamedTuple):
    clave: str
    etiqueta: str
    unidad: Unidad
    mayor_es_mejor: bool | None


# Unidad de una medida de modelos/medidas.py tal como se escribe en un fichero exportado.
UNIDAD_DE_MEDIDA: dict[str, Unidad] = {
    "llamadas": "entero",
    "segundos": "segundos",
    "proporcion": "proporcion",
    "porcentaje": "porcentaje",
    "puntos": "decimal",
}
# Los KPIs de los reportes: el volumen y cada medida que mejora o empeora.
INDICADORES = tuple(
    Indicador(m.nombre, m.etiqueta, UNIDAD_DE_MEDIDA[m.unidad], m.mayor_es_mejor)
    for m in MEDIDAS
    if m.mayor_es_mejor is not None or m.nombre == "total_llamadas"
)
UNIDADES = {indicador.clave: indicador.unidad for indicador in INDICADORES}
SIN_DATO = "—"


def numero(valor: float, decimales: int = 0, regional: str = "es") -> str:
    """1.234,5 en español (miles con punto, coma decimal); 1,234.5 en inglés."""
    texto = f"{valor:,.{decimales}f}"
    if regional != "es":
        return texto
    return texto.replace(",", "\0").replace(".", ",").replace("\0", ".")


def minutos_segundos(segundos: float) -> str:
    """9:46, o 1:02:05 a partir de una hora."""
    total = round(segundos)
    horas, resto = divmod(total, 3600)
    minutos, seg = divmod(resto, 60)
    return f"{horas}:{minutos:02d}:{seg:02d}" if horas else f"{minutos}:{seg:02d}"


def valor_legible(unidad: Unidad, valor: float | None) -> str:
    """Un KPI como texto: '44,0 %', '9:46', '4,12' o '1.234'."""
    if valor is None:
        return SIN_DATO
    if unidad == "segundos":
        return minutos_segundos(valor)
    if unidad == "proporcion":
        return f"{numero(valor * 100, 1)} %"
    if unidad == "porcentaje":
        return f"{numero(valor, 1)} %"
    if unidad == "decimal":
        return numero(valor, 2)
    return numero(valor)


def variacion_legible(unidad: Unidad, actual: float | None, anterior: float | None) -> str:
    """Cambio frente al periodo anterior con flecha: '▲ 3,2 pp', '▼ 0:12', '▲ 12 %'."""
    if actual is None or anterior is None:
        return SIN_DATO
    diferencia = actual - anterior
    flecha = "▲" if diferencia > 0 else "▼" if diferencia < 0 else "="
    if unidad == "segundos":
        return f"{flecha} {minutos_segundos(abs(diferencia))}"
    if unidad in ("proporcion", "porcentaje"):
        puntos = abs(diferencia) * (100 if unidad == "proporcion" else 1)
        return f"{flecha} {numero(puntos, 1)} pp"
    if unidad == "decimal":
        return f"{flecha} {numero(abs(diferencia), 2)}"
    if not anterior:
        return f"{flecha} {numero(abs(diferencia))}"
    return f"{flecha} {numero(abs(diferencia) / anterior * 100, 1)} %"


def fecha_hora(instante: datetime, zona: ZoneInfo) -> str:
    return instante.astimezone(zona).strftime("%d/%m/%Y %H:%M")


def periodo_legible(desde: datetime, hasta: datetime, zona: ZoneInfo) -> str:
    """'01/03/2025 a 31/03/2025' si son días locales completos; si no, con las horas."""
    inicio, fin = desde.astimezone(zona), (hasta + timedelta(microseconds=1)).astimezone(zona)
    if inicio.time() == fin.time() == datetime.min.time():
        ultimo = fin - timedelta(days=1)
        return f"{inicio:%d/%m/%Y} a {ultimo:%d/%m/%Y}"
    return f"{fecha_hora(desde, zona)} a {fecha_hora(hasta, zona)}"


def describir_filtros(filtros: dict, nombres: dict[int, str]) -> str:
    """'todo el equipo' o 'agente Ana Pérez, tipo venta'."""
    if not filtros:
        return "todo el equipo"
    partes = []
    for clave, valor in filtros.items():
        if clave == "usuario_id":
            partes.append(f"agente {nombres.get(valor, valor)}")
        else:
            partes.append(f"{clave} {valor}")
    return ", ".join(partes)
