"""Banco de exportaciones: CSV, XLSX y PDF de 100 000 llamadas con un servidor uvicorn real.

Para cada formato imprime el primer byte, el total, el tamaño y el pico de memoria del
servidor (VmHWM, puesto a cero antes de cada descarga), y la latencia p50 de una petición
ligera (GET /api/usuarios/me) sin exportaciones y mientras se descarga cada formato.

Uso: python bench/exportaciones.py [--llamadas 100000] [--agentes 40] [--bd ruta.db]
"""

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from bench.metricas import _memoria_kb, _puerto_libre, llenar  # noqa: E402
from servicios.semilla import PASSWORD_INICIAL  # noqa: E402

NOTAS = "Cliente llama por la factura de marzo; pide revisar el cargo duplicado y el plan"
CONSEJO = "Confirma el cargo, ofrece el abono y deja nota del caso para el seguimiento"


def preparar(ruta: Path, llamadas: int, agentes: int, ahora: datetime) -> None:
    """Base con las llamadas de bench/metricas.py más notas y consejo de la IA con texto real."""
    llenar(ruta, llamadas, agentes, ahora)
    with sqlite3.connect(ruta) as conexion:
        conexion.execute("UPDATE llamadas SET descripcion = ? || ' #' || id", (NOTAS,))
        conexion.execute("UPDATE clasificacion_ia SET recomendacion_agente = ?", (CONSEJO,))


def arrancar(ruta: Path) -> tuple[subprocess.Popen, str]:
    puerto = _puerto_libre()
    entorno = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{ruta}",
        "SEMBRAR_DEMO": "false",
        "PROGRAMADOR_ACTIVO": "false",
        "TRABAJOS_ACTIVO": "false",
        "BCRYPT_RONDAS": "4",
        "LOG_NIVEL": "WARNING",
    }
    orden = [sys.executable, "-m", "uvicorn", "main:app", "--port", str(puerto)]
    servidor = subprocess.Popen([*orden, "--log-level", "warning"], cwd=RAIZ, env=entorno)
    base = f"http://127.0.0.1:{puerto}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/salud").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return servidor, base


def descargar(cliente: httpx.Client, url: str) -> tuple[float, float, int]:
    """(primer byte, total, bytes) de una descarga en flujo."""
    inicio = time.perf_counter()
    primero, tamano = None, 0
    with cliente.stream("GET", url) as respuesta:
        respuesta.raise_for_status()
        for trozo in respuesta.iter_raw():
            if primero is None and trozo:
                primero = time.perf_counter() - inicio
            tamano += len(trozo)
    return primero or 0.0, time.perf_counter() - inicio, tamano


def ligeras(base: str, cabeceras: dict, parar: threading.Event, tiempos: list) -> None:
    with httpx.Client(base_url=base, headers=cabeceras, timeout=30) as cliente:
        while not parar.is_set():
            inicio = time.perf_counter()
            cliente.get("/api/usuarios/me").raise_for_status()
            tiempos.append((time.perf_counter() - inicio) * 1000)
            time.sleep(0.01)


def p50_sin_exportar(base: str, cabeceras: dict, segundos: float = 2.0) -> float:
    tiempos: list[float] = []
    parar = threading.Event()
    hilo = threading.Thread(target=ligeras, args=(base, cabeceras, parar, tiempos))
    hilo.start()
    time.sleep(segundos)
    parar.set()
    hilo.join()
    return statistics.median(tiempos)


def medir_formato(cliente, base, cabeceras, reporte_id, formato, pid) -> str:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # pone VmHWM a la memoria actual
    antes = _memoria_kb(pid)["VmRSS"]
    tiempos: list[float] = []
    parar = threading.Event()
    hilo = threading.Thread(target=ligeras, args=(base, cabeceras, parar, tiempos))
    hilo.start()
    primero, total, tamano = descargar(
        cliente, f"/api/reportes/{reporte_id}/descargar?formato={formato}"
    )
    parar.set()
    hilo.join()
    memoria = _memoria_kb(pid)
    p50 = statistics.median(tiempos) if tiempos else float("nan")
    return (
        f"{formato.upper():4} primer byte {primero:5.2f} s · total {total:5.2f} s · "
        f"{tamano / 2**10:8,.0f} KiB · RSS {antes / 1024:4.0f} → pico "
        f"{memoria['VmHWM'] / 1024:4.0f} MiB · ligera p50 {p50:5.1f} ms ({len(tiempos)} pet.)"
    )


def lectura_cruda(ruta: Path) -> float:
    """Referencia de la misma pasada: leer con sqlite3 las filas que exporta cada formato."""
    consulta = (
        "SELECT l.*, u.nombre, c.categoria, c.confianza, c.sentimiento, c.recomendacion_agente "
        "FROM llamadas l JOIN usuarios u ON u.id = l.usuario_id "
        "LEFT JOIN clasificacion_ia c ON c.llamada_id = l.id ORDER BY l.fecha_hora"
    )
    inicio = time.perf_counter()
    with sqlite3.connect(ruta) as conexion:
        for _ in conexion.execute(consulta):
            pass
    return time.perf_counter() - inicio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llamadas", type=int, default=100_000)
    parser.add_argument("--agentes", type=int, default=40)
    parser.add_argument("--bd", type=Path, default=None, help="fichero SQLite (se recrea)")
    args = parser.parse_args()

    ruta = args.bd or Path(tempfile.mkdtemp(prefix="bench_export_")) / "export.db"
    for sufijo in ("", "-wal", "-shm"):
        Path(f"{ruta}{sufijo}").unlink(missing_ok=True)
    ahora = datetime.now(UTC)
    print(f"Llenando {ruta} con {args.llamadas:,} llamadas de {args.agentes} agentes…")
    preparar(ruta, args.llamadas, args.agentes, ahora)
    servidor, base = arrancar(ruta)
    try:
        token = httpx.post(
            f"{base}/api/usuarios/login",
            json={"email": "sup@example.com", "password": PASSWORD_INICIAL},
        ).json()["access_token"]
        cabeceras = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=cabeceras, timeout=300) as cliente:
            periodo = {
                "desde": (ahora - timedelta(days=366)).isoformat(),
                "hasta": ahora.isoformat(),
            }
            reporte = cliente.post("/api/reportes/", json=periodo).json()
            print(f"Reporte {reporte['id']}: {reporte['contenido']['total_llamadas']:,} llamadas")
            print(f"Referencia: leer las filas con sqlite3, sin más: {lectura_cruda(ruta):.2f} s")
            print(f"Petición ligera sin exportar: p50 {p50_sin_exportar(base, cabeceras):.1f} ms")
            for formato in ("csv", "xlsx", "pdf"):
                descargar(cliente, f"/api/reportes/{reporte['id']}/descargar?formato={formato}")
                print(medir_formato(cliente, base, cabeceras, reporte["id"], formato, servidor.pid))
    finally:
        servidor.terminate()
        servidor.wait(timeout=10)


if __name__ == "__main__":
    main()
