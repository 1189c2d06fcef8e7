"""Publicación desde la capa de servicios: el bus viaja en la sesión (Session.info)."""

import logging
from typing import Any

from sqlalchemy.orm import Session

from eventos.evento import Evento

registro = logging.getLogger("callcenter.eventos")

CLAVE_BUS = "bus_eventos"


def publicar(
    sesion: Session,
    tipo: str,
    datos: dict[str, Any],
    *,
    usuario_id: int | None,
    supervision: bool = True,
) -> None:
    """Publica tras el commit; sin bus (scripts, pruebas de servicio) no hace nada. Nunca lanza."""
    bus = sesion.info.get(CLAVE_BUS)
    if bus is None:
        return
    try:
        bus.publicar(Evento(tipo=tipo, datos=datos, usuario_id=usuario_id, supervision=supervision))
    except Exception:  # un fallo del bus nunca tumba la petición que ya guardó sus datos
        registro.exception("No se pudo publicar el evento %s", tipo)
