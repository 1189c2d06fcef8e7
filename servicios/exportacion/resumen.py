"""Lo que PDF y XLSX muestran además de las llamadas: KPIs contra objetivo y contra el periodo
anterior, volumen por día y por hora locales, agentes y categorías, con textos ya resueltos."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from config import Ajustes
from crud.llamada import SIN_CLASIFICAR
from modelos.reporte import Reporte
from modelos.usuario import Usuario
from servicios import metricas, objetivos
from servicios.exportacion.textos import (
    INDICADORES,
    Indicador,
    describir_filtros,
    fecha_hora,
    periodo_legible,
)
from servicios.reportes import filtros_de

UN_MICROSEGUNDO = timedelta(microseconds=1)
MEDIANOCHE = datetime.min.time()
DIAS_SEMANA = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


@dataclass(frozen=True, slots=True)
class Kpi:
    indicador: Indicador
    actual: float | None
    anterior: float | None
    objetivo: float | None
    cumple: bool | None  # None: sin objetivo o sin dato
    mejora: bool | None  # frente al periodo anterior; None: igual o sin sentido de mejora


@dataclass(slots=True)
class Cubeta:
    """Llamadas y duración total de un día, una hora del día o un día de la semana locales."""

    etiqueta: str
    llamadas: int = 0
    duracion_total: float = 0
    parcial: bool = False

    @property
    def aht(self) -> float | None:
        return self.duracion_total / self.llamadas if self.llamadas else None


@dataclass(frozen=True, slots=True)
class Resumen:
    reporte_id: int
    zona: str
    periodo: str
    periodo_anterior: str
    filtros: str
    generado_por: str
    generado_en: str
    descripcion: str | None
    kpis: list[Kpi]
    categorias: list[tuple[str, int]]
    agentes: list[dict]
    dias: list[Cubeta]
    horas: list[Cubeta]
    semana: list[Cubeta]


def _dias(desde: datetime, hasta: datetime, zona: ZoneInfo, ahora: datetime) -> dict:
    """Un día local por fecha del periodo; parcial si el periodo lo corta o aún no ha acabado."""
    inicio, fin = desde.astimezone(zona), (hasta + UN_MICROSEGUNDO).astimezone(zona)
    ultimo, hoy = (fin - UN_MICROSEGUNDO).date(), ahora.astimezone(zona).date()
    dias, dia = {}, inicio.date()
    while dia <= ultimo:
        dias[dia] = Cubeta(f"{dia:%d/%m}", parcial=dia >= hoy)
        dia += timedelta(days=1)
    dias[inicio.date()].parcial |= inicio.time() != MEDIANOCHE
    dias[ultimo].parcial |= fin.time() != MEDIANOCHE
    return dias


def _volumenes(contenido: dict, dias: dict[date, Cubeta], zona: ZoneInfo):
    """Días, horas del día y días de la semana locales, de la serie y las franjas guardadas."""
    for punto in contenido.get("serie", []):
        cubeta = dias.get(_instante(punto["inicio"]).astimezone(zona).date())
        if cubeta is not None and punto["total_llamadas"]:
            cubeta.llamadas += punto["total_llamadas"]
            cubeta.duracion_total += punto["duracion_promedio_segundos"] * punto["total_llamadas"]
    horas = [Cubeta(f"{h:02d}") for h in range(24)]
    semana = [Cubeta(nombre) for nombre in DIAS_SEMANA]
    for cubetas, clave in ((horas, "por_hora_del_dia"), (semana, "por_dia_semana")):
        for franja in contenido.get(clave, []):
            cubeta = cubetas[franja["franja"]]
            cubeta.llamadas = franja["total_llamadas"]
            cubeta.duracion_total = (franja["duracion_promedio_segundos"] or 0) * cubeta.llamadas
    return list(dias.values()), horas, semana


def _kpi(indicador: Indicador, actual: dict, metas: dict, cambios: dict) -> Kpi:
    cambio = cambios.get(indicador.clave, {})
    meta = metas.get(indicador.clave, {})
    return Kpi(
        indicador,
        actual.get(indicador.clave),
        cambio.get("anterior"),
        meta.get("objetivo"),
        meta.get("cumple"),
        cambio.get("mejora"),
    )


def _comparacion(sesion: Session, reporte: Reporte, ajustes: Ajustes) -> dict:
    """La comparación guardada con el reporte o, en uno guardado sin ella, la recalculada."""
    guardada = reporte.contenido.get("comparacion")
    if guardada:
        return guardada
    desde, hasta = objetivos.periodo_anterior(reporte.desde, reporte.hasta, ajustes.zona)
    anterior = metricas.calcular(
        sesion=sesion,
        desde=desde,
        hasta=hasta,
        filtros=filtros_de(reporte),
        ajustes=ajustes,
        comparar=False,
        solo_kpis=True,
    )
    kpis = objetivos.comparar(reporte.contenido, anterior)
    return {"desde": desde, "hasta": hasta, "kpis": kpis}


def _nombre(sesion: Session, usuario_id: int | None) -> str | None:
    usuario = sesion.get(Usuario, usuario_id) if usuario_id is not None else None
    return usuario.nombre if usuario is not None else None


def construir(
    *, reporte: Reporte, fabrica: sessionmaker[Session], ajustes: Ajustes, ahora: datetime
) -> Resumen:
    """Resumen del reporte: sus KPIs y comparación guardados, objetivos, volúmenes locales."""
    zona, contenido = ajustes.zona, reporte.contenido
    with fabrica() as sesion:
        comparacion = _comparacion(sesion, reporte, ajustes)
        autor = _nombre(sesion, reporte.generado_por)
        filtrado = _nombre(sesion, reporte.filtros.get("usuario_id"))
    dias, horas, semana = _volumenes(
        contenido, _dias(reporte.desde, reporte.hasta, zona, ahora), zona
    )
    metas = contenido.get("objetivos") or objetivos.evaluar(contenido, ajustes)
    desde_ant, hasta_ant = (_instante(comparacion[c]) for c in ("desde", "hasta"))
    categorias = dict(contenido.get("por_categoria", {}))
    sin_clasificar = categorias.pop(SIN_CLASIFICAR, 0)
    return Resumen(
        reporte_id=reporte.id,
        zona=ajustes.zona_horaria,
        periodo=periodo_legible(reporte.desde, reporte.hasta, zona),
        periodo_anterior=periodo_legible(desde_ant, hasta_ant, zona),
        filtros=describir_filtros(reporte.filtros, {reporte.filtros.get("usuario_id"): filtrado}),
        generado_por="automático" if reporte.automatico else autor or "usuario eliminado",
        generado_en=fecha_hora(ahora, zona),
        descripcion=reporte.descripcion,
        kpis=[_kpi(i, contenido, metas, comparacion["kpis"]) for i in INDICADORES],
        categorias=[*categorias.items(), ("sin clasificar", sin_clasificar)],
        agentes=list(contenido.get("por_agente", [])),
        dias=dias,
        horas=horas,
        semana=semana,
    )


def _instante(valor: datetime | str) -> datetime:
    return valor if isinstance(valor, datetime) else datetime.fromisoformat(valor)


def ahora_utc() -> datetime:
    return datetime.now(UTC)
