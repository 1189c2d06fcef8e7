"""Lo que acompaña a los KPIs de un periodo: objetivos, comparación con el periodo anterior,
volumen por hora y día de la semana locales, motivos y clasificaciones por revisar."""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from config import Ajustes
from crud import metrica_fotos, metrica_franjas
from crud.metrica import FiltrosMetricas, Vector
from esquemas.metrica import Comparacion, Metricas, Motivo, Objetivo, Revision, VolumenFranja
from modelos.sumas import BAJA_CONFIANZA, DISTRIBUCIONES, HORAS
from servicios import objetivos
from servicios.metricas_calculo import dividir
from servicios.metricas_fotos_memoria import leer_una_vez
from servicios.metricas_plan import con_desfase

PARES_HORAS = [(f"hora_{h:02d}_llamadas", f"hora_{h:02d}_duracion") for h in HORAS]
MOTIVOS = next(d for d in DISTRIBUCIONES if d.nombre == "por_motivo")


def _franjas(filas: list[tuple[int, int]], cuantas: int) -> list[VolumenFranja]:
    total, duracion = defaultdict(int), defaultdict(int)
    for franja, llamadas, segundos in filas:
        total[franja] += llamadas
        duracion[franja] += segundos
    return [
        VolumenFranja(
            franja=f,
            total_llamadas=total[f],
            duracion_promedio_segundos=dividir(duracion[f], total[f], 2),
        )
        for f in range(cuantas)
    ]


def _motivos(vector: Vector) -> list[Motivo]:
    motivos = [
        Motivo(categoria=categoria, sentimiento=sentimiento, total_llamadas=vector[columna])
        for (categoria, sentimiento), columna in zip(
            MOTIVOS.valores(), MOTIVOS.columnas(), strict=True
        )
        if vector[columna]
    ]
    return sorted(motivos, key=lambda m: (-m.total_llamadas, m.categoria, m.sentimiento))


def completar(
    *,
    sesion: Session,
    metricas: Metricas,
    filtros: FiltrosMetricas,
    ajustes: Ajustes,
    vector: Vector,
    tramos: list[tuple[datetime, datetime, int]],
    fotos: tuple | None,
    memoria: dict | None = None,
) -> None:
    """Añade objetivos, franjas locales, motivos y revisión a los KPIs ya calculados: los días
    con foto salen de sus sumas por hora y el resto (tramos con signo) de las llamadas (lo ya
    leído de un tramo, de `memoria`)."""
    filas, bajas = metrica_franjas.volumen_por_franja(
        sesion=sesion,
        segmentos=con_desfase(tramos, ajustes.zona),
        filtros=filtros,
        umbral=ajustes.confianza_revisar,
        memoria=memoria,
    )
    if fotos is not None:
        primer_dia, ultimo_dia, excluidos, huella = fotos
        for semana, sumas in leer_una_vez(
            metrica_fotos.franjas_de_fotos,
            sesion=sesion,
            primer_dia=primer_dia,
            ultimo_dia=ultimo_dia,
            excluidos=excluidos,
            usuario_id=filtros.usuario_id,
            huella=huella,
        ):
            bajas += sumas[BAJA_CONFIANZA]
            filas.extend(
                (semana, hora, sumas[llamadas], sumas[duracion])
                for hora, (llamadas, duracion) in enumerate(PARES_HORAS)
            )
    evaluacion = objetivos.evaluar(metricas, ajustes)
    metricas.objetivos = {kpi: Objetivo(**datos) for kpi, datos in evaluacion.items()}
    metricas.por_hora_del_dia = _franjas([(h, t, d) for _, h, t, d in filas], 24)
    metricas.por_dia_semana = _franjas([(s, t, d) for s, _, t, d in filas], 7)
    metricas.motivos = _motivos(vector)
    clasificadas = vector["total"] - vector["categoria_sin_clasificar"]
    metricas.revision = Revision(
        clasificadas=clasificadas,
        baja_confianza=bajas,
        cuota=dividir(bajas, clasificadas, 4),
        umbral_confianza=ajustes.confianza_revisar,
    )


def comparar_con_anterior(
    *, metricas: Metricas, calcular_anterior: Callable[[datetime, datetime], Metricas], zona
) -> None:
    """Calcula el periodo anterior del mismo largo y lo compara KPI a KPI."""
    desde, hasta = objetivos.periodo_anterior(metricas.desde, metricas.hasta, zona)
    anterior = calcular_anterior(desde, hasta)
    kpis = objetivos.comparar(metricas, anterior)
    metricas.comparacion = Comparacion.model_validate(
        {"desde": desde, "hasta": hasta, "kpis": kpis}
    )
