"""Rendimiento del clasificador offline sobre la partición de evaluación."""

import json
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from servicios.clasificador.artefacto import obtener_modelo  # noqa: E402
from servicios.clasificador.local import clasificar_local, probabilidades_local  # noqa: E402

REPETICIONES = 5


def medir(funcion, textos: list[str]) -> tuple[float, float]:
    """Mejor de varias pasadas: (clasificaciones por segundo, microsegundos por texto)."""
    mejor = float("inf")
    for _ in range(REPETICIONES):
        inicio = time.perf_counter()
        for texto in textos:
            funcion(texto)
        mejor = min(mejor, time.perf_counter() - inicio)
    return len(textos) / mejor, mejor / len(textos) * 1e6


def main() -> None:
    """Imprime carga del artefacto, throughput y latencia por texto."""
    with (RAIZ / "data" / "corpus" / "evaluacion.jsonl").open(encoding="utf-8") as f:
        textos = [json.loads(linea)["texto"] for linea in f if linea.strip()]
    inicio = time.perf_counter()
    obtener_modelo()
    print(f"carga del artefacto: {(time.perf_counter() - inicio) * 1000:.1f} ms")
    largo = sum(len(t) for t in textos) / len(textos)
    print(f"{len(textos)} textos de evaluación, {largo:.0f} caracteres de media")
    for nombre, funcion in (
        ("léxico (probabilidades_local)", probabilidades_local),
        ("completo (clasificar_local: + sentimiento y consejo)", clasificar_local),
    ):
        por_segundo, micros = medir(funcion, textos)
        print(f"{nombre}: {por_segundo:,.0f} clasificaciones/s, {micros:.0f} µs por texto")


if __name__ == "__main__":
    main()
