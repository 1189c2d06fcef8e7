"""Casos de uso del estado de los agentes: leerlo, cambiarlo (y avisar en vivo) y listarlo."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from crud import estado_agente as crud_estado
from esquemas.estado_agente import EstadoCambiar, EstadoPublico
from eventos import publicar
from modelos.enums import EstadoAgente
from modelos.usuario import Usuario


def _publico(usuario: Usuario, estado, motivo, desde) -> EstadoPublico:
    return EstadoPublico(
        usuario_id=usuario.id,
        nombre=usuario.nombre,
        estado=estado or EstadoAgente.desconectado,
        motivo=motivo,
        desde=desde or usuario.creado_en,
    )


def obtener(*, sesion: Session, usuario: Usuario) -> EstadoPublico:
    """Estado vigente; quien nunca lo fijó está desconectado desde que se creó su cuenta."""
    actual = crud_estado.obtener(sesion=sesion, usuario_id=usuario.id)
    if actual is None:
        return _publico(usuario, None, None, None)
    return _publico(usuario, actual.estado, actual.motivo, actual.desde)


def cambiar(*, sesion: Session, usuario: Usuario, datos: EstadoCambiar) -> EstadoPublico:
    """Cambia el estado (repetir el mismo no reinicia el reloj) y publica estado_agente."""
    previo = obtener(sesion=sesion, usuario=usuario)
    if previo.estado == datos.estado and previo.motivo == datos.motivo:
        return previo
    actual = crud_estado.guardar(
        sesion=sesion,
        usuario_id=usuario.id,
        estado=datos.estado,
        motivo=datos.motivo,
        desde=datetime.now(UTC),
    )
    sesion.commit()
    publico = _publico(usuario, actual.estado, actual.motivo, actual.desde)
    publicar(sesion, "estado_agente", publico.model_dump(mode="json"), usuario_id=usuario.id)
    return publico


def listar(*, sesion: Session) -> list[EstadoPublico]:
    """Estado de todos los agentes activos."""
    return [
        EstadoPublico(
            usuario_id=fila.id,
            nombre=fila.nombre,
            estado=fila.estado or EstadoAgente.desconectado,
            motivo=fila.motivo,
            desde=fila.desde or fila.creado_en,
        )
        for fila in crud_estado.listar_agentes(sesion=sesion)
    ]
