"""Importación de llamadas por lotes, publicada de una vez con sus fotos diarias.

Un lote entra en una sola transacción: las llamadas, su línea de auditoría y las fotos de los
días cerrados que cambian con ellas (los de las llamadas y, por el primer contacto, los de la
ventana anterior). Así ninguna lectura ve las llamadas nuevas sin sus fotos: no hay un rato en
que las métricas de esos días se sumen en vivo mientras el programador las rehace. Las que traen
notas no se clasifican aquí: las clasifica después la repesca, y guardar cada clasificación
rehace la foto de su día en su misma transacción (servicios/clasificaciones._guardar).
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from config import Ajustes
from crud import llamada as crud_llamada
from crud import usuario as crud_usuario
from esquemas.importacion import IMPORTACION_DIAS_MAXIMOS, LoteLlamadas, ResultadoImportacion
from modelos.usuario import Usuario
from servicios import auditoria
from servicios.excepciones import DatoInvalido
from servicios.metricas_publicacion import rehacer_en_la_transaccion


def _agentes_validos(sesion: Session, lote: LoteLlamadas) -> None:
    """422 en la primera fila cuyo usuario no existe o está desactivado."""
    validos: dict[int, bool] = {}
    for indice, llamada in enumerate(lote.llamadas):
        if llamada.usuario_id not in validos:
            usuario = crud_usuario.obtener(sesion=sesion, usuario_id=llamada.usuario_id)
            validos[llamada.usuario_id] = usuario is not None and usuario.activo
        if not validos[llamada.usuario_id]:
            raise DatoInvalido(
                f"el usuario {llamada.usuario_id} no existe o está desactivado",
                campo=f"llamadas.{indice}.usuario_id",
            )


def importar(
    *, sesion: Session, actor: Usuario, lote: LoteLlamadas, ajustes: Ajustes
) -> ResultadoImportacion:
    """Importa el lote entero o nada (422 nombrando la fila y el campo)."""
    fechas = [llamada.fecha_hora for llamada in lote.llamadas]
    desde, hasta = min(fechas), max(fechas)
    if (hasta - desde).days >= IMPORTACION_DIAS_MAXIMOS:
        raise DatoInvalido(
            f"un lote abarca como mucho {IMPORTACION_DIAS_MAXIMOS} días (este va del "
            f"{desde:%d/%m/%Y} al {hasta:%d/%m/%Y}); pártelo por meses",
            campo="llamadas",
        )
    _agentes_validos(sesion, lote)
    crud_llamada.crear_varias(sesion=sesion, filas=[ll.model_dump() for ll in lote.llamadas])
    auditoria.registrar(
        sesion=sesion,
        accion="llamadas.importadas",
        entidad="llamada",
        detalle={"importadas": len(fechas), "desde": desde, "hasta": hasta},
        usuario_id=actor.id,
    )
    rehechos = rehacer_en_la_transaccion(
        sesion=sesion, desde=desde, hasta=hasta, ajustes=ajustes, ahora=datetime.now(UTC)
    )
    sesion.commit()
    return ResultadoImportacion(
        importadas=len(fechas),
        desde=desde,
        hasta=hasta,
        dias_recalculados=rehechos,
    )
