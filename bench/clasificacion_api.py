"""Latencia de POST /api/clasificaciones-ia/texto sin LLM y con una URL de LLM caída.

Arranca uvicorn en loopback sobre un SQLite sembrado (un proceso por escenario), inicia
sesión con el endpoint real y mide peticiones secuenciales. Uso:
    python bench/clasificacion_api.py [--peticiones 300] [--solo caracteres]

Junto a la latencia de pared imprime la CPU que gasta el servidor por petición y, como
referencia medida en la misma pasada, el p50 de `GET /salud` en el mismo servidor: si la
máquina está cargada, la pared sube y la referencia con ella; la CPU por petición no.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]
CORPUS_EVALUACION = RAIZ / "data" / "corpus" / "evaluacion.jsonl"


def _textos() -> list[str]:
    """Textos de la partición de evaluación: variados y sin repetir (ninguna caché ayuda)."""
    lineas = CORPUS_EVALUACION.read_text(encoding="utf-8").splitlines()
    return [json.loads(linea)["texto"] for linea in lineas if linea.strip()]


TEXTOS = _textos()


def _texto(i: int) -> str:
    """El texto i-ésimo, único aunque haya más peticiones que textos."""
    base = TEXTOS[i % len(TEXTOS)]
    return base if i < len(TEXTOS) else f"{base} (caso {i})"


def _texto_300(i: int) -> str:
    """Unos 300 caracteres: textos de evaluación seguidos hasta llegar, distintos en cada i."""
    partes, j = [], i
    while sum(len(p) + 1 for p in partes) < 300:
        partes.append(TEXTOS[j % len(TEXTOS)])
        j += 7
    return " ".join(partes)[:300]


TRANSCRIPCIONES = [t for t in TEXTOS if t.startswith(("Agente:", "A:", "[00", "SPEAKER"))]


def _texto_3000(i: int) -> str:
    """Una transcripción de ~3000 caracteres: varias llamadas con turnos, seguidas."""
    partes, j = [], i
    while sum(len(p) + 1 for p in partes) < 3000:
        partes.append(TRANSCRIPCIONES[j % len(TRANSCRIPCIONES)])
        j += 5
    return "\n".join(partes)[:3000]


REFERENCIA = 50  # GET /salud en el mismo servidor antes de cada escenario: la petición mínima


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _arrancar(base_datos: Path, openai_url: str) -> tuple[subprocess.Popen, str]:
    """Uvicorn con la app real; espera a que /salud responda."""
    puerto = _puerto_libre()
    entorno = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{base_datos}",
        "OPENAI_BASE_URL": openai_url,
        "LLM_TIMEOUT_SEGUNDOS": "10",
        "SEMBRAR_DEMO": "true",
        "PROGRAMADOR_ACTIVO": "false",
        "ENTORNO": "desarrollo",
    }
    proceso = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "main:app",
            "--port",
            str(puerto),
            "--log-level",
            "warning",
        ],
        cwd=RAIZ,
        env=entorno,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{puerto}"
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        try:
            if httpx.get(f"{url}/salud", timeout=1).status_code == 200:
                return proceso, url
        except httpx.TransportError:
            pass
        if proceso.poll() is not None:
            sys.exit("uvicorn terminó antes de arrancar")
        time.sleep(0.1)
    proceso.terminate()
    sys.exit("uvicorn no respondió en 60 s")


def _cpu_ms(pid: int) -> float:
    """CPU (usuario + sistema) que lleva gastada el proceso, en ms (Linux, /proc)."""
    campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(campos[11]) + int(campos[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _medir(
    url: str, pid: int, peticiones: int, texto: Callable[[int], str] = _texto
) -> dict[str, float]:
    """Latencias (ms) de peticiones secuenciales con conexión persistente y la CPU del servidor
    por petición: en una máquina compartida la pared incluye la espera de CPU; la CPU, no."""
    with httpx.Client(base_url=url, timeout=30) as cliente:
        login = cliente.post(
            "/api/usuarios/login", json={"email": "agente1@example.com", "password": "123456"}
        )
        login.raise_for_status()
        cliente.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        motores: set[str] = set()
        for i in range(20):  # calentamiento: carga del modelo local y del cliente openai
            cliente.post("/api/clasificaciones-ia/texto", json={"texto": f"calentamiento {i}"})
        referencia = []
        for _ in range(REFERENCIA):
            inicio = time.perf_counter()
            cliente.get("/salud").raise_for_status()
            referencia.append((time.perf_counter() - inicio) * 1000)
        tiempos = []
        cpu_inicial = _cpu_ms(pid)
        for i in range(peticiones):
            inicio = time.perf_counter()
            respuesta = cliente.post("/api/clasificaciones-ia/texto", json={"texto": texto(i)})
            tiempos.append((time.perf_counter() - inicio) * 1000)
            respuesta.raise_for_status()
            motores.add(respuesta.json()["motor"])
        cpu = (_cpu_ms(pid) - cpu_inicial) / peticiones
    tiempos.sort()
    return {
        "p50": statistics.median(tiempos),
        "p99": tiempos[min(len(tiempos) - 1, int(len(tiempos) * 0.99))],
        "media": statistics.fmean(tiempos),
        "cpu": cpu,
        "referencia": statistics.median(referencia),
        "motor": ",".join(sorted(motores)),
    }


def main() -> None:
    """Mide los dos escenarios e imprime la tabla."""
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--peticiones", type=int, default=300)
    analizador.add_argument("--solo", help="solo los escenarios cuyo nombre contiene esto")
    argumentos = analizador.parse_args()
    escenarios = {
        "sin LLM": ("", _texto),
        "sin LLM, 300 caracteres": ("", _texto_300),
        "sin LLM, transcripción 3000 car.": ("", _texto_3000),
        "LLM caído (conexión rechazada)": (f"http://127.0.0.1:{_puerto_libre()}/v1", _texto),
    }
    print(f"POST /api/clasificaciones-ia/texto, {argumentos.peticiones} peticiones secuenciales")
    print(
        f"{'Escenario':<34} {'p50 ms':>8} {'p99 ms':>8} {'media ms':>9} {'CPU ms':>7} "
        f"{'/salud p50':>10}  motor"
    )
    with tempfile.TemporaryDirectory() as carpeta:
        for nombre, (openai_url, texto) in escenarios.items():
            if argumentos.solo and argumentos.solo not in nombre:
                continue
            proceso, url = _arrancar(Path(carpeta) / "bench.db", openai_url)
            try:
                cifras = _medir(url, proceso.pid, argumentos.peticiones, texto)
            finally:
                proceso.terminate()
                proceso.wait(timeout=10)
            print(
                f"{nombre:<34} {cifras['p50']:>8.2f} {cifras['p99']:>8.2f} "
                f"{cifras['media']:>9.2f} {cifras['cpu']:>7.1f} {cifras['referencia']:>10.2f}  "
                f"{cifras['motor']}"
            )


if __name__ == "__main__":
    main()
