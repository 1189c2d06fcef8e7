"""Banco de KPIs y CSV: 1 000 000 de llamadas en un año sobre SQLite, servidor uvicorn real.

Imprime p50/p99 de GET /api/metricas/ (últimos 30 días y el año entero), el tiempo del relleno
de fotos diarias y el tiempo y la memoria del servidor al exportar a CSV 100 000 llamadas.

Uso: python bench/metricas.py [--llamadas 1000000] [--agentes 40] [--peticiones 50]
     [--csv 100000] [--bd ruta.db]
"""

import argparse
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from config import Ajustes  # noqa: E402
from database import crear_fabrica, crear_motor, migrar  # noqa: E402
from servicios import programador  # noqa: E402
from servicios.semilla import PASSWORD_INICIAL, sembrar_usuarios  # noqa: E402

TIPOS = ("venta", "soporte", "reclamo", "consulta", "tecnico", "logistica")
RESULTADOS = ("resuelta",) * 45 + ("atendida",) * 20 + ("escalada",) * 12
RESULTADOS += ("pendiente",) * 10 + ("colgada",) * 9 + ("fallida",) * 4
CATEGORIAS = ("venta", "soporte", "reclamo")
LOTE = 100_000
FORMATO = "%Y-%m-%d %H:%M:%S.%f"


def _ajustes(ruta: Path) -> Ajustes:
    return Ajustes(
        _env_file=None,
        database_url=f"sqlite:///{ruta}",
        bcrypt_rondas=4,
        sembrar_demo=False,
        programador_activo=False,
    )


def llenar(ruta: Path, llamadas: int, agentes: int, ahora: datetime) -> float:
    """Base nueva migrada con usuarios, agentes y llamadas en lotes grandes; devuelve segundos."""
    ajustes = _ajustes(ruta)
    motor = crear_motor(ajustes.database_url)
    migrar(motor)
    with crear_fabrica(motor)() as sesion:
        sembrar_usuarios(sesion=sesion, ajustes=ajustes)
    motor.dispose()
    inicio = time.perf_counter()
    conexion = sqlite3.connect(ruta)
    conexion.execute("PRAGMA synchronous=OFF")
    hash_ = conexion.execute("SELECT password_hash FROM usuarios LIMIT 1").fetchone()[0]
    creado = ahora.strftime(FORMATO)
    conexion.executemany(
        "INSERT INTO usuarios (nombre, email, password_hash, rol, activo, creado_en) "
        "VALUES (?, ?, ?, 'agente', 1, ?)",
        [
            (f"Agente {i:03d}", f"agente{i:03d}@bench.example", hash_, creado)
            for i in range(agentes)
        ],
    )
    ids_agentes = [f[0] for f in conexion.execute("SELECT id FROM usuarios WHERE rol = 'agente'")]
    azar = random.Random(42)
    segundos_anio = 365 * 86_400
    clientes = [f"+34 6{n:08d}" for n in azar.sample(range(10**8), 200_000)]
    for base in range(0, llamadas, LOTE):
        filas, clasificaciones = [], []
        for llamada_id in range(base + 1, min(base + LOTE, llamadas) + 1):
            instante = ahora - timedelta(seconds=azar.uniform(60, segundos_anio))
            espera = azar.randint(0, 90) if azar.random() < 0.8 else None
            csat = azar.randint(1, 5) if azar.random() < 0.6 else None
            filas.append(
                (
                    llamada_id,
                    azar.choice(ids_agentes),
                    azar.choice(clientes),
                    azar.randint(20, 900),
                    azar.choice(TIPOS),
                    azar.choice(RESULTADOS),
                    instante.strftime(FORMATO),
                    csat,
                    espera,
                    "entrante" if azar.random() < 0.85 else "saliente",
                    creado,
                )
            )
            if azar.random() < 0.7:
                clasificaciones.append(
                    (llamada_id, azar.choice(CATEGORIAS), round(azar.uniform(0.4, 1), 3), creado)
                )
        with conexion:
            conexion.executemany(
                "INSERT INTO llamadas (id, usuario_id, numero_cliente, duracion_segundos, tipo, "
                "resultado, fecha_hora, satisfaccion, tiempo_espera_segundos, direccion, "
                "creado_en, actualizado_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*f, f[-1]) for f in filas],
            )
            conexion.executemany(
                "INSERT INTO clasificacion_ia (llamada_id, categoria, confianza, "
                "recomendacion_agente, sentimiento, motor, modelo, latencia_ms, creado_en) "
                "VALUES (?, ?, ?, 'Seguir el protocolo', 'neutral', 'local', 'bench', 0, ?)",
                clasificaciones,
            )
        print(f"  {min(base + LOTE, llamadas):>9,} llamadas", flush=True)
    conexion.execute("ANALYZE")
    conexion.close()
    return time.perf_counter() - inicio


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _memoria_kb(pid: int) -> dict[str, int]:
    datos = {}
    for linea in Path(f"/proc/{pid}/status").read_text().splitlines():
        if linea.startswith(("VmRSS", "VmHWM")):
            clave, valor = linea.split(":")
            datos[clave] = int(valor.split()[0])
    return datos


def _percentiles(tiempos: list[float]) -> str:
    ordenados = sorted(tiempos)
    p99 = ordenados[min(len(ordenados) - 1, round(0.99 * (len(ordenados) - 1)))]
    return f"p50 {statistics.median(ordenados):7.1f} ms · p99 {p99:7.1f} ms"


def _medir(cliente: httpx.Client, params: dict, peticiones: int) -> tuple[list[float], dict]:
    tiempos, cuerpo = [], {}
    for _ in range(peticiones):
        inicio = time.perf_counter()
        respuesta = cliente.get("/api/metricas/", params=params)
        tiempos.append((time.perf_counter() - inicio) * 1000)
        respuesta.raise_for_status()
        cuerpo = respuesta.json()
    return tiempos, cuerpo


def _exportar_csv(cliente: httpx.Client, desde: str, hasta: str) -> tuple[float, int]:
    reporte = cliente.post("/api/reportes/", json={"desde": desde, "hasta": hasta}).json()
    inicio = time.perf_counter()
    lineas = 0
    with cliente.stream("GET", f"/api/reportes/{reporte['id']}/descargar?formato=csv") as r:
        r.raise_for_status()
        for trozo in r.iter_bytes():
            lineas += trozo.count(b"\n")
    return time.perf_counter() - inicio, lineas - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llamadas", type=int, default=1_000_000)
    parser.add_argument("--agentes", type=int, default=40)
    parser.add_argument("--peticiones", type=int, default=50)
    parser.add_argument("--csv", type=int, default=100_000, help="llamadas del CSV exportado")
    parser.add_argument("--bd", type=Path, default=None, help="fichero SQLite (se recrea)")
    args = parser.parse_args()

    carpeta = Path(tempfile.mkdtemp(prefix="bench_metricas_"))
    ruta = args.bd or carpeta / "metricas.db"
    for sufijo in ("", "-wal", "-shm"):
        Path(f"{ruta}{sufijo}").unlink(missing_ok=True)
    ahora = datetime.now(UTC)
    print(f"Llenando {ruta} con {args.llamadas:,} llamadas de {args.agentes} agentes…")
    print(f"Inserción: {llenar(ruta, args.llamadas, args.agentes, ahora):.1f} s")

    inicio = time.perf_counter()
    motor = crear_motor(f"sqlite:///{ruta}")
    resultado = programador.ejecutar(
        fabrica=crear_fabrica(motor), ajustes=_ajustes(ruta), ahora=ahora
    )
    motor.dispose()
    duracion = time.perf_counter() - inicio
    print(f"Fotos diarias: {len(resultado.dias_guardados)} días en {duracion:.1f} s")

    puerto = _puerto_libre()
    entorno = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{ruta}",
        "SEMBRAR_DEMO": "false",
        "PROGRAMADOR_ACTIVO": "false",
        "BCRYPT_RONDAS": "4",
    }
    orden = [sys.executable, "-m", "uvicorn", "main:app", "--port", str(puerto)]
    orden += ["--log-level", "warning"]
    servidor = subprocess.Popen(orden, cwd=RAIZ, env=entorno)
    try:
        base = f"http://127.0.0.1:{puerto}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/salud").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        token = httpx.post(
            f"{base}/api/usuarios/login",
            json={"email": "sup@example.com", "password": PASSWORD_INICIAL},
        ).json()["access_token"]
        cabeceras = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=cabeceras, timeout=120) as cliente:
            for nombre, params in (
                ("Últimos 30 días", {}),
                ("Año entero     ", {"desde": (ahora - timedelta(days=366)).isoformat()}),
            ):
                _medir(cliente, params, 3)
                tiempos, cuerpo = _medir(cliente, params, args.peticiones)
                print(
                    f"GET /api/metricas/ {nombre}: {_percentiles(tiempos)} "
                    f"({cuerpo['total_llamadas']:,} llamadas, {cuerpo['dias_desde_fotos']} días "
                    "de fotos)"
                )
            conexion = sqlite3.connect(ruta)
            for filas in (args.csv // 10, args.csv):
                desde = conexion.execute(
                    "SELECT fecha_hora FROM llamadas ORDER BY fecha_hora DESC LIMIT 1 OFFSET ?",
                    (filas - 1,),
                ).fetchone()[0]
                desde_iso = desde.replace(" ", "T") + "+00:00"
                antes = _memoria_kb(servidor.pid)
                segundos, lineas = _exportar_csv(cliente, desde_iso, ahora.isoformat())
                despues = _memoria_kb(servidor.pid)
                print(
                    f"CSV de {lineas:,} llamadas: {segundos:.2f} s; servidor RSS "
                    f"{antes['VmRSS'] / 1024:.0f} → {despues['VmRSS'] / 1024:.0f} MiB, pico "
                    f"{despues['VmHWM'] / 1024:.0f} MiB (pico previo {antes['VmHWM'] / 1024:.0f})"
                )
            conexion.close()
    finally:
        servidor.terminate()
        servidor.wait(timeout=10)


if __name__ == "__main__":
    main()
