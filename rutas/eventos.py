"""Ruta del flujo de eventos en vivo (Server-Sent Events) para la consola."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from auth import esquema_oauth2, usuario_del_token
from config import Ajustes
from eventos.flujo import Flujo, RespuestaEventos, Verificador
from servicios.excepciones import NoAutenticado
from servicios.llamadas import es_supervision

router = APIRouter(prefix="/api/eventos", tags=["eventos"])

ID_EVENTO_MAXIMO = 2**63 - 1


def _usuario(
    fabrica: sessionmaker[Session], ajustes: Ajustes, token: str | None
) -> tuple[int, bool]:
    """(id, es de supervisión) del token; sesión corta: el flujo no retiene una conexión."""
    with fabrica() as sesion:
        usuario = usuario_del_token(sesion=sesion, ajustes=ajustes, token=token)
        return usuario.id, es_supervision(usuario)


def _verificador(request: Request, token: str | None) -> Verificador:
    async def verificar() -> bool | None:
        """En cada ping: token vigente y usuario activo; si no, se cierra el flujo."""
        estado = request.app.state
        try:
            _, supervision = await asyncio.to_thread(
                _usuario, estado.fabrica_sesiones, estado.ajustes, token
            )
        except NoAutenticado:
            return None
        return supervision

    return verificar


@router.get(
    "",
    status_code=200,
    response_class=RespuestaEventos,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Flujo SSE"}},
)
async def flujo_de_eventos(
    request: Request,
    token: Annotated[str | None, Depends(esquema_oauth2)],
    last_event_id: Annotated[
        int | None, Header(alias="Last-Event-ID", ge=0, le=ID_EVENTO_MAXIMO)
    ] = None,
    ultimo_id: Annotated[
        int | None, Query(ge=0, le=ID_EVENTO_MAXIMO, description="Alternativa a Last-Event-ID")
    ] = None,
) -> RespuestaEventos:
    """Eventos en vivo (llamadas, clasificaciones, estados, pistas de KPIs); un agente solo
    recibe los suyos."""
    estado = request.app.state
    ajustes: Ajustes = estado.ajustes
    usuario_id, supervision = await asyncio.to_thread(
        _usuario, estado.fabrica_sesiones, ajustes, token
    )
    bus = estado.bus
    flujo = Flujo(
        bus=bus,
        suscripcion=bus.suscribir(usuario_id=usuario_id, supervision=supervision),
        ultimo_id=last_event_id if last_event_id is not None else ultimo_id,
        ping_segundos=ajustes.eventos_ping_segundos,
        verificar=_verificador(request, token),
    )
    return RespuestaEventos(flujo)
