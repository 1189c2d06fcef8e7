"""Modelo lineal léxico exportado (.npz sin pickle): TF-IDF y softmax solo con numpy."""

import functools
import json
import math
import threading
from pathlib import Path

import numpy as np

from servicios.clasificador.rasgos import extraer

RUTA_MODELO = Path(__file__).resolve().parents[2] / "data" / "modelo_clasificador.npz"


class Vectorizador:
    """TF-IDF sublineal con dos bloques (palabras y caracteres), cada uno normalizado L2."""

    def __init__(self, vocab_palabra: list[str], vocab_caracter: list[str], idf: np.ndarray):
        self.indice_palabra = {r: i for i, r in enumerate(vocab_palabra)}
        desplazamiento = len(vocab_palabra)
        self.indice_caracter = {r: desplazamiento + i for i, r in enumerate(vocab_caracter)}
        self.idf = idf
        self.dimension = desplazamiento + len(vocab_caracter)

    @staticmethod
    def _bloque(rasgos: list[str], indice: dict[str, int], idf: np.ndarray) -> dict[int, float]:
        """Pesos TF-IDF L2 de un bloque de rasgos conocidos."""
        cuentas: dict[int, int] = {}
        for rasgo in rasgos:
            i = indice.get(rasgo)
            if i is not None:
                cuentas[i] = cuentas.get(i, 0) + 1
        pesos = {i: (1.0 + math.log(c)) * idf[i] for i, c in cuentas.items()}
        norma = math.sqrt(sum(v * v for v in pesos.values())) or 1.0
        return {i: v / norma for i, v in pesos.items()}

    def vectorizar(self, texto: str) -> tuple[np.ndarray, np.ndarray]:
        """Índices y valores dispersos del texto."""
        palabras, caracteres = extraer(texto)
        pesos = self._bloque(palabras, self.indice_palabra, self.idf)
        pesos.update(self._bloque(caracteres, self.indice_caracter, self.idf))
        indices = np.fromiter(pesos.keys(), dtype=np.int64, count=len(pesos))
        valores = np.fromiter(pesos.values(), dtype=np.float64, count=len(pesos))
        return indices, valores


def softmax(puntuaciones: np.ndarray) -> np.ndarray:
    """Softmax numéricamente estable."""
    z = np.exp(puntuaciones - puntuaciones.max())
    return z / z.sum()


class ModeloLexico:
    """Vectorizador más cabezas lineales (categoría y sentimiento) con su temperatura."""

    def __init__(self, ruta: Path = RUTA_MODELO):
        with np.load(ruta, allow_pickle=False) as datos:
            self.meta: dict = json.loads(str(datos["meta"]))
            self.vectorizador = Vectorizador(
                datos["vocab_palabra"].tolist(), datos["vocab_caracter"].tolist(), datos["idf"]
            )
            self.vocabulario = self.vectorizador.indice_palabra
            # Caché mínima: categoría y sentimiento del mismo texto comparten la vectorización.
            self._vectorizar = functools.lru_cache(maxsize=32)(self.vectorizador.vectorizar)
            self.cabezas = {
                nombre: (
                    datos[f"{nombre}_pesos"].astype(np.float64),
                    datos[f"{nombre}_sesgo"].astype(np.float64),
                    float(self.meta["temperaturas"][nombre]),
                    list(self.meta["clases"][nombre]),
                )
                for nombre in ("categoria", "sentimiento")
            }

    def probabilidades(self, texto: str, cabeza: str = "categoria") -> dict[str, float]:
        """Probabilidad calibrada de cada clase de la cabeza pedida."""
        pesos, sesgo, temperatura, clases = self.cabezas[cabeza]
        indices, valores = self._vectorizar(texto)
        puntuaciones = valores @ pesos[indices] + sesgo
        return dict(zip(clases, softmax(puntuaciones / temperatura).tolist(), strict=True))


_modelo: ModeloLexico | None = None
_cerrojo = threading.Lock()


def obtener_modelo() -> ModeloLexico:
    """Carga el artefacto una sola vez por proceso, a salvo entre hilos."""
    global _modelo
    if _modelo is None:
        with _cerrojo:
            if _modelo is None:
                _modelo = ModeloLexico()
    return _modelo
