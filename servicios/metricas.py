"""KPIs en vivo: combina las fotos de los días locales cerrados con las llamadas del resto."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from config import Ajustes
from crud import metrica as crud_metrica
from crud import metrica_fotos as crud_metrica_fotos
from crud import usuario as crud_usuario
from crud.metrica import FiltrosMetricas, Vector, vector_vacio
from esquemas.metrica import Metricas
from modelos.usuario import Usuario
from servicios import metricas_a_la_vez, metricas_diarias, metricas_extra, objetivos
from servicios.calendario import (
    UN_DIA,
    UN_MICROSEGUNDO,
    dia_local,
    instante_de_cubeta,
    medianoche,
    resolver_limite,
)
from servicios.excepciones import DatoInvalido, NoEncontrado, SinPermiso
from servicios.llamadas import es_supervision
from servicios.metricas_calculo import distribuciones, indicadores, kpi_agente, punto_serie
from servicios.metricas_fotos_memoria import leer_una_vez
from servicios.metricas_plan import Fotos, Tramo, con_desfase, planificar
from servicios.transcripciones import medias_de_voz

DIAS_POR_DEFECTO = 30
LIMITE_POR_HORA = timedelta(days=2)
DIAS_MAXIMOS = 3660
UNA_HORA = timedelta(hours=1)


def resolver_periodo(
    desde: date | datetime | None,
    hasta: date | datetime | None,
    ahora: datetime,
    zona: ZoneInfo,
    ubicacion: str = "query",
) -> tuple[datetime, datetime]:
    """Periodo inclusive; una fecha sola es el día local entero; por defecto, 30 días."""
    desde = resolver_limite(desde, zona, final=False)
    hasta = resolver_limite(hasta, zona, final=True)
    hasta = hasta or (ahora if desde is None or desde <= ahora else desde)
    desde = desde or hasta - timedelta(days=DIAS_POR_DEFECTO)
    if desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde", ubicacion=ubicacion)
    if hasta - desde > timedelta(days=DIAS_MAXIMOS):
        raise DatoInvalido(
            f"el periodo no puede superar {DIAS_MAXIMOS} días", campo="hasta", ubicacion=ubicacion
        )
    return desde, hasta


def calcular(
    *,
    sesion: Session,
    desde: datetime,
    hasta: datetime,
    filtros: FiltrosMetricas,
    ajustes: Ajustes,
    comparar: bool = True,
    solo_kpis: bool = False,
    memoria: dict | None = None,
    huecos: int = 0,
) -> Metricas:
    """KPIs exactos del periodo [desde, hasta] con los filtros dados, en días locales.
    `solo_kpis`: solo las medidas (para comparar con otro periodo); las distribuciones, las
    franjas y la comparación quedan vacías. `huecos`: hilos de apoyo para leer a la vez lo que
    va en vivo (servicios/metricas_a_la_vez.py; solo si el cálculo solo lee)."""
    zona, umbral = ajustes.zona, ajustes.nivel_servicio_segundos
    memoria = {} if memoria is None else memoria
    granularidad, tramos, fotos = _plan(sesion, desde, hasta, filtros, ajustes, memoria)
    if fotos is not None:
        crud_metrica.sin_paralelismo(sesion)
    if comparar and huecos > 0:
        anterior = _plan(
            sesion, *objetivos.periodo_anterior(desde, hasta, zona), filtros, ajustes, memoria
        )
        metricas_a_la_vez.precargar(
            sesion,
            memoria,
            [(granularidad, tramos, not solo_kpis), (anterior[0], anterior[1], False)],
            filtros=filtros,
            ajustes=ajustes,
            huecos=huecos,
            sin_paralelismo=fotos is not None,
        )

    total = vector_vacio()
    por_agente: dict[int, Vector] = defaultdict(vector_vacio)
    por_cubeta: dict[datetime, Vector] = defaultdict(vector_vacio)
    for cubeta, minutos, usuario_id, vector in crud_metrica.sumas_en_vivo(
        sesion=sesion,
        segmentos=con_desfase(tramos, zona),
        filtros=filtros,
        granularidad=granularidad,
        umbral=umbral,
        columnas=crud_metrica.COLUMNAS_KPI if solo_kpis else None,
        memoria=memoria,
    ):
        instante = instante_de_cubeta(cubeta, minutos, zona)
        for destino in (total, por_agente[usuario_id], por_cubeta[instante]):
            _acumular(destino, vector)
    dias_fotos = 0
    if fotos is not None:
        destinos = (total, None, None) if solo_kpis else (total, por_agente, por_cubeta)
        dias_fotos = _sumar_fotos(sesion, fotos, filtros, zona, *destinos)
    comunes = {
        "desde": desde,
        "hasta": hasta,
        "zona_horaria": zona.key,
        "usuario_id": filtros.usuario_id,
        "nivel_servicio_umbral_segundos": umbral,
        "granularidad": granularidad,
        "dias_desde_fotos": dias_fotos,
        **indicadores(total),
    }
    if solo_kpis:
        return Metricas(**comunes, por_agente=[], serie=[], **distribuciones(vector_vacio()))

    nombres = crud_metrica.nombres_de_usuarios(sesion=sesion, ids=list(por_agente))
    agentes = [
        kpi_agente(uid, nombres.get(uid, f"Usuario {uid}"), v)
        for uid, v in por_agente.items()
        if v["total"]
    ]
    agentes.sort(key=lambda a: (-a.total_llamadas, a.nombre, a.usuario_id))
    metricas = Metricas(
        **comunes,
        por_agente=agentes,
        serie=_serie(desde, hasta, granularidad, por_cubeta, zona),
        **distribuciones(total),
    )
    metricas_extra.completar(
        sesion=sesion,
        metricas=metricas,
        filtros=filtros,
        ajustes=ajustes,
        vector=total,
        tramos=tramos,
        fotos=fotos,
        memoria=memoria,
    )
    if comparar:
        metricas_extra.comparar_con_anterior(
            metricas=metricas,
            zona=zona,
            calcular_anterior=lambda inicio, final: calcular(
                sesion=sesion,
                desde=inicio,
                hasta=final,
                filtros=filtros,
                ajustes=ajustes,
                comparar=False,
                solo_kpis=True,
                memoria=memoria,
            ),
        )
    return metricas


def _plan(
    sesion: Session,
    desde: datetime,
    hasta: datetime,
    filtros: FiltrosMetricas,
    ajustes: Ajustes,
    memoria: dict,
) -> tuple[str, list[Tramo], Fotos | None]:
    """Granularidad, tramos en vivo y fotos del periodo (uno ya planificado, de `memoria`)."""
    clave = ("plan", desde, hasta, filtros)
    if clave not in memoria:
        fin = hasta + UN_MICROSEGUNDO
        granularidad = "hora" if hasta - desde <= LIMITE_POR_HORA else "dia"
        tramos: list[Tramo] = [(desde, fin, 1)]
        fotos = None
        if granularidad == "dia" and filtros.admite_fotos:
            tramos, fotos = planificar(sesion, desde, fin, ajustes)
        memoria[clave] = (granularidad, tramos, fotos)
    return memoria[clave]


def _sumar_fotos(sesion, fotos: Fotos, filtros, zona, total, por_agente, por_cubeta) -> int:
    primer_dia, ultimo_dia, excluidos, huella = fotos

    def sumas(clave: str, columnas: tuple[str, ...]) -> list:
        return leer_una_vez(
            crud_metrica_fotos.sumas_de_fotos,
            sesion=sesion,
            huella=huella,
            primer_dia=primer_dia,
            ultimo_dia=ultimo_dia,
            excluidos=excluidos,
            usuario_id=filtros.usuario_id,
            clave=clave,
            columnas=columnas,
        )

    columnas = crud_metrica.COLUMNAS_KPI if por_agente is None else crud_metrica.COLUMNAS_VECTOR
    for _, vector in sumas("todo", columnas):
        _acumular(total, vector)
    if por_agente is None:
        return (ultimo_dia - primer_dia).days + 1 - len(excluidos)
    for usuario_id, vector in sumas("agente", crud_metrica_fotos.COLUMNAS_POR_AGENTE):
        _acumular(por_agente[usuario_id], vector)
    for dia, vector in sumas("dia", crud_metrica_fotos.COLUMNAS_SERIE):
        _acumular(por_cubeta[medianoche(dia, zona)], vector)
    return (ultimo_dia - primer_dia).days + 1 - len(excluidos)


def _acumular(destino: Vector, vector: Vector) -> None:
    for columna, valor in vector.items():
        destino[columna] += valor


def _serie(
    desde: datetime, hasta: datetime, granularidad: str, por_cubeta: dict, zona: ZoneInfo
) -> list:
    """Una entrada por hora o día local del periodo, con ceros donde no hubo llamadas."""
    puntos = []
    if granularidad == "hora":
        local = desde.astimezone(zona).replace(minute=0, second=0, microsecond=0)
        cubeta = local.astimezone(UTC)
        while cubeta <= hasta:
            vector = por_cubeta.get(cubeta) or vector_vacio()
            puntos.append(punto_serie(cubeta.astimezone(zona), vector))
            cubeta += UNA_HORA
        return puntos
    dia = dia_local(desde, zona)
    while medianoche(dia, zona) <= hasta:
        cubeta = medianoche(dia, zona)
        vector = por_cubeta.get(cubeta) or vector_vacio()
        puntos.append(punto_serie(cubeta.astimezone(zona), vector))
        dia += UN_DIA
    return puntos


def filtros_del_actor(
    *, sesion: Session, actor: Usuario, usuario_id: int | None, **otros
) -> FiltrosMetricas:
    """Un agente solo ve sus cifras; supervisión ve el equipo o el agente que pida."""
    if not es_supervision(actor):
        if usuario_id not in (None, actor.id):
            raise SinPermiso("Permiso denegado: un agente solo ve sus propias métricas")
        usuario_id = actor.id
    elif (
        usuario_id is not None
        and crud_usuario.obtener(sesion=sesion, usuario_id=usuario_id) is None
    ):
        raise NoEncontrado(f"Usuario {usuario_id} no encontrado")
    return FiltrosMetricas(usuario_id=usuario_id, **otros)


def obtener_metricas(
    *,
    sesion: Session,
    actor: Usuario,
    desde: date | datetime | None,
    hasta: date | datetime | None,
    usuario_id: int | None,
    ajustes: Ajustes,
    ahora: datetime | None = None,
    huecos: int = 0,
) -> Metricas:
    """KPIs en vivo para quien pregunta; `huecos`: hilos de apoyo para leer a la vez lo que va
    en vivo (solo lee, así que puede)."""
    desde, hasta = resolver_periodo(desde, hasta, ahora or datetime.now(UTC), ajustes.zona)
    filtros = filtros_del_actor(sesion=sesion, actor=actor, usuario_id=usuario_id)
    metricas = calcular(
        sesion=sesion,
        desde=desde,
        hasta=hasta,
        filtros=filtros,
        ajustes=ajustes,
        huecos=huecos,
    )
    if metricas.granularidad == "dia" and filtros.admite_fotos:
        # Días cerrados leídos en vivo (sin foto): que se construyan ya, no en la próxima pasada
        # del programador; la ventana lenta tras una importación dura lo que tarda construirlas.
        metricas_diarias.pedir_las_que_falten(
            sesion=sesion,
            desde=desde,
            hasta=hasta,
            dias_con_foto=metricas.dias_desde_fotos,
            ajustes=ajustes,
        )
    metricas.voz = medias_de_voz(
        sesion=sesion, desde=desde, hasta=hasta, usuario_id=filtros.usuario_id
    )
    return metricas
