"""Sumas de las fotos diarias guardadas en memoria, por su huella de versiones.

Las sumas de los días cerrados (equipo, por agente y por día, del periodo y del anterior) son
la mitad del SQL de unas métricas a un año (~12 ms de ~30 en PostgreSQL a 1 000 000 de
llamadas) y no cambian mientras no cambien sus fotos. La clave lleva la huella de los sellos
de esas fotos (`planificar`: versión, que sube con cada invalidación, e instante de cálculo,
que cambia con cada construcción) y los ajustes con que se hicieron van en la propia lectura
de vigencia, así que una foto invalidada o rehecha en cualquier proceso cambia la clave: lo
guardado nunca se sirve pasado. Cada proceso guarda las suyas; como mucho MAXIMO lecturas (un
año por día son 365 filas). Las franjas de las fotos (volumen por día de la semana y hora) se
guardan igual: sin ellas, cada petición de 30 días las volvía a sumar (4–6 ms en SQLite).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy.orm import Session

MAXIMO = 64

_guardadas: OrderedDict[tuple, list] = OrderedDict()
_cerrojo = threading.Lock()


def leer_una_vez(leer: Callable[..., list], *, sesion: Session, huella: int, **argumentos) -> list:
    """`leer(sesion=sesion, **argumentos)` (una lectura de las fotos: `sumas_de_fotos` o
    `franjas_de_fotos` de crud/metrica_fotos.py), hecha una vez por huella y base; lo guardado
    se comparte entre peticiones: las filas que devuelve no se deben modificar."""
    motor = sesion.get_bind()
    valores = tuple(
        (nombre, tuple(valor) if isinstance(valor, list) else valor)
        for nombre, valor in sorted(argumentos.items())
    )
    llave = (id(motor), str(motor.url), leer.__module__, leer.__qualname__, huella, valores)
    with _cerrojo:
        filas = _guardadas.get(llave)
        if filas is not None:
            _guardadas.move_to_end(llave)
            return filas
    filas = leer(sesion=sesion, **argumentos)
    with _cerrojo:
        _guardadas[llave] = filas
        while len(_guardadas) > MAXIMO:
            _guardadas.popitem(last=False)
    return filas


def olvidar() -> None:
    """Vacía lo guardado (las pruebas que rehacen la base desde cero)."""
    with _cerrojo:
        _guardadas.clear()
