"""Cifras del clasificador offline en la partición de evaluación (nunca entrenada).

Uso: python data/evaluar_clasificador.py  (imprime acierto, exhaustividad por categoría y por
tipo de fuente, tabla de fiabilidad y ECE de la confianza, y acierto del sentimiento).
"""

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from servicios.clasificador.calibracion import ece, tabla_fiabilidad  # noqa: E402
from servicios.clasificador.local import clasificar_local  # noqa: E402

CATEGORIAS = ("venta", "soporte", "reclamo")


def tipo_fuente(fuente: str) -> str:
    """Familia de un ejemplo: a mano, plantilla, transcripción o nota de agente."""
    return "a mano" if fuente.startswith("manuales") else fuente.split(":", 1)[0]


def evaluar(filas: list[dict[str, str]]) -> dict:
    """Clasifica cada fila con el motor real y devuelve las cifras."""
    resultados, tiempos = [], []
    for fila in filas:
        inicio = time.perf_counter()
        resultados.append(clasificar_local(fila["texto"]))
        tiempos.append((time.perf_counter() - inicio) * 1000)
    bien = np.array([r.categoria == f["categoria"] for r, f in zip(resultados, filas, strict=True)])
    confianza = np.array([r.confianza for r in resultados])
    por_tipo: dict[str, list[bool]] = defaultdict(list)
    for fila, acierto in zip(filas, bien, strict=True):
        por_tipo[tipo_fuente(fila["fuente"])].append(bool(acierto))
    sentimiento = [
        r.sentimiento == f["sentimiento"] for r, f in zip(resultados, filas, strict=True)
    ]
    return {
        "n": len(filas),
        "acierto": float(bien.mean()),
        "exhaustividad": {
            c: float(bien[[f["categoria"] == c for f in filas]].mean()) for c in CATEGORIAS
        },
        "por_tipo": {k: (float(np.mean(v)), len(v)) for k, v in sorted(por_tipo.items())},
        "ece": ece(confianza, bien),
        "fiabilidad": tabla_fiabilidad(confianza, bien),
        "sentimiento": float(np.mean(sentimiento)),
        "ms_mediana": float(np.median(tiempos)),
        "modelo": resultados[0].modelo,
    }


def leer(nombre: str) -> list[dict[str, str]]:
    """Filas de un fichero JSONL del corpus."""
    with (RAIZ / "data" / "corpus" / nombre).open(encoding="utf-8") as f:
        return [json.loads(linea) for linea in f if linea.strip()]


def main() -> None:
    """Imprime las cifras en tablas que se pueden pegar en el README."""
    for nombre in ("evaluacion.jsonl", "evaluacion_dificil.jsonl"):
        imprimir(nombre, evaluar(leer(nombre)))


def imprimir(nombre: str, cifras: dict) -> None:
    """Una tabla de cifras por fichero de evaluación."""
    print(f"\n== {nombre}: modelo {cifras['modelo']}, {cifras['n']} ejemplos")
    print(f"acierto {cifras['acierto']:.1%}")
    for c, r in cifras["exhaustividad"].items():
        print(f"  exhaustividad {c:<8} {r:.1%}")
    for tipo, (a, n) in cifras["por_tipo"].items():
        print(f"  {tipo:<14} {a:.1%} ({n})")
    print(f"sentimiento {cifras['sentimiento']:.1%}   mediana {cifras['ms_mediana']:.1f} ms")
    print(
        f"ECE {cifras['ece']:.3f}\n| tramo | casos | confianza media | acierto |\n|---|---|---|---|"
    )
    for fila in cifras["fiabilidad"]:
        celdas = (
            fila["tramo"],
            fila["casos"],
            f"{fila['confianza']:.3f}",
            f"{fila['acierto']:.3f}",
        )
        print("| " + " | ".join(str(c) for c in celdas) + " |")


if __name__ == "__main__":
    main()
