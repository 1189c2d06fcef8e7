"""Evaluación contra un servidor compatible con OpenAI: solo LLM, solo offline y combinados.

Pasa una muestra fija de la partición de evaluación (o de la difícil) por el servidor indicado
y por el clasificador offline, y los combina como lo hace la API. Imprime acierto, recall por
categoría, ECE y tabla de fiabilidad de la confianza, y latencia. Uso:
    python bench/clasificador_llm.py --url http://localhost:1234/v1 --modelo qwen2.5-0.5b \
        [--limite 60] [--fichero evaluacion_dificil.jsonl] [--plazo 30] [--formato texto] \
        [--guardar r.jsonl]
    python bench/clasificador_llm.py --repetir r.jsonl   # sin servidor: rehace la combinación

La muestra son las primeras `--limite` filas del fichero tomando una de cada categoría por
turno (venta, soporte, reclamo, venta…), siempre las mismas. `--guardar` escribe lo que
respondió el LLM en cada texto; `--repetir` lo relee y vuelve a combinar con el código actual,
para cambiar la combinación sin volver a pagar el LLM.
"""

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from config import Ajustes  # noqa: E402
from servicios.clasificador import llm_prompt  # noqa: E402
from servicios.clasificador.calibracion import ece, tabla_fiabilidad  # noqa: E402
from servicios.clasificador.combinacion import combinar  # noqa: E402
from servicios.clasificador.llm import ErrorLLM, clasificar_llm  # noqa: E402
from servicios.clasificador.llm_capacidades import Capacidades, recordar  # noqa: E402
from servicios.clasificador.local import clasificar_local  # noqa: E402
from servicios.clasificador.tipos import CATEGORIAS, ResultadoClasificacion  # noqa: E402

MODOS = ("llm", "offline", "combinado")


def leer(nombre: str, limite: int) -> list[dict[str, str]]:
    """Las primeras `limite` filas del fichero, alternando categorías para que haya de todas."""
    with (RAIZ / "data" / "corpus" / nombre).open(encoding="utf-8") as f:
        filas = [json.loads(linea) for linea in f if linea.strip()]
    por_categoria = {c: [f for f in filas if f["categoria"] == c] for c in CATEGORIAS}
    intercaladas = [f for grupo in zip(*por_categoria.values(), strict=False) for f in grupo]
    return intercaladas[:limite]


def preguntar(fila: dict[str, str], ajustes: Ajustes) -> dict:
    """Lo que responde el LLM a un texto (o que falló) y cuánto tardó."""
    inicio = time.perf_counter()
    try:
        llm = clasificar_llm(fila["texto"], ajustes=ajustes)
    except ErrorLLM as error:
        llm, motivo = None, str(error)[:200]
    ms = (time.perf_counter() - inicio) * 1000
    if llm is None:
        return {"texto": fila["texto"], "categoria": fila["categoria"], "ms": ms, "fallo": motivo}
    return {
        "texto": fila["texto"],
        "categoria": fila["categoria"],
        "ms": ms,
        "llm": llm.categoria,
        "modelo": llm.modelo,
        "confianza": llm.confianza,
        "p_llm": llm.p_llm,
        "por_logprobs": llm.p_llm_por_logprobs,
        "p_declarada": llm.p_llm_declarada,
        "resumen": llm.resumen,
    }


def _resultado_llm(respuesta: dict) -> ResultadoClasificacion:
    """La respuesta guardada como el resultado que devolvería `clasificar_llm`."""
    return ResultadoClasificacion(
        categoria=respuesta["llm"],
        confianza=respuesta["confianza"],
        recomendacion_agente="",
        sentimiento="neutral",
        motor="llm",
        modelo=respuesta.get("modelo", "guardado"),
        latencia_ms=respuesta["ms"],
        resumen=respuesta["resumen"],
        p_llm=respuesta["p_llm"],
        p_llm_por_logprobs=respuesta["por_logprobs"],
        p_llm_declarada=respuesta.get("p_declarada"),
    )


def puntuar(respuestas: list[dict]) -> dict[str, list[tuple[str, str, float, float]]]:
    """Por modo: (real, predicha, confianza, ms) de cada texto; el offline se calcula aquí."""
    modos: dict[str, list[tuple[str, str, float, float]]] = {m: [] for m in MODOS}
    for r in respuestas:
        local = clasificar_local(r["texto"])
        real = r["categoria"]
        modos["offline"].append((real, local.categoria, local.confianza, local.latencia_ms))
        if "llm" not in r:  # fallo: el LLM no acierta y la API responde con el offline
            modos["llm"].append((real, "", 0.0, r["ms"]))
            modos["combinado"].append((real, local.categoria, local.confianza, r["ms"]))
            continue
        llm = _resultado_llm(r)
        # La confianza del LLM solo: su señal propia (logprobs o declarada), sin el offline.
        modos["llm"].append((real, llm.categoria, llm.p_llm or 0.5, r["ms"]))
        combinado = combinar(replace(llm, latencia_ms=r["ms"]), local)
        modos["combinado"].append((real, combinado.categoria, combinado.confianza, r["ms"]))
    return modos


def resumir(datos: list[tuple[str, str, float, float]]) -> dict:
    """Acierto, recall por categoría, ECE, tabla de fiabilidad y latencias de un modo."""
    reales = np.array([d[0] for d in datos])
    aciertos = np.array([d[0] == d[1] for d in datos])
    confianzas = np.array([d[2] for d in datos])
    ms = sorted(d[3] for d in datos)
    return {
        "acierto": float(aciertos.mean()),
        "recall": {c: float(aciertos[reales == c].mean()) for c in set(reales)},
        "ece": ece(confianzas, aciertos),
        "fiabilidad": tabla_fiabilidad(confianzas, aciertos, 5),
        "p50_ms": statistics.median(ms),
        "p90_ms": ms[int(0.9 * (len(ms) - 1))],
    }


def medir(filas: list[dict[str, str]], ajustes: Ajustes) -> dict[str, dict]:
    """Pregunta al LLM por cada fila y devuelve las cifras de cada modo."""
    return cifras_de([preguntar(fila, ajustes) for fila in filas])


def cifras_de(respuestas: list[dict]) -> dict[str, dict]:
    """Cifras de cada modo a partir de las respuestas del LLM (nuevas o guardadas)."""
    cifras = {modo: resumir(datos) for modo, datos in puntuar(respuestas).items()}
    cifras["llm"]["fallos"] = sum("llm" not in r for r in respuestas)
    return cifras


def imprimir(cifras: dict[str, dict]) -> None:
    """Tabla de modos y, para LLM y combinado, la tabla de fiabilidad."""
    print(f"{'modo':<10} {'acierto':>8} {'venta':>7} {'soporte':>7} {'reclamo':>7}", end="")
    print(f" {'ECE':>6} {'p50 ms':>9} {'p90 ms':>9}")
    for modo in MODOS:
        c = cifras[modo]
        recall = " ".join(f"{c['recall'].get(cat, float('nan')):>7.1%}" for cat in CATEGORIAS)
        print(
            f"{modo:<10} {c['acierto']:>8.1%} {recall} {c['ece']:>6.3f} "
            f"{c['p50_ms']:>9.1f} {c['p90_ms']:>9.1f}"
        )
    print(f"respuestas inválidas o fallidas del LLM: {cifras['llm']['fallos']}")
    for modo in ("llm", "combinado"):
        print(f"fiabilidad ({modo}): tramo casos confianza acierto")
        for f in cifras[modo]["fiabilidad"]:
            print(f"  {f['tramo']} {f['casos']:>4} {f['confianza']:>6.3f} {f['acierto']:>6.3f}")


def main() -> None:
    """Lee los argumentos, mide (o relee lo guardado) e imprime las tablas."""
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--url")
    analizador.add_argument("--modelo", default="local")
    analizador.add_argument("--clave", default="sin-clave")
    analizador.add_argument("--limite", type=int, default=60)
    analizador.add_argument("--plazo", type=float, default=30.0)
    analizador.add_argument("--fichero", default="evaluacion.jsonl")
    analizador.add_argument(
        "--formato",
        choices=llm_prompt.FORMATOS,
        help="empieza con este response_format en lugar de json_schema (la API lo aprende sola)",
    )
    analizador.add_argument("--guardar", type=Path, help="escribe aquí lo que respondió el LLM")
    analizador.add_argument("--repetir", type=Path, help="relee respuestas guardadas")
    args = analizador.parse_args()
    if args.repetir:
        lineas = args.repetir.read_text(encoding="utf-8").splitlines()
        respuestas = [json.loads(linea) for linea in lineas if linea.strip()]
        print(f"{len(respuestas)} respuestas guardadas en {args.repetir}")
    else:
        if not args.url:
            analizador.error("hace falta --url (o --repetir)")
        ajustes = Ajustes(
            openai_base_url=args.url,
            openai_model=args.modelo,
            openai_api_key=args.clave,
            llm_timeout_segundos=args.plazo,
        )
        if args.formato:
            recordar(args.url, args.modelo, Capacidades(formato=args.formato))
        filas = leer(args.fichero, args.limite)
        print(f"{len(filas)} textos de {args.fichero}; servidor {args.url}, modelo {args.modelo}")
        respuestas = []
        for fila in filas:
            respuestas.append(preguntar(fila, ajustes))
            if args.guardar:  # fila a fila: una pasada larga interrumpida no se pierde
                with args.guardar.open("a" if len(respuestas) > 1 else "w", encoding="utf-8") as f:
                    f.write(json.dumps(respuestas[-1], ensure_ascii=False) + "\n")
    imprimir(cifras_de(respuestas))


if __name__ == "__main__":
    main()
