"""Un servidor de verdad en otro proceso (python main.py o uvicorn con workers) para pruebas."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from database import crear_motor, migrar

RAIZ = Path(__file__).resolve().parents[1]


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def entorno_servidor(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Entorno mínimo y barato: SQLite propio, sin demo ni programador, bcrypt rápido."""
    entorno = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    entorno.update(
        {
            "ENTORNO": "pruebas",
            "DATABASE_URL": f"sqlite:///{tmp_path}/servidor.db",
            "SECRET_KEY": "clave-de-un-servidor-de-prueba-0123456789",
            "BCRYPT_RONDAS": "4",
            "SEMBRAR_DEMO": "false",
            "PROGRAMADOR_ACTIVO": "false",
            "OPENAI_BASE_URL": "",
            **extra,
        }
    )
    return entorno


class ServidorReal:
    """Arranca la orden, espera a /salud y al parar devuelve lo que escribió en stderr."""

    def __init__(self, orden: list[str], entorno: dict[str, str], puerto: int, tmp_path: Path):
        self.url = f"http://127.0.0.1:{puerto}"
        self.ruta_stderr = tmp_path / f"stderr_{puerto}.log"
        self._stderr = self.ruta_stderr.open("wb")
        self.proceso = subprocess.Popen(
            orden, cwd=RAIZ, env=entorno, stdout=subprocess.DEVNULL, stderr=self._stderr
        )
        self._esperar()

    def _esperar(self, segundos: float = 90) -> None:
        limite = time.monotonic() + segundos
        while time.monotonic() < limite:
            if self.proceso.poll() is not None:
                raise RuntimeError(f"El servidor terminó: {self.ruta_stderr.read_text()}")
            try:
                if httpx.get(f"{self.url}/salud", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.parar()
        raise TimeoutError("El servidor no respondió a /salud a tiempo")

    def parar(self) -> str:
        if self.proceso.poll() is None:
            self.proceso.send_signal(signal.SIGINT)
            try:
                self.proceso.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proceso.kill()
                self.proceso.wait()
        self._stderr.close()
        return self.ruta_stderr.read_text(encoding="utf-8")


def python_main(tmp_path: Path, **extra: str) -> ServidorReal:
    """python main.py, tal como se arranca en local."""
    puerto = puerto_libre()
    entorno = entorno_servidor(tmp_path, PUERTO=str(puerto), **extra)
    return ServidorReal([sys.executable, "main.py"], entorno, puerto, tmp_path)


def uvicorn_workers(tmp_path: Path, workers: int, **extra: str) -> ServidorReal:
    """uvicorn main:app --workers N --no-access-log, como en producción.

    La base se migra antes: varios workers migrando a la vez un SQLite nuevo chocarían.
    """
    entorno = entorno_servidor(tmp_path, **extra)
    motor = crear_motor(entorno["DATABASE_URL"])
    migrar(motor)
    motor.dispose()
    puerto = puerto_libre()
    orden = [sys.executable, "-m", "uvicorn", "main:app", "--port", str(puerto)]
    orden += ["--workers", str(workers), "--no-access-log"]
    return ServidorReal(orden, entorno, puerto, tmp_path)
