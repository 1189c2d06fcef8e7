"""Programador en proceso: guarda los días cerrados que falten y el reporte automático."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from config import Ajustes
from crud import metrica_diaria as crud_metrica_diaria
from servicios import clasificaciones, metricas_diarias, reportes

registro = logging.getLogger("callcenter.programador")

DIAS_RELLENO_MAXIMOS = 366


@dataclass
class ResultadoProgramador:
    dias_guardados: list[date] = field(default_factory=list)
    reporte_id: int | None = None
    llamadas_clasificadas: int = 0


def ejecutar(
    *, fabrica: sessionmaker[Session], ajustes: Ajustes, ahora: datetime
) -> ResultadoProgramador:
    """Una pasada: clasificaciones pendientes, fotos de los días cerrados pendientes
    (acotado) y reporte automático."""
    resultado = ResultadoProgramador()
    if ajustes.clasificacion_automatica:
        resultado.llamadas_clasificadas = clasificaciones.clasificar_pendientes(
            fabrica=fabrica, ajustes=ajustes
        )
    umbral = ajustes.nivel_servicio_segundos
    with fabrica() as sesion:
        ultimo = metricas_diarias.ultimo_dia_cerrado(ahora)
        primera = crud_metrica_diaria.primer_dia_con_llamadas(sesion=sesion)
        if primera is not None and primera <= ultimo:
            primer = max(primera, ultimo - timedelta(days=DIAS_RELLENO_MAXIMOS - 1))
            resultado.dias_guardados = metricas_diarias.guardar_pendientes(
                sesion=sesion, primer_dia=primer, ultimo_dia=ultimo, umbral=umbral
            )
        if ajustes.reporte_automatico != "no":
            reporte = reportes.generar_automatico(
                sesion=sesion, tipo=ajustes.reporte_automatico, ahora=ahora, umbral=umbral
            )
            resultado.reporte_id = reporte.id if reporte else None
    return resultado


async def _bucle(app: FastAPI) -> None:
    while True:
        ajustes: Ajustes = app.state.ajustes
        try:
            await asyncio.to_thread(
                ejecutar,
                fabrica=app.state.fabrica_sesiones,
                ajustes=ajustes,
                ahora=datetime.now(UTC),
            )
        except Exception:
            registro.exception("Falló una pasada del programador; se reintentará")
        await asyncio.sleep(ajustes.programador_intervalo_segundos)


def iniciar(app: FastAPI) -> asyncio.Task | None:
    """Arranca el bucle si el programador está activo en los ajustes."""
    if not app.state.ajustes.programador_activo:
        return None
    return asyncio.create_task(_bucle(app), name="programador")


async def detener(tarea: asyncio.Task | None) -> None:
    if tarea is None:
        return
    tarea.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await tarea
