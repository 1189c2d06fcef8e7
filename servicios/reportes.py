"""Reportes: guardan los KPIs de un periodo con sus filtros, a petición o automáticamente."""

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import Ajustes
from crud import reporte as crud_reporte
from crud.metrica import FiltrosMetricas
from crud.paginacion import PaginaFilas, PedidoPagina
from esquemas.reporte import ReporteCrear
from modelos.reporte import Reporte
from modelos.sumas import VENTANA_PRIMER_CONTACTO
from modelos.usuario import Usuario
from servicios import auditoria, metricas
from servicios.calendario import UN_DIA, UN_MICROSEGUNDO, dia_local, medianoche
from servicios.excepciones import DatoInvalido, NoEncontrado

registro = logging.getLogger("callcenter.reportes")


def filtros_guardados(filtros: FiltrosMetricas) -> dict:
    """Los filtros no vacíos, en forma JSON."""
    valores = {
        "usuario_id": filtros.usuario_id,
        "tipo": filtros.tipo.value if filtros.tipo else None,
        "resultado": filtros.resultado.value if filtros.resultado else None,
        "categoria": filtros.categoria,
    }
    return {clave: valor for clave, valor in valores.items() if valor is not None}


def filtros_de(reporte: Reporte) -> FiltrosMetricas:
    return FiltrosMetricas(**reporte.filtros)


def crear(*, sesion: Session, actor: Usuario, datos: ReporteCrear, ajustes: Ajustes) -> Reporte:
    """Calcula los KPIs del periodo y los guarda con quien pidió el reporte."""
    desde, hasta = metricas.resolver_periodo(
        datos.desde, datos.hasta, datetime.now(UTC), ajustes.zona, ubicacion="body"
    )
    filtros = metricas.filtros_del_actor(
        sesion=sesion,
        actor=actor,
        usuario_id=datos.usuario_id,
        tipo=datos.tipo,
        resultado=datos.resultado,
        categoria=datos.categoria,
    )
    contenido = metricas.calcular(
        sesion=sesion, desde=desde, hasta=hasta, filtros=filtros, ajustes=ajustes
    )
    reporte = crud_reporte.crear(
        sesion=sesion,
        datos={
            "generado_por": actor.id,
            "descripcion": datos.descripcion,
            "desde": desde,
            "hasta": hasta,
            "filtros": filtros_guardados(filtros),
            "contenido": contenido.model_dump(mode="json"),
            "automatico": False,
        },
    )
    auditoria.reporte_generado(sesion=sesion, reporte=reporte)
    sesion.commit()
    return reporte


Periodicidad = Literal["diario", "semanal", "mensual"]
NOMBRES = {"diario": "diario", "semanal": "semanal", "mensual": "mensual"}
AUTOMATICOS_VIGILADOS = 60


def periodo_cerrado(tipo: Periodicidad, ahora: datetime, zona: ZoneInfo) -> tuple[date, date]:
    """Último día, semana (lunes a domingo) o mes locales ya terminados."""
    hoy = dia_local(ahora, zona)
    if tipo == "diario":
        return hoy - UN_DIA, hoy - UN_DIA
    if tipo == "semanal":
        lunes = hoy - timedelta(days=hoy.weekday()) - timedelta(days=7)
        return lunes, lunes + timedelta(days=6)
    ultimo = hoy.replace(day=1) - UN_DIA
    return ultimo.replace(day=1), ultimo


def _huella(sesion: Session, desde: datetime, hasta: datetime) -> str:
    """Huella de las llamadas que cuentan en el periodo: las suyas y, por el primer contacto,
    las de la ventana siguiente."""
    fin = hasta + UN_MICROSEGUNDO + VENTANA_PRIMER_CONTACTO
    return crud_reporte.huella_del_periodo(sesion=sesion, inicio=desde, fin=fin)


def generar_automatico(
    *, sesion: Session, tipo: Periodicidad, ahora: datetime, ajustes: Ajustes
) -> Reporte | None:
    """Crea el reporte del último periodo local cerrado si no existe; None si ya estaba."""
    zona = ajustes.zona
    primero, ultimo = periodo_cerrado(tipo, ahora, zona)
    desde = medianoche(primero, zona)
    hasta = medianoche(ultimo + UN_DIA, zona) - UN_MICROSEGUNDO
    if crud_reporte.existe_automatico(sesion=sesion, desde=desde, hasta=hasta):
        return None
    huella = _huella(sesion, desde, hasta)
    contenido = metricas.calcular(
        sesion=sesion, desde=desde, hasta=hasta, filtros=FiltrosMetricas(), ajustes=ajustes
    )
    periodo = primero.isoformat() + ("" if primero == ultimo else f" a {ultimo.isoformat()}")
    try:
        reporte = crud_reporte.crear(
            sesion=sesion,
            datos={
                "generado_por": None,
                "descripcion": f"Reporte {NOMBRES[tipo]} automático {periodo} ({zona.key})",
                "desde": desde,
                "hasta": hasta,
                "filtros": {},
                "contenido": contenido.model_dump(mode="json"),
                "automatico": True,
                "periodicidad": tipo,
                "huella": huella,
            },
        )
        auditoria.reporte_generado(sesion=sesion, reporte=reporte)
        sesion.commit()
    except IntegrityError:
        # Otro proceso lo guardó a la vez: el índice único por periodo deja uno solo.
        sesion.rollback()
        return None
    return reporte


def refrescar_obsoletos(*, sesion: Session, ajustes: Ajustes) -> list[int]:
    """Recalcula los reportes automáticos recientes cuyas llamadas cambiaron (llamadas tardías,
    correcciones, clasificaciones); devuelve sus ids."""
    refrescados = []
    for reporte in crud_reporte.automaticos_recientes(sesion=sesion, limite=AUTOMATICOS_VIGILADOS):
        huella = _huella(sesion, reporte.desde, reporte.hasta)
        if huella == reporte.huella:
            continue
        contenido = metricas.calcular(
            sesion=sesion,
            desde=reporte.desde,
            hasta=reporte.hasta,
            filtros=filtros_de(reporte),
            ajustes=ajustes,
        )
        reporte.contenido = contenido.model_dump(mode="json")
        reporte.huella = huella
        reporte.actualizado_en = datetime.now(UTC)
        sesion.commit()
        registro.info("Reporte automático %s recalculado: cambiaron sus llamadas", reporte.id)
        refrescados.append(reporte.id)
    return refrescados


def obtener(*, sesion: Session, reporte_id: int) -> Reporte:
    reporte = crud_reporte.obtener(sesion=sesion, reporte_id=reporte_id)
    if reporte is None:
        raise NoEncontrado(f"Reporte {reporte_id} no encontrado")
    return reporte


def listar(
    *,
    sesion: Session,
    automatico: bool | None,
    desde: datetime | None,
    hasta: datetime | None,
    pedido: PedidoPagina,
) -> PaginaFilas:
    if desde and hasta and desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde", ubicacion="query")
    return crud_reporte.listar(
        sesion=sesion, automatico=automatico, desde=desde, hasta=hasta, pedido=pedido
    )
