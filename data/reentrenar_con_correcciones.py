"""Reentrena el clasificador offline con las correcciones humanas guardadas en la base.

1. Exporta las correcciones (notas de la llamada y categoría corregida) a
   data/corpus/correcciones.jsonl, sin ningún texto de la partición de evaluación.
2. Mide el modelo actual en la evaluación, reentrena (léxico y semántico) y vuelve a medir.
3. Si la exactitud baja, restaura el modelo y el fichero de correcciones anteriores y sale
   con código 1: nunca se sustituye un modelo por otro peor.

Uso: DATABASE_URL=... python data/reentrenar_con_correcciones.py
"""

import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

CORPUS = RAIZ / "data" / "corpus"
CORRECCIONES = CORPUS / "correcciones.jsonl"
MODELOS = (RAIZ / "data" / "modelo_clasificador.npz", RAIZ / "data" / "modelo_semantico.npz")


def clave(texto: str) -> str:
    """Clave de duplicados: sin tildes, minúsculas y solo letras y dígitos."""
    sin = "".join(
        c for c in unicodedata.normalize("NFKD", texto.lower()) if not unicodedata.combining(c)
    )
    return re.sub(r"[^a-z0-9ñ]+", " ", sin).strip()


def filas_de_correcciones(
    correcciones: list[tuple[str, str]], evaluacion: list[str]
) -> list[dict[str, str]]:
    """Filas de corpus de las correcciones, sin textos de evaluación ni repetidos."""
    vistos = {clave(t) for t in evaluacion}
    filas = []
    for i, (texto, categoria) in enumerate(correcciones):
        k = clave(texto)
        if not k or k in vistos:
            continue
        vistos.add(k)
        # El sentimiento no se corrige: se usa el más frecuente de la categoría en el corpus.
        sentimiento = "negativo" if categoria == "reclamo" else "neutral"
        filas.append(
            {
                "texto": texto,
                "categoria": categoria,
                "sentimiento": sentimiento,
                "fuente": f"correccion:{i}",
            }
        )
    return filas


def reentrenar(
    filas: list[dict[str, str]], entrenar: Callable[[], None], medir: Callable[[], float]
) -> tuple[bool, float, float]:
    """Escribe las correcciones, reentrena y conserva el modelo solo si no empeora."""
    antes = medir()
    with tempfile.TemporaryDirectory() as copia:
        respaldo = [(r, Path(copia) / r.name) for r in (*MODELOS, CORRECCIONES) if r.exists()]
        for original, destino in respaldo:
            shutil.copy2(original, destino)
        existia = CORRECCIONES.exists()
        with CORRECCIONES.open("w", encoding="utf-8") as f:
            for fila in filas:
                f.write(json.dumps(fila, ensure_ascii=False) + "\n")
        entrenar()
        despues = medir()
        if despues >= antes:
            return True, antes, despues
        for original, destino in respaldo:
            shutil.copy2(destino, original)
        if not existia:
            CORRECCIONES.unlink()
    return False, antes, despues


def _medir() -> float:
    """Exactitud del motor offline en la partición de evaluación, con los modelos del disco."""
    from data.evaluar_clasificador import evaluar, leer
    from servicios.clasificador import artefacto, semantico

    artefacto._modelo = None
    semantico._modelo = None
    semantico._no_disponible = False
    return float(evaluar(leer("evaluacion.jsonl"))["acierto"])


def _entrenar() -> None:
    from data import entrenar_clasificador, entrenar_semantico
    from servicios.clasificador import artefacto

    entrenar_clasificador.main()
    artefacto._modelo = None
    entrenar_semantico.main()


def main() -> None:
    """Exporta, reentrena y decide."""
    from config import obtener_ajustes
    from crud.clasificacion_ia import listar_correcciones
    from data.evaluar_clasificador import leer
    from database import crear_fabrica, crear_motor

    fabrica = crear_fabrica(crear_motor(obtener_ajustes().database_url))
    with fabrica() as sesion:
        correcciones = [(t, c.value) for t, c in listar_correcciones(sesion=sesion)]
    filas = filas_de_correcciones(correcciones, [f["texto"] for f in leer("evaluacion.jsonl")])
    print(f"{len(correcciones)} correcciones en la base, {len(filas)} nuevas para entrenar")
    aceptado, antes, despues = reentrenar(filas, _entrenar, _medir)
    print(f"Exactitud en evaluación: {antes:.1%} -> {despues:.1%}")
    if not aceptado:
        sys.exit("El modelo nuevo es peor: se conserva el anterior")
    print("Modelo nuevo guardado")


if __name__ == "__main__":
    main()
