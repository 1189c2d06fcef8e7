"""Métricas durante una importación a 1 000 000 de llamadas: por la API (las fotos se publican
con las llamadas) frente a insertar las mismas filas directamente en la base (los disparadores
invalidan las fotos y hasta que se rehacen esos días se suman en vivo).

Usa las bases que deja llenas bench/escala.py. Arranca la app real (uvicorn, un proceso, con
FOTOS_AL_MOMENTO) y, mientras un cliente pide sin parar las métricas de los últimos 30 días,
importa LOTES lotes de 2000 llamadas repartidas por los últimos 30 días cerrados: primero por
`POST /api/llamadas/importar` y después con un INSERT directo de filas iguales. Da lo que tardó
cada lote y, en cada fase, el p50, el p99 y el máximo de las métricas y cuántas leyeron algún
día en vivo.

Uso: python bench/importacion.py [--sqlite /tmp/bench_escala.db | --sqlite ""]
     [--pg postgresql://postgres@127.0.0.1:5432/bench_escala | --pg ""] [--lotes 3]
"""

import argparse
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from bench.bases import app_sobre, bases, opciones_de_bases  # noqa: E402
from database import crear_motor  # noqa: E402
from esquemas.importacion import IMPORTACION_MAXIMO  # noqa: E402
from modelos.llamada import Llamada  # noqa: E402

DIAS = 30


def lote(agentes: list[int], ahora: datetime, azar: random.Random) -> list[dict]:
    """IMPORTACION_MAXIMO llamadas al azar de los últimos DIAS días cerrados (hasta anteayer)."""
    fin = ahora - timedelta(days=2)
    filas = []
    for _ in range(IMPORTACION_MAXIMO):
        instante = fin - timedelta(seconds=azar.randrange(DIAS * 86400))
        filas.append(
            {
                "usuario_id": azar.choice(agentes),
                "numero_cliente": f"+34 6{azar.randrange(10**8):08d}",
                "duracion_segundos": azar.randrange(30, 900),
                "tipo": azar.choice(["venta", "soporte", "reclamo"]),
                "resultado": azar.choice(["resuelta", "escalada", "colgada"]),
                "fecha_hora": instante.isoformat(),
                "satisfaccion": azar.choice([None, 3, 4, 5]),
            }
        )
    return filas


class Lector(threading.Thread):
    """Pide las métricas de los últimos DIAS días sin parar y anota (ms, días en vivo)."""

    def __init__(self, base: str, cabeceras: dict) -> None:
        super().__init__(daemon=True)
        self.cliente = httpx.Client(base_url=base, headers=cabeceras, timeout=300)
        self.parar = threading.Event()
        self.medidas: list[tuple[float, int]] = []

    def run(self) -> None:
        while not self.parar.is_set():
            ahora = datetime.now(UTC)
            params = {
                "desde": (ahora - timedelta(days=DIAS)).isoformat(),
                "hasta": ahora.isoformat(),
            }
            antes = time.perf_counter()
            cuerpo = self.cliente.get("/api/metricas/", params=params).raise_for_status().json()
            ms = (time.perf_counter() - antes) * 1000
            self.medidas.append((ms, DIAS - 1 - cuerpo["dias_desde_fotos"]))


def _resumen(medidas: list[tuple[float, int]]) -> str:
    tiempos = sorted(ms for ms, _ in medidas)
    p99 = tiempos[min(len(tiempos) - 1, int(len(tiempos) * 0.99))]
    en_vivo = sum(1 for _, vivos in medidas if vivos > 0)
    return (
        f"{len(tiempos)} métricas: p50 {statistics.median(tiempos):.0f} ms, p99 {p99:.0f} ms, "
        f"máx. {tiempos[-1]:.0f} ms; {en_vivo} con días en vivo"
    )


def medir(url: str, lotes: int) -> None:
    motor = crear_motor(url)
    azar = random.Random(12)
    try:
        with (
            app_sobre(url, FOTOS_AL_MOMENTO="true") as app,
            httpx.Client(base_url=app.base, headers=app.cabeceras, timeout=300) as cliente,
        ):
            params = {"rol": "agente", "limit": 100}
            agentes = [u["id"] for u in cliente.get("/api/usuarios/", params=params).json()]
            for fase in ("API", "INSERT directo"):
                lector = Lector(app.base, app.cabeceras)
                lector.start()
                tiempos = []
                for _ in range(lotes):
                    filas = lote(agentes, datetime.now(UTC), azar)
                    antes = time.perf_counter()
                    if fase == "API":
                        respuesta = cliente.post("/api/llamadas/importar", json={"llamadas": filas})
                        respuesta.raise_for_status()
                    else:
                        for fila in filas:
                            fila["fecha_hora"] = datetime.fromisoformat(fila["fecha_hora"])
                        with motor.begin() as conexion:
                            conexion.execute(insert(Llamada), filas)
                    tiempos.append(time.perf_counter() - antes)
                    time.sleep(2)
                time.sleep(3)
                lector.parar.set()
                lector.join()
                lotes_txt = ", ".join(f"{t:.1f}" for t in tiempos)
                print(f"  {fase:15s} lotes de {IMPORTACION_MAXIMO}: {lotes_txt} s", flush=True)
                print(f"  {'':15s} {_resumen(lector.medidas)}", flush=True)
    finally:
        motor.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    opciones_de_bases(parser)
    parser.add_argument("--lotes", type=int, default=3)
    args = parser.parse_args()
    for nombre, url in bases(args):
        print(f"\n== {nombre}: importación mientras se piden las métricas de {DIAS} días ==")
        medir(url, args.lotes)


if __name__ == "__main__":
    main()
