"""Ventana lenta tras una importación masiva: cuánto tarda GET /api/metricas/ (un año) en volver
a leer de las fotos cuando ninguna vale, con FOTOS_AL_MOMENTO y sin él.

Usa las bases que deja llenas bench/escala.py (1 000 000 de llamadas de un año). Marca todas
las fotos como no vigentes (lo que hacen los disparadores cuando una importación toca esos
días), arranca la app real (uvicorn, un proceso, sin programador) y pide las métricas de los
últimos 30 días y del último año, cada medio segundo, hasta que tres seguidas de cada rango
leen de las fotos o pasa el plazo; da el tiempo hasta ese momento para cada rango.

Uso: python bench/ventana_fotos.py [--sqlite /tmp/bench_escala.db | --sqlite ""]
     [--pg postgresql://postgres@127.0.0.1:5432/bench_escala | --pg ""] [--plazo 60]
"""

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from bench.bases import app_sobre, bases, opciones_de_bases  # noqa: E402
from database import crear_motor  # noqa: E402


def invalidar_fotos(url: str) -> None:
    motor = crear_motor(url)
    with motor.begin() as conexion:
        conexion.execute(text("UPDATE metricas SET vigente = false, version = version + 1"))
    motor.dispose()


def _hasta_las_fotos(
    base: str, cabeceras: dict, ahora: datetime, dias: int, plazo: float
) -> tuple[float | None, list[float]]:
    """Pide las métricas de los últimos `dias` cada medio segundo hasta que tres seguidas leen
    de las fotos; devuelve cuándo (o None si pasa el plazo) y lo que tardaron las de en vivo."""
    params = {"desde": (ahora - timedelta(days=dias)).isoformat(), "hasta": ahora.isoformat()}
    inicio, seguidas, lentas = time.monotonic(), 0, []
    with httpx.Client(base_url=base, headers=cabeceras, timeout=300) as cliente:
        while time.monotonic() - inicio < plazo:
            antes = time.perf_counter()
            cuerpo = cliente.get("/api/metricas/", params=params).raise_for_status().json()
            if cuerpo["dias_desde_fotos"] >= dias - 1:
                seguidas += 1
                if seguidas == 3:
                    return time.monotonic() - inicio, lentas
            else:
                seguidas = 0
                lentas.append((time.perf_counter() - antes) * 1000)
            time.sleep(0.5)
    return None, lentas


def ventana(url: str, al_momento: bool, plazo: float) -> None:
    invalidar_fotos(url)
    with app_sobre(url, FOTOS_AL_MOMENTO="true" if al_momento else "false") as app:
        ahora = datetime.now(UTC)
        rangos = {"30 días": 30, "1 año": 365}
        # Un cliente por rango, a la vez: el de 30 días no espera a las peticiones lentas del año.
        with ThreadPoolExecutor(len(rangos)) as hilos:
            futuros = {
                nombre: hilos.submit(_hasta_las_fotos, app.base, app.cabeceras, ahora, dias, plazo)
                for nombre, dias in rangos.items()
            }
            resultados = {nombre: futuro.result() for nombre, futuro in futuros.items()}
        partes = []
        for nombre, (vuelta, lentas) in resultados.items():
            cuando = f"{vuelta:.1f} s" if vuelta is not None else f"en vivo tras {plazo:.0f} s"
            p50 = sorted(lentas)[len(lentas) // 2] if lentas else 0.0
            partes.append(f"{nombre}: {cuando}, {len(lentas)} en vivo (p50 {p50:.0f} ms)")
        print(f"  FOTOS_AL_MOMENTO={str(al_momento).lower():5s}: {'; '.join(partes)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    opciones_de_bases(parser)
    parser.add_argument("--plazo", type=float, default=60.0)
    args = parser.parse_args()
    for nombre, url in bases(args):
        print(f"\n== {nombre}: todas las fotos invalidadas ==", flush=True)
        for al_momento in (False, True):
            ventana(url, al_momento, args.plazo)


if __name__ == "__main__":
    main()
