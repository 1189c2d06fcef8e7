"""Ventana lenta tras una importación masiva: cuánto tarda GET /api/metricas/ (un año) en volver
a leer de las fotos cuando ninguna vale, con FOTOS_AL_MOMENTO y sin él.

Usa las bases que deja llenas bench/escala.py (1 000 000 de llamadas de un año). Marca todas
las fotos como no vigentes (lo que hacen los disparadores cuando una importación toca esos
días), arranca la app real (uvicorn, un proceso, sin programador) y pide las métricas del
último año cada medio segundo hasta que tres seguidas leen de las fotos o pasa el plazo.

Uso: python bench/ventana_fotos.py [--sqlite /tmp/bench_escala.db | --sqlite ""]
     [--pg postgresql://postgres@127.0.0.1:5432/bench_escala | --pg ""] [--plazo 60]
"""

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from bench.carga import arrancar, puerto_libre  # noqa: E402
from database import crear_motor  # noqa: E402
from servicios.semilla import PASSWORD_INICIAL  # noqa: E402


def invalidar_fotos(url: str) -> None:
    motor = crear_motor(url)
    with motor.begin() as conexion:
        conexion.execute(text("UPDATE metricas SET vigente = false, version = version + 1"))
    motor.dispose()


def ventana(url: str, al_momento: bool, plazo: float) -> None:
    invalidar_fotos(url)
    puerto = puerto_libre()
    entorno = {"DATABASE_URL": url, "SEMBRAR_DEMO": "false", "PROGRAMADOR_ACTIVO": "false"}
    entorno |= {"LOG_NIVEL": "WARNING", "BCRYPT_RONDAS": "4", "OPENAI_BASE_URL": ""}
    entorno |= {"CLASIFICACION_AUTOMATICA": "false"}
    entorno["FOTOS_AL_MOMENTO"] = "true" if al_momento else "false"
    servidor = arrancar("main:app", puerto, entorno)
    try:
        base = f"http://127.0.0.1:{puerto}"
        login = {"email": "admin@example.com", "password": PASSWORD_INICIAL}
        token = httpx.post(f"{base}/api/usuarios/login", json=login).json()["access_token"]
        ahora = datetime.now(UTC)
        params = {"desde": (ahora - timedelta(days=365)).isoformat(), "hasta": ahora.isoformat()}
        cabeceras = {"Authorization": f"Bearer {token}"}
        inicio, rapidas, lentas = time.monotonic(), 0, []
        with httpx.Client(base_url=base, headers=cabeceras, timeout=300) as cliente:
            while rapidas < 3 and time.monotonic() - inicio < plazo:
                antes = time.perf_counter()
                cuerpo = cliente.get("/api/metricas/", params=params).raise_for_status().json()
                ms = (time.perf_counter() - antes) * 1000
                if cuerpo["dias_desde_fotos"] >= 364:
                    rapidas += 1
                else:
                    rapidas, lentas = 0, [*lentas, ms]
                time.sleep(0.5)
        total = time.monotonic() - inicio
        estado = "vuelve a las fotos" if rapidas >= 3 else "sigue en vivo al acabar el plazo"
        p50 = sorted(lentas)[len(lentas) // 2] if lentas else 0.0
        print(
            f"  FOTOS_AL_MOMENTO={str(al_momento).lower():5s}: {estado} tras {total:.1f} s; "
            f"{len(lentas)} peticiones lentas (p50 {p50:.0f} ms)",
            flush=True,
        )
    finally:
        servidor.terminate()
        servidor.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "bench_escala.db"))
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_escala")
    parser.add_argument("--plazo", type=float, default=60.0)
    args = parser.parse_args()
    urls = []
    if args.sqlite:
        urls.append(("SQLite", f"sqlite:///{args.sqlite}"))
    if args.pg:
        urls.append(("PostgreSQL", args.pg))
    for nombre, url in urls:
        print(f"\n== {nombre}: todas las fotos invalidadas ==", flush=True)
        for al_momento in (False, True):
            ventana(url, al_momento, args.plazo)


if __name__ == "__main__":
    main()
