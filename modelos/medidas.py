"""Lista declarativa de los KPIs: cada medida se declara una vez aquí.

De `MEDIDAS` salen los campos de la API (`esquemas/metrica.py`), el cálculo
(`servicios/metricas_calculo.py`), los objetivos y las comparaciones
(`servicios/objetivos.py`), las exportaciones y la documentación. Cada medida se combina en
un periodo como `numerador * factor / denominador` de dos sumas enteras del vector
(`modelos/sumas.py`), que se guardan por día y agente en las fotos diarias: por eso las
cifras de cualquier conjunto de días son exactas.
"""

from dataclasses import dataclass
from typing import Literal

Unidad = Literal["llamadas", "segundos", "proporcion", "porcentaje", "puntos"]
Formato = Literal["entero", "mm:ss", "porcentaje", "decimal"]


@dataclass(frozen=True, slots=True)
class Medida:
    """Un KPI: cómo se llama, cómo se calcula desde el vector de sumas y cómo se lee."""

    nombre: str
    etiqueta: str
    unidad: Unidad
    formato: Formato
    numerador: str
    denominador: str | None = None  # None: es un recuento (la suma tal cual)
    factor: int = 1
    decimales: int = 2
    mayor_es_mejor: bool | None = None  # None: ni mejora ni empeora (volúmenes)
    ajuste_objetivo: str | None = None  # campo de config.Ajustes con su objetivo
    descripcion: str = ""
    por_agente: bool = False  # sale en la tabla por agente
    en_serie: bool = False  # sale en cada punto de la serie temporal

    @property
    def es_recuento(self) -> bool:
        return self.denominador is None

    def calcular(self, vector: dict[str, int]) -> int | float | None:
        """Valor de la medida para un vector de sumas; None si no hay denominador."""
        if self.denominador is None:
            return vector[self.numerador]
        denominador = vector[self.denominador]
        if not denominador:
            return None
        return round(vector[self.numerador] * self.factor / denominador, self.decimales)


def _tasa(nombre: str, etiqueta: str, numerador: str, **otros) -> Medida:
    return Medida(
        nombre, etiqueta, "proporcion", "porcentaje", numerador, "total", decimales=4, **otros
    )


MEDIDAS: tuple[Medida, ...] = (
    Medida(
        "total_llamadas",
        "Llamadas",
        "llamadas",
        "entero",
        "total",
        descripcion="número de llamadas",
        por_agente=True,
        en_serie=True,
    ),
    Medida(
        "duracion_promedio_segundos",
        "AHT (duración media)",
        "segundos",
        "mm:ss",
        "suma_duracion",
        "total",
        mayor_es_mejor=False,
        ajuste_objetivo="objetivo_aht_segundos",
        descripcion="AHT: duración media",
        por_agente=True,
        en_serie=True,
    ),
    Medida(
        "satisfaccion_promedio",
        "CSAT medio",
        "puntos",
        "decimal",
        "suma_satisfaccion",
        "con_satisfaccion",
        mayor_es_mejor=True,
        ajuste_objetivo="objetivo_csat",
        descripcion="CSAT medio (1 a 5)",
        por_agente=True,
        en_serie=True,
    ),
    Medida(
        "llamadas_con_satisfaccion",
        "Llamadas con CSAT",
        "llamadas",
        "entero",
        "con_satisfaccion",
        descripcion="llamadas con satisfacción registrada",
    ),
    Medida(
        "csat_porcentaje",
        "CSAT 4-5",
        "porcentaje",
        "porcentaje",
        "satisfaccion_alta",
        "con_satisfaccion",
        factor=100,
        mayor_es_mejor=True,
        descripcion="% de CSAT 4 o 5 (0 a 100)",
    ),
    _tasa(
        "tasa_resolucion",
        "Resolución",
        "resultado_resuelta",
        mayor_es_mejor=True,
        descripcion="resueltas / total (0 a 1)",
        por_agente=True,
        en_serie=True,
    ),
    _tasa(
        "tasa_escalamiento",
        "Escalamiento",
        "resultado_escalada",
        mayor_es_mejor=False,
        descripcion="escaladas / total (0 a 1)",
        por_agente=True,
    ),
    _tasa(
        "tasa_abandono",
        "Abandono",
        "resultado_colgada",
        mayor_es_mejor=False,
        ajuste_objetivo="objetivo_abandono",
        descripcion="colgadas / total (0 a 1)",
        por_agente=True,
    ),
    _tasa(
        "tasa_resolucion_primer_contacto",
        "FCR (primer contacto)",
        "primer_contacto",
        mayor_es_mejor=True,
        ajuste_objetivo="objetivo_fcr",
        descripcion="llamadas sin otra del mismo cliente en los 7 días siguientes (0 a 1)",
        por_agente=True,
    ),
    Medida(
        "llamadas_con_espera",
        "Llamadas con espera",
        "llamadas",
        "entero",
        "con_espera",
        descripcion="llamadas con tiempo de espera registrado",
    ),
    Medida(
        "tiempo_espera_promedio_segundos",
        "Espera media",
        "segundos",
        "mm:ss",
        "suma_espera",
        "con_espera",
        mayor_es_mejor=False,
        descripcion="espera media de las llamadas con espera",
    ),
    Medida(
        "nivel_servicio",
        "Nivel de servicio",
        "proporcion",
        "porcentaje",
        "dentro_nivel",
        "con_espera",
        decimales=4,
        mayor_es_mejor=True,
        ajuste_objetivo="objetivo_nivel_servicio",
        descripcion="llamadas con espera que esperaron hasta el umbral (0 a 1)",
    ),
)

POR_NOMBRE: dict[str, Medida] = {m.nombre: m for m in MEDIDAS}


def tabla_markdown() -> str:
    """Tabla de los KPIs para el README (test_medidas comprueba que está al día)."""
    filas = [
        "| KPI | Campo | Unidad | Cálculo en el periodo | Mejor | Objetivo |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    sentido = {True: "mayor", False: "menor", None: "—"}
    for m in MEDIDAS:
        calculo = f"`{m.numerador}`" if m.es_recuento else f"`{m.numerador}` / `{m.denominador}`"
        if m.factor != 1:
            calculo += f" × {m.factor}"
        objetivo = f"`{m.ajuste_objetivo.upper()}`" if m.ajuste_objetivo else "—"
        filas.append(
            f"| {m.etiqueta} | `{m.nombre}` | {m.unidad} | {calculo} | "
            f"{sentido[m.mayor_es_mejor]} | {objetivo} |"
        )
    return "\n".join(filas) + "\n"
