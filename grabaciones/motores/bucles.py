"""Bucles de repetición de Whisper: «huevo, huevo, huevo, huevo…» al final de un turno.

Es el fallo más conocido de los modelos Whisper: en un final poco claro (una pregunta corta,
ruido de línea) el decodificador entra en un bucle y repite una palabra o una frase hasta
llenar la ventana. Una persona dice «no, no, no», pero no cuatro veces la misma palabra o la
misma frase corta seguidas: a partir de REPETICIONES_BUCLE se queda la primera y el resto se
descarta (y con él su tiempo, que no es habla).
"""

import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

REPETICIONES_BUCLE = 4
NGRAMA_MAXIMO = 3


def _normal(texto: str) -> str:
    """Minúsculas, sin tildes ni puntuación: «Huevo,» y «huevo.» son la misma palabra."""
    plano = unicodedata.normalize("NFKD", texto.casefold())
    return "".join(c for c in plano if c.isalnum())


def _repeticiones(claves: list[str], inicio: int, n: int) -> int:
    """Cuántas veces seguidas aparece el n-grama que empieza en `inicio`."""
    patron = claves[inicio : inicio + n]
    veces = 1
    while claves[inicio + veces * n : inicio + (veces + 1) * n] == patron:
        veces += 1
    return veces


def sin_bucles(elementos: Sequence[T], clave: Callable[[T], str]) -> list[T]:
    """Los elementos (palabras) sin las repeticiones de un bucle; el resto, tal cual."""
    claves = [_normal(clave(e)) for e in elementos]
    quedan: list[T] = []
    i = 0
    while i < len(elementos):
        for n in range(1, NGRAMA_MAXIMO + 1):
            if i + n <= len(claves) and all(claves[i : i + n]):
                veces = _repeticiones(claves, i, n)
                if veces >= REPETICIONES_BUCLE:
                    quedan += elementos[i : i + n]
                    i += veces * n
                    break
        else:
            quedan.append(elementos[i])
            i += 1
    return quedan


def texto_sin_bucles(texto: str) -> str:
    """El texto de un segmento sin marcas de palabra, sin sus bucles."""
    return " ".join(sin_bucles(texto.split(), clave=lambda palabra: palabra))
