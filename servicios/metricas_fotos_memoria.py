"""Sumas de las fotos diarias guardadas en memoria, por su huella de versiones.

Las sumas de los días cerrados (equipo, por agente y por día, del periodo y del anterior) son
la mitad del SQL de unas métricas a un año (~12 ms de ~30 en PostgreSQL a 1 000 000 de
llamadas) y no cambian mientras no cambien sus fotos. La clave lleva la huella de los sellos
de esas fotos (`planificar`: versión, que sube con cada invalidación, e instante de cálculo,
que cambia con cada construcción) y los ajustes con que se hicieron van en la propia lectura
de vigencia, así que una foto invalidada o rehecha en cualquier proceso cambia la clave: lo
guardado nunca se sirve pasado. Cada
proceso guarda las suyas; como mucho MAXIMO lecturas (un año por día son 365 filas).
"""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from crud import metrica as crud_metrica

MAXIMO = 64

_guardadas: OrderedDict[tuple, list] = OrderedDict()
_cerrojo = threading.Lock()


def sumas_de_fotos_en_memoria(
    *,
    sesion: Session,
    primer_dia: date,
    ultimo_dia: date,
    excluidos: Sequence[date],
    usuario_id: int | None,
    clave: str,
    columnas: tuple[str, ...],
    huella: int,
) -> list:
    """Lo mismo que `crud.metrica.sumas_de_fotos`, leído una vez por huella (las filas que
    devuelve no se deben modificar: se comparten entre peticiones)."""
    motor = sesion.get_bind()
    llave = (
        id(motor),
        str(motor.url),
        primer_dia,
        ultimo_dia,
        tuple(excluidos),
        usuario_id,
        clave,
        columnas,
        huella,
    )
    with _cerrojo:
        filas = _guardadas.get(llave)
        if filas is not None:
            _guardadas.move_to_end(llave)
            return filas
    filas = crud_metrica.sumas_de_fotos(
        sesion=sesion,
        primer_dia=primer_dia,
        ultimo_dia=ultimo_dia,
        excluidos=excluidos,
        usuario_id=usuario_id,
        clave=clave,
        columnas=columnas,
    )
    with _cerrojo:
        _guardadas[llave] = filas
        while len(_guardadas) > MAXIMO:
            _guardadas.popitem(last=False)
    return filas


def olvidar() -> None:
    """Vacía lo guardado (las pruebas que rehacen la base desde cero)."""
    with _cerrojo:
        _guardadas.clear()
