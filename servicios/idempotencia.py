"""Altas de llamadas repetibles: la misma Idempotency-Key y el mismo cuerpo devuelven la
llamada de la primera vez en lugar de crear otra."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import Ajustes
from crud import clave_idempotencia as crud_clave
from crud import llamada as crud_llamada
from esquemas.llamada import LlamadaCrear
from modelos.clave_idempotencia import ClaveIdempotencia
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from servicios import llamadas as servicio_llamadas
from servicios.excepciones import Conflicto

OTRO_CUERPO = (
    "Idempotency-Key: esta clave ya se usó con otro cuerpo; usa una clave nueva para otra llamada"
)


def huella(datos: LlamadaCrear) -> str:
    """SHA-256 del cuerpo ya validado (el orden de campos o los espacios no cuentan)."""
    canonico = json.dumps(datos.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonico.encode("utf-8")).hexdigest()


def _repetir(sesion: Session, previa: ClaveIdempotencia, huella_cuerpo: str) -> Llamada | None:
    """La llamada de la primera vez, o 409 si el cuerpo es otro."""
    if previa.huella != huella_cuerpo:
        raise Conflicto(OTRO_CUERPO)
    return crud_llamada.obtener(sesion=sesion, llamada_id=previa.llamada_id)


def crear_llamada(
    *, sesion: Session, actor: Usuario, datos: LlamadaCrear, clave: str, ajustes: Ajustes
) -> tuple[Llamada, bool]:
    """(llamada, repetida). La llamada y su clave se confirman juntas: de dos peticiones
    simultáneas con la misma clave, la segunda choca con la restricción única y repite."""
    huella_cuerpo = huella(datos)
    ahora = datetime.now(UTC)
    previa = crud_clave.obtener(sesion=sesion, usuario_id=actor.id, clave=clave)
    if previa is not None and previa.expira_en > ahora:
        llamada = _repetir(sesion, previa, huella_cuerpo)
        if llamada is not None:
            return llamada, True
    crud_clave.eliminar_caducadas(sesion=sesion, ahora=ahora, usuario_id=actor.id)
    try:
        llamada = servicio_llamadas.crear(
            sesion=sesion, actor=actor, datos=datos, ajustes=ajustes, confirmar=False
        )
        crud_clave.crear(
            sesion=sesion,
            usuario_id=actor.id,
            clave=clave,
            huella=huella_cuerpo,
            llamada_id=llamada.id,
            expira_en=ahora + timedelta(hours=ajustes.idempotencia_horas),
        )
        sesion.commit()
        servicio_llamadas.publicar_creada(sesion, llamada)
    except IntegrityError:
        sesion.rollback()
        previa = crud_clave.obtener(sesion=sesion, usuario_id=actor.id, clave=clave)
        if previa is None:
            raise
        repetida = _repetir(sesion, previa, huella_cuerpo)
        if repetida is None:
            raise
        return repetida, True
    return llamada, False
