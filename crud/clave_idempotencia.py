"""Persistencia de las claves de idempotencia."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from modelos.clave_idempotencia import ClaveIdempotencia


def obtener(*, sesion: Session, usuario_id: int, clave: str) -> ClaveIdempotencia | None:
    consulta = select(ClaveIdempotencia).where(
        ClaveIdempotencia.usuario_id == usuario_id, ClaveIdempotencia.clave == clave
    )
    return sesion.scalars(consulta).first()


def crear(
    *,
    sesion: Session,
    usuario_id: int,
    clave: str,
    huella: str,
    llamada_id: int,
    expira_en: datetime,
) -> ClaveIdempotencia:
    """Inserta la clave; si otra petición la guardó antes, el flush lanza IntegrityError."""
    fila = ClaveIdempotencia(
        usuario_id=usuario_id,
        clave=clave,
        huella=huella,
        llamada_id=llamada_id,
        expira_en=expira_en,
    )
    sesion.add(fila)
    sesion.flush()
    return fila


def eliminar_caducadas(*, sesion: Session, ahora: datetime, usuario_id: int | None = None) -> int:
    """Borra las claves caducadas (de un usuario, o todas)."""
    orden = delete(ClaveIdempotencia).where(ClaveIdempotencia.expira_en <= ahora)
    if usuario_id is not None:
        orden = orden.where(ClaveIdempotencia.usuario_id == usuario_id)
    return sesion.execute(orden).rowcount or 0
