"""Sumas de las fotos diarias guardadas en memoria, por su huella de versiones.

Las sumas de los días cerrados (equipo, por agente y por día, del periodo y del anterior) son
la mitad del SQL de unas métricas a un año (~12 ms de ~30 en PostgreSQL a 1 000 000 de
llamadas) y no cambian mientras no cambien sus fotos. La clave lleva la huella de los sellos
de esas fotos (`planificar`: versión, que sube con cada invalidación, e instante de cálculo,
que cambia con cada construcción) y los ajustes con que se hicieron van en la propia lectura
de vigencia, así que una foto invalidada o rehecha en cualquier proceso cambia la clave: lo
guardado nunca se sirve pasado. Cada
proceso guarda las suyas; como mucho MAXIMO lecturas (un año por día son 365 filas). Las
franjas de las fotos (volumen por día de la semana y hora, `franjas_de_fotos_en_memoria`) se
guardan igual: sin ellas, cada petición de 30 días las volvía a sumar (4–6 ms en SQLite).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.orm import Session

from crud import metrica as crud_metrica
from crud import metrica_fotos

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
    return _leer_una_vez(
        sesion,
        (primer_dia, ultimo_dia, tuple(excluidos), usuario_id, clave, columnas, huella),
        lambda: crud_metrica.sumas_de_fotos(
            sesion=sesion,
            primer_dia=primer_dia,
            ultimo_dia=ultimo_dia,
            excluidos=excluidos,
            usuario_id=usuario_id,
            clave=clave,
            columnas=columnas,
        ),
    )


def franjas_de_fotos_en_memoria(
    *,
    sesion: Session,
    primer_dia: date,
    ultimo_dia: date,
    excluidos: Sequence[date],
    usuario_id: int | None,
    huella: int,
) -> list:
    """Lo mismo que `crud.metrica_fotos.franjas_de_fotos`, leído una vez por huella."""
    return _leer_una_vez(
        sesion,
        (primer_dia, ultimo_dia, tuple(excluidos), usuario_id, "franjas", huella),
        lambda: metrica_fotos.franjas_de_fotos(
            sesion=sesion,
            primer_dia=primer_dia,
            ultimo_dia=ultimo_dia,
            excluidos=excluidos,
            usuario_id=usuario_id,
        ),
    )


def _leer_una_vez(sesion: Session, clave: tuple, leer: Callable[[], list]) -> list:
    """Lo guardado con `clave` en la base de `sesion`, o lo que dé `leer` (y se guarda)."""
    motor = sesion.get_bind()
    llave = (id(motor), str(motor.url), *clave)
    with _cerrojo:
        filas = _guardadas.get(llave)
        if filas is not None:
            _guardadas.move_to_end(llave)
            return filas
    filas = leer()
    with _cerrojo:
        _guardadas[llave] = filas
        while len(_guardadas) > MAXIMO:
            _guardadas.popitem(last=False)
    return filas


def olvidar() -> None:
    """Vacía lo guardado (las pruebas que rehacen la base desde cero)."""
    with _cerrojo:
        _guardadas.clear()
