"""Evaluación contra un servidor compatible con OpenAI: solo LLM, solo offline y combinados.

Pasa la partición de evaluación (o la difícil) por el servidor indicado y por el clasificador
offline, y los combina como lo hace la API. Imprime acierto, ECE de la confianza y latencia.
Uso:
    python bench/clasificador_llm.py --url http://localhost:1234/v1 --modelo qwen2.5-0.5b \
        [--limite 60] [--fichero evaluacion_dificil.jsonl] [--plazo 30]
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from config import Ajustes  # noqa: E402
from servicios.clasificador.calibracion import ece  # noqa: E402
from servicios.clasificador.combinacion import combinar  # noqa: E402
from servicios.clasificador.llm import ErrorLLM, clasificar_llm  # noqa: E402
from servicios.clasificador.local import clasificar_local  # noqa: E402


def leer(nombre: str, limite: int) -> list[dict[str, str]]:
    """Las primeras `limite` filas del fichero, alternando categorías para que haya de todas."""
    with (RAIZ / "data" / "corpus" / nombre).open(encoding="utf-8") as f:
        filas = [json.loads(linea) for linea in f if linea.strip()]
    por_categoria = {
        c: [f for f in filas if f["categoria"] == c] for c in ("venta", "soporte", "reclamo")
    }
    intercaladas = [f for grupo in zip(*por_categoria.values(), strict=False) for f in grupo]
    return intercaladas[:limite]


def medir(filas: list[dict[str, str]], ajustes: Ajustes) -> dict[str, dict[str, float]]:
    """Acierto, ECE y latencia de cada modo sobre las filas."""
    modos: dict[str, list[tuple[bool, float, float]]] = {"llm": [], "offline": [], "combinado": []}
    fallos = 0
    for fila in filas:
        inicio = time.perf_counter()
        try:
            llm = clasificar_llm(fila["texto"], ajustes=ajustes)
        except ErrorLLM:
            llm = None
            fallos += 1
        ms_llm = (time.perf_counter() - inicio) * 1000
        local = clasificar_local(fila["texto"])
        real = fila["categoria"]
        modos["offline"].append((local.categoria == real, local.confianza, local.latencia_ms))
        if llm is None:
            modos["llm"].append((False, 0.0, ms_llm))
            modos["combinado"].append((local.categoria == real, local.confianza, ms_llm))
            continue
        combinado = combinar(llm, local)
        modos["llm"].append((llm.categoria == real, llm.p_llm or 0.5, ms_llm))
        modos["combinado"].append((combinado.categoria == real, combinado.confianza, ms_llm))
    cifras = {}
    for modo, datos in modos.items():
        aciertos = np.array([a for a, _, _ in datos])
        confianzas = np.array([c for _, c, _ in datos])
        cifras[modo] = {
            "acierto": float(aciertos.mean()),
            "ece": ece(confianzas, aciertos),
            "p50_ms": statistics.median(ms for _, _, ms in datos),
        }
    cifras["llm"]["fallos"] = fallos
    return cifras


def main() -> None:
    """Lee los argumentos, mide e imprime la tabla."""
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--url", required=True)
    analizador.add_argument("--modelo", required=True)
    analizador.add_argument("--clave", default="sin-clave")
    analizador.add_argument("--limite", type=int, default=60)
    analizador.add_argument("--plazo", type=float, default=30.0)
    analizador.add_argument("--fichero", default="evaluacion.jsonl")
    args = analizador.parse_args()
    ajustes = Ajustes(
        openai_base_url=args.url,
        openai_model=args.modelo,
        openai_api_key=args.clave,
        llm_timeout_segundos=args.plazo,
    )
    filas = leer(args.fichero, args.limite)
    cifras = medir(filas, ajustes)
    print(f"{len(filas)} textos de {args.fichero}; servidor {args.url}, modelo {args.modelo}")
    print(f"{'modo':<10} {'acierto':>8} {'ECE':>6} {'p50 ms':>9}")
    for modo, c in cifras.items():
        print(f"{modo:<10} {c['acierto']:>8.1%} {c['ece']:>6.3f} {c['p50_ms']:>9.1f}")
    print(f"respuestas inválidas o fallidas del LLM: {cifras['llm']['fallos']}")


if __name__ == "__main__":
    main()
