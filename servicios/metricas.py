"""KPIs en vivo: combina las fotos de los días cerrados con las llamadas del resto del periodo."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from crud import metrica as crud_metrica
from crud import metrica_diaria as crud_metrica_diaria
from crud import usuario as crud_usuario
from crud.metrica import FiltrosMetricas, Vector, vector_vacio
from esquemas.metrica import Metricas
from modelos.usuario import Usuario
from servicios.excepciones import DatoInvalido, NoEncontrado, SinPermiso
from servicios.llamadas import es_supervision
from servicios.metricas_calculo import (
    distribuciones,
    indicadores,
    inicio_cubeta,
    kpi_agente,
    punto_serie,
)
from servicios.transcripciones import medias_de_voz

DIAS_POR_DEFECTO = 30
LIMITE_POR_HORA = timedelta(days=2)
DIAS_MAXIMOS = 3660
TRAMOS_VIVOS_MAXIMOS = 40
UN_MICROSEGUNDO = timedelta(microseconds=1)
UN_DIA = timedelta(days=1)


def medianoche(dia: date) -> datetime:
    return datetime.combine(dia, time(), tzinfo=UTC)


def resolver_periodo(
    desde: datetime | None, hasta: datetime | None, ahora: datetime, ubicacion: str = "query"
) -> tuple[datetime, datetime]:
    """Periodo inclusive; por defecto, los últimos 30 días hasta ahora."""
    hasta = hasta or (ahora if desde is None or desde <= ahora else desde)
    desde = desde or hasta - timedelta(days=DIAS_POR_DEFECTO)
    if desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde", ubicacion=ubicacion)
    if hasta - desde > timedelta(days=DIAS_MAXIMOS):
        raise DatoInvalido(
            f"el periodo no puede superar {DIAS_MAXIMOS} días", campo="hasta", ubicacion=ubicacion
        )
    return desde, hasta


Tramo = tuple[datetime, datetime, int]


def _planificar(
    sesion: Session, desde: datetime, fin: datetime, umbral: int
) -> tuple[list[Tramo], tuple[date, date, list[date]] | None]:
    """Tramos a leer en vivo (con signo) y, si hay, días cerrados a leer de las fotos."""
    primer_dia = desde.date() if desde == medianoche(desde.date()) else desde.date() + UN_DIA
    ultimo_dia = fin.date() - UN_DIA
    if primer_dia > ultimo_dia:
        return [(desde, fin, 1)], None
    vigentes = crud_metrica_diaria.dias_vigentes(
        sesion=sesion, primer_dia=desde.date(), ultimo_dia=ultimo_dia, umbral=umbral
    )
    if not vigentes:
        return [(desde, fin, 1)], None
    tramos: list[Tramo] = []
    excluidos: list[date] = []
    if desde < medianoche(primer_dia):
        dia_inicial = desde.date()
        if medianoche(primer_dia) - desde > UN_DIA / 2 and dia_inicial in vigentes:
            # Más de medio día: la foto del día menos lo anterior a desde lee menos llamadas.
            tramos.append((medianoche(dia_inicial), desde, -1))
            primer_dia = dia_inicial
        else:
            tramos.append((desde, medianoche(primer_dia), 1))
    dia = primer_dia
    while dia <= ultimo_dia:
        if dia not in vigentes:
            excluidos.append(dia)
            if tramos and tramos[-1][1] == medianoche(dia) and tramos[-1][2] == 1:
                tramos[-1] = (tramos[-1][0], medianoche(dia + UN_DIA), 1)
            else:
                tramos.append((medianoche(dia), medianoche(dia + UN_DIA), 1))
        dia += UN_DIA
    if medianoche(ultimo_dia + UN_DIA) < fin:
        tramos.append((medianoche(ultimo_dia + UN_DIA), fin, 1))
    if len(tramos) > TRAMOS_VIVOS_MAXIMOS:
        return [(desde, fin, 1)], None
    return tramos, (primer_dia, ultimo_dia, excluidos)


def calcular(
    *, sesion: Session, desde: datetime, hasta: datetime, filtros: FiltrosMetricas, umbral: int
) -> Metricas:
    """KPIs exactos del periodo [desde, hasta] con los filtros dados."""
    fin = hasta + UN_MICROSEGUNDO
    granularidad = "hora" if hasta - desde <= LIMITE_POR_HORA else "dia"
    fotos = None
    tramos: list[Tramo] = [(desde, fin, 1)]
    if granularidad == "dia" and filtros.admite_fotos:
        tramos, fotos = _planificar(sesion, desde, fin, umbral)

    total = vector_vacio()
    por_agente: dict[int, Vector] = defaultdict(vector_vacio)
    por_cubeta: dict[datetime, Vector] = defaultdict(vector_vacio)
    for cubeta, usuario_id, vector in crud_metrica.sumas_en_vivo(
        sesion=sesion, segmentos=tramos, filtros=filtros, granularidad=granularidad, umbral=umbral
    ):
        for destino in (total, por_agente[usuario_id], por_cubeta[inicio_cubeta(cubeta)]):
            _acumular(destino, vector)
    dias_fotos = 0
    if fotos is not None:
        primer_dia, ultimo_dia, excluidos = fotos
        dias_fotos = (ultimo_dia - primer_dia).days + 1 - len(excluidos)
        comunes = {
            "sesion": sesion,
            "primer_dia": primer_dia,
            "ultimo_dia": ultimo_dia,
            "excluidos": excluidos,
            "usuario_id": filtros.usuario_id,
        }
        for usuario_id, vector in crud_metrica.sumas_de_fotos(**comunes, clave="agente"):
            _acumular(por_agente[usuario_id], vector)
            _acumular(total, vector)
        for dia, vector in crud_metrica.sumas_de_fotos(**comunes, clave="dia"):
            _acumular(por_cubeta[inicio_cubeta(dia)], vector)

    nombres = crud_metrica.nombres_de_usuarios(sesion=sesion, ids=list(por_agente))
    agentes = [
        kpi_agente(uid, nombres.get(uid, f"Usuario {uid}"), v)
        for uid, v in por_agente.items()
        if v["total"]
    ]
    agentes.sort(key=lambda a: (-a.total_llamadas, a.nombre, a.usuario_id))
    return Metricas(
        desde=desde,
        hasta=hasta,
        usuario_id=filtros.usuario_id,
        nivel_servicio_umbral_segundos=umbral,
        granularidad=granularidad,
        dias_desde_fotos=dias_fotos,
        por_agente=agentes,
        serie=_serie(desde, hasta, granularidad, por_cubeta),
        **indicadores(total),
        **distribuciones(total),
    )


def _acumular(destino: Vector, vector: Vector) -> None:
    for columna, valor in vector.items():
        destino[columna] += valor


def _serie(desde: datetime, hasta: datetime, granularidad: str, por_cubeta: dict) -> list:
    """Una entrada por hora o día del periodo, con ceros donde no hubo llamadas."""
    if granularidad == "hora":
        paso, cubeta = timedelta(hours=1), desde.replace(minute=0, second=0, microsecond=0)
    else:
        paso, cubeta = UN_DIA, medianoche(desde.date())
    puntos = []
    while cubeta <= hasta:
        puntos.append(punto_serie(cubeta, por_cubeta.get(cubeta) or vector_vacio()))
        cubeta += paso
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
    desde: datetime | None,
    hasta: datetime | None,
    usuario_id: int | None,
    umbral: int,
    ahora: datetime | None = None,
) -> Metricas:
    """KPIs en vivo para quien pregunta."""
    desde, hasta = resolver_periodo(desde, hasta, ahora or datetime.now(UTC))
    filtros = filtros_del_actor(sesion=sesion, actor=actor, usuario_id=usuario_id)
    metricas = calcular(sesion=sesion, desde=desde, hasta=hasta, filtros=filtros, umbral=umbral)
    metricas.voz = medias_de_voz(
        sesion=sesion, desde=desde, hasta=hasta, usuario_id=filtros.usuario_id
    )
    return metricas
