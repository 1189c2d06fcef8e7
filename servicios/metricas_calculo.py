"""Del vector de sumas a los KPIs: medias, tasas y distribuciones, siempre desde enteros."""

from datetime import UTC, date, datetime

from crud.metrica import Vector
from esquemas.metrica import KPIAgente, PuntoSerie
from modelos.enums import Categoria, Direccion, ResultadoLlamada, TipoLlamada


def dividir(numerador: int, denominador: int, decimales: int) -> float | None:
    """Cociente redondeado; None si no hay denominador."""
    return round(numerador / denominador, decimales) if denominador else None


def indicadores(v: Vector) -> dict:
    total = v["total"]
    csat = dividir(v["satisfaccion_alta"] * 100, v["con_satisfaccion"], 2)
    return {
        "total_llamadas": total,
        "duracion_promedio_segundos": dividir(v["suma_duracion"], total, 2),
        "satisfaccion_promedio": dividir(v["suma_satisfaccion"], v["con_satisfaccion"], 2),
        "llamadas_con_satisfaccion": v["con_satisfaccion"],
        "csat_porcentaje": csat,
        "tasa_resolucion": dividir(v["resultado_resuelta"], total, 4),
        "tasa_escalamiento": dividir(v["resultado_escalada"], total, 4),
        "tasa_abandono": dividir(v["resultado_colgada"], total, 4),
        "tasa_resolucion_primer_contacto": dividir(v["primer_contacto"], total, 4),
        "llamadas_con_espera": v["con_espera"],
        "tiempo_espera_promedio_segundos": dividir(v["suma_espera"], v["con_espera"], 2),
        "nivel_servicio": dividir(v["dentro_nivel"], v["con_espera"], 4),
    }


def distribuciones(v: Vector) -> dict:
    por_categoria = {c.value: v[f"categoria_{c.value}"] for c in Categoria}
    por_categoria["sin_clasificar"] = v["categoria_sin_clasificar"]
    return {
        "por_categoria": por_categoria,
        "por_tipo": {t.value: v[f"tipo_{t.value}"] for t in TipoLlamada},
        "por_resultado": {r.value: v[f"resultado_{r.value}"] for r in ResultadoLlamada},
        "por_direccion": {d.value: v[f"direccion_{d.value}"] for d in Direccion},
    }


def resumen(v: Vector) -> dict:
    """Indicadores y distribuciones (el contenido de una foto diaria)."""
    return {**indicadores(v), **distribuciones(v)}


def kpi_agente(usuario_id: int, nombre: str, v: Vector) -> KPIAgente:
    return KPIAgente(
        usuario_id=usuario_id,
        nombre=nombre,
        total_llamadas=v["total"],
        duracion_promedio_segundos=dividir(v["suma_duracion"], v["total"], 2),
        satisfaccion_promedio=dividir(v["suma_satisfaccion"], v["con_satisfaccion"], 2),
        tasa_resolucion=dividir(v["resultado_resuelta"], v["total"], 4),
    )


def punto_serie(inicio: datetime, v: Vector) -> PuntoSerie:
    return PuntoSerie(
        inicio=inicio,
        total_llamadas=v["total"],
        duracion_promedio_segundos=dividir(v["suma_duracion"], v["total"], 2),
        satisfaccion_promedio=dividir(v["suma_satisfaccion"], v["con_satisfaccion"], 2),
        tasa_resolucion=dividir(v["resultado_resuelta"], v["total"], 4),
    )


def inicio_cubeta(valor: object) -> datetime:
    """Normaliza la cubeta de cada motor ('AAAA-MM-DD[ HH]', date o datetime) a datetime UTC."""
    if isinstance(valor, str):
        if len(valor) > 10:
            return datetime.strptime(valor[:13], "%Y-%m-%d %H").replace(tzinfo=UTC)
        valor = date.fromisoformat(valor)
    if isinstance(valor, datetime):
        return valor.replace(tzinfo=UTC) if valor.tzinfo is None else valor.astimezone(UTC)
    if isinstance(valor, date):
        return datetime(valor.year, valor.month, valor.day, tzinfo=UTC)
    raise TypeError(f"cubeta inesperada: {valor!r}")
