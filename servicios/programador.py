"""Programador en cada proceso: repesca de clasificaciones, días cerrados que falten,
reporte automático y retención de grabaciones. Con N procesos, cada tarea corre una vez por
periodo: la toma quien gana su turno (Redis o una fila de `tareas_periodicas`)."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

import trabajos
from config import Ajustes
from servicios import clasificaciones, grabaciones, metricas_diarias, reportes
from trabajos.avisos import registrar_fallo

registro = logging.getLogger("callcenter.programador")


@dataclass
class ResultadoProgramador:
    dias_guardados: list[date] = field(default_factory=list)
    reporte_id: int | None = None
    llamadas_encoladas: int = 0
    reportes_refrescados: list[int] = field(default_factory=list)
    grabaciones_borradas: int = 0


def _siempre(_nombre: str) -> bool:
    return True


def ejecutar(
    *,
    fabrica: sessionmaker[Session],
    ajustes: Ajustes,
    ahora: datetime,
    turno: Callable[[str], bool] = _siempre,
) -> ResultadoProgramador:
    """Una pasada: repesca de clasificaciones, fotos de los días cerrados pendientes
    (acotado), reporte automático y retención de grabaciones; cada parte solo si
    `turno(nombre)` se la concede."""
    resultado = ResultadoProgramador()
    if ajustes.clasificacion_automatica and turno("repesca_clasificaciones"):
        resultado.llamadas_encoladas = clasificaciones.encolar_pendientes(fabrica=fabrica)
    if ajustes.grabaciones_retencion_dias and turno("retencion_grabaciones"):
        resultado.grabaciones_borradas = grabaciones.aplicar_retencion(
            fabrica=fabrica, ajustes=ajustes, ahora=ahora
        )
    with fabrica() as sesion:
        if turno("fotos_diarias"):
            resultado.dias_guardados = metricas_diarias.rellenar(
                sesion=sesion, ajustes=ajustes, ahora=ahora
            )
        if ajustes.reporte_automatico != "no" and turno("reporte_automatico"):
            reporte = reportes.generar_automatico(
                sesion=sesion, tipo=ajustes.reporte_automatico, ahora=ahora, ajustes=ajustes
            )
            resultado.reporte_id = reporte.id if reporte else None
            resultado.reportes_refrescados = reportes.refrescar_obsoletos(
                sesion=sesion, ajustes=ajustes
            )
    return resultado


def turnos_del_proceso(
    fabrica: sessionmaker[Session], ajustes: Ajustes, yo: str
) -> Callable[[str], bool]:
    """Turnos compartidos entre procesos, uno por tarea y periodo del programador."""

    def _turno(nombre: str) -> bool:
        tomado = trabajos.tomar_turno(
            fabrica=fabrica,
            nombre=nombre,
            periodo=ajustes.programador_intervalo_segundos,
            yo=yo,
            redis_url=ajustes.redis_url,
        )
        if tomado:
            registro.info("turno de %s tomado por %s", nombre, yo)
        return tomado

    return _turno


async def _bucle(app: FastAPI) -> None:
    yo = trabajos.identidad()
    while True:
        ajustes: Ajustes = app.state.ajustes
        fabrica = app.state.fabrica_sesiones
        try:
            await asyncio.to_thread(
                ejecutar,
                fabrica=fabrica,
                ajustes=ajustes,
                ahora=datetime.now(UTC),
                turno=turnos_del_proceso(fabrica, ajustes, yo),
            )
        except Exception as error:
            registrar_fallo(registro, "Falló una pasada del programador; se reintentará", error)
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
