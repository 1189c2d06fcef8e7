"""Fotos diarias rehechas en la misma transacción que cambia sus llamadas: quien escribe
llamadas (o clasificaciones) de días cerrados las publica junto con sus fotos, sin dejar un
rato en que las métricas de esos días se sumen en vivo mientras el programador las rehace."""

from datetime import date, datetime

from sqlalchemy.orm import Session

from config import Ajustes
from crud import metrica_diaria as crud_metrica_diaria
from modelos.sumas import VENTANA_PRIMER_CONTACTO
from servicios.calendario import dia_local
from servicios.metricas_diarias import (
    DIAS_POR_RACHA,
    rachas,
    reescribir_rango,
    ultimo_dia_cerrado,
)
from servicios.metricas_plan import vigencia_de


def rehacer_en_la_transaccion(
    *, sesion: Session, desde: datetime, hasta: datetime, ajustes: Ajustes, ahora: datetime
) -> list[date]:
    """Tras escribir llamadas de [desde, hasta] en la transacción en curso, sin confirmarla:
    rehace las fotos de los días cerrados que esas escrituras dejaron sin foto vigente (los de
    las llamadas y, por el primer contacto, los de la ventana anterior), para que se publiquen
    a la vez que las llamadas y ninguna lectura las sume en vivo. Devuelve los días rehechos."""
    zona = ajustes.zona
    primero = dia_local(desde - VENTANA_PRIMER_CONTACTO, zona)
    ultimo = min(dia_local(hasta, zona), ultimo_dia_cerrado(ahora, zona))
    if primero > ultimo:
        return []
    sesion.flush()
    pendientes = crud_metrica_diaria.dias_por_calcular(
        sesion=sesion, primer_dia=primero, ultimo_dia=ultimo, **vigencia_de(ajustes)
    )
    crud_metrica_diaria.asegurar_filas(sesion=sesion, dias=pendientes)
    rehechos = []
    for inicio, fin in rachas(pendientes, DIAS_POR_RACHA):
        # Las filas quedan bloqueadas hasta el commit de quien llama: nadie las cambia antes.
        if reescribir_rango(sesion=sesion, primer_dia=inicio, ultimo_dia=fin, ajustes=ajustes):
            rehechos.extend(d for d in pendientes if inicio <= d <= fin)
    return sorted(rehechos)


def rehacer_dia_en_la_transaccion(
    *, sesion: Session, instante: datetime, ajustes: Ajustes, ahora: datetime
) -> bool:
    """Tras cambiar en la transacción en curso algo de una llamada de `instante` que solo
    cuenta en su día (su clasificación): si ese día está cerrado y ya tenía foto, la rehace
    antes del commit, para que no quede un rato sin foto vigente. Un día sin foto se deja al
    programador. Dice si la rehízo."""
    zona = ajustes.zona
    dia = dia_local(instante, zona)
    if dia > ultimo_dia_cerrado(ahora, zona):
        return False
    sesion.flush()
    if not crud_metrica_diaria.existe(sesion=sesion, dia=dia):
        return False
    return reescribir_rango(sesion=sesion, primer_dia=dia, ultimo_dia=dia, ajustes=ajustes)
