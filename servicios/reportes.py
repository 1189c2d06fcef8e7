"""Reportes: guardan los KPIs de un periodo con sus filtros, a petición o automáticamente."""

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crud import reporte as crud_reporte
from crud.metrica import FiltrosMetricas
from crud.paginacion import PaginaFilas, PedidoPagina
from esquemas.reporte import ReporteCrear
from modelos.reporte import Reporte
from modelos.usuario import Usuario
from servicios import auditoria, metricas
from servicios.excepciones import DatoInvalido, NoEncontrado

registro = logging.getLogger("callcenter.reportes")

UN_MICROSEGUNDO = timedelta(microseconds=1)


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


def crear(*, sesion: Session, actor: Usuario, datos: ReporteCrear, umbral: int) -> Reporte:
    """Calcula los KPIs del periodo y los guarda con quien pidió el reporte."""
    desde, hasta = metricas.resolver_periodo(
        datos.desde, datos.hasta, datetime.now(UTC), ubicacion="body"
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
        sesion=sesion, desde=desde, hasta=hasta, filtros=filtros, umbral=umbral
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


def periodo_cerrado(tipo: Literal["diario", "semanal"], ahora: datetime) -> tuple[date, date]:
    """Último día o última semana (lunes a domingo, UTC) ya terminados."""
    hoy = ahora.astimezone(UTC).date()
    if tipo == "diario":
        return hoy - timedelta(days=1), hoy - timedelta(days=1)
    lunes = hoy - timedelta(days=hoy.weekday()) - timedelta(days=7)
    return lunes, lunes + timedelta(days=6)


def generar_automatico(
    *, sesion: Session, tipo: Literal["diario", "semanal"], ahora: datetime, umbral: int
) -> Reporte | None:
    """Crea el reporte del último periodo cerrado si no existe; None si ya estaba."""
    primero, ultimo = periodo_cerrado(tipo, ahora)
    desde = metricas.medianoche(primero)
    hasta = metricas.medianoche(ultimo + timedelta(days=1)) - UN_MICROSEGUNDO
    if crud_reporte.existe_automatico(sesion=sesion, desde=desde, hasta=hasta):
        return None
    contenido = metricas.calcular(
        sesion=sesion, desde=desde, hasta=hasta, filtros=FiltrosMetricas(), umbral=umbral
    )
    nombre = "diario" if tipo == "diario" else "semanal"
    try:
        reporte = crud_reporte.crear(
            sesion=sesion,
            datos={
                "generado_por": None,
                "descripcion": f"Reporte {nombre} automático {primero.isoformat()}"
                + ("" if primero == ultimo else f" a {ultimo.isoformat()}"),
                "desde": desde,
                "hasta": hasta,
                "filtros": {},
                "contenido": contenido.model_dump(mode="json"),
                "automatico": True,
            },
        )
        auditoria.reporte_generado(sesion=sesion, reporte=reporte)
        sesion.commit()
    except IntegrityError:
        # Otro proceso lo guardó a la vez: el índice único por periodo deja uno solo.
        sesion.rollback()
        return None
    return reporte


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
