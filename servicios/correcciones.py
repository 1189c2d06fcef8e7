"""Correcciones humanas de la clasificación y acuerdo entre el clasificador y las personas."""

from datetime import datetime

from sqlalchemy.orm import Session

from crud import clasificacion_ia as crud_clasificacion
from crud.clasificacion_ia import FiltrosClasificaciones
from esquemas.clasificacion_ia import (
    AcuerdoCategoria,
    AcuerdoClasificador,
    CorregirClasificacion,
)
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria
from modelos.usuario import Usuario
from servicios import auditoria
from servicios import clasificaciones as servicio_clasificaciones
from servicios.excepciones import DatoInvalido


def corregir(
    *, sesion: Session, actor: Usuario, clasificacion_id: int, datos: CorregirClasificacion
) -> ClasificacionIA:
    """Supervisión corrige cualquiera; un agente, las de sus llamadas (lo comprueba obtener)."""
    clasificacion = servicio_clasificaciones.obtener(
        sesion=sesion, actor=actor, clasificacion_id=clasificacion_id
    )
    auditoria.clasificacion_corregida(
        sesion=sesion,
        clasificacion=clasificacion,
        cambios={"categoria": Categoria(datos.categoria), "nota_correccion": datos.nota or None},
    )
    crud_clasificacion.corregir(
        sesion=sesion,
        clasificacion=clasificacion,
        categoria=Categoria(datos.categoria),
        nota=datos.nota or None,
        usuario_id=actor.id,
    )
    sesion.commit()
    sesion.refresh(clasificacion)
    return clasificacion


def acuerdo(
    *,
    sesion: Session,
    desde: datetime | None,
    hasta: datetime | None,
    usuario_id: int | None = None,
) -> AcuerdoClasificador:
    """Por categoría del clasificador: revisadas, confirmadas por una persona y a qué se cambió."""
    if desde and hasta and desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde", ubicacion="query")
    filtros = FiltrosClasificaciones(usuario_id=usuario_id, desde=desde, hasta=hasta)
    filas = crud_clasificacion.acuerdo_por_categoria(sesion=sesion, filtros=filtros)
    por_categoria = []
    for categoria in Categoria:
        propias = [(humana, n) for modelo, humana, n in filas if modelo == categoria]
        revisadas = sum(n for _, n in propias)
        confirmadas = sum(n for humana, n in propias if humana == categoria)
        por_categoria.append(
            AcuerdoCategoria(
                categoria=categoria,
                revisadas=revisadas,
                confirmadas=confirmadas,
                acuerdo=round(confirmadas / revisadas, 4) if revisadas else None,
                corregidas_a={h.value: n for h, n in propias if h != categoria},
            )
        )
    revisadas = sum(c.revisadas for c in por_categoria)
    confirmadas = sum(c.confirmadas for c in por_categoria)
    return AcuerdoClasificador(
        desde=desde,
        hasta=hasta,
        revisadas=revisadas,
        acuerdo=round(confirmadas / revisadas, 4) if revisadas else None,
        por_categoria=por_categoria,
    )
