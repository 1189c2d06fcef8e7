"""Huella de lo que determina un modelo entrenado: corpus, listas de palabras y normalización."""

import hashlib
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
# Cambiar cualquiera de estos ficheros cambia los rasgos o las etiquetas: obliga a reentrenar.
FICHEROS = (
    "data/corpus/entrenamiento.jsonl",
    "data/corpus/correcciones.jsonl",  # correcciones humanas, si se reentrenó con ellas
    "servicios/clasificador/rasgos.py",
    "servicios/clasificador/sentimiento.py",
    "servicios/clasificador/turnos.py",
)


def huella_modelo() -> str:
    """SHA-256 del corpus de entrenamiento y del código de rasgos, en un orden fijo."""
    suma = hashlib.sha256()
    for nombre in FICHEROS:
        ruta = RAIZ / nombre
        if ruta.exists():
            suma.update(nombre.encode())
            suma.update(ruta.read_bytes())
    return suma.hexdigest()
