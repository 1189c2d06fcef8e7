"""Servidores uvicorn de verdad (varios workers) para las pruebas de arranque y de kill -9."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from database import normalizar_url

RAIZ = Path(__file__).resolve().parents[1]
# Máximo, no espera fija: en una máquina saturada cuatro workers tardan en importar y precargar.
ARRANQUE_MAXIMO_SEGUNDOS = 120.0
ENTORNO_BASE = {
    "ENTORNO": "pruebas",
    "SECRET_KEY": "clave-solo-para-pruebas-0123456789abcdef",
    "BCRYPT_RONDAS": "4",
    "SEMBRAR_DEMO": "false",
    "PROGRAMADOR_ACTIVO": "false",
    "OPENAI_BASE_URL": "",
    "REDIS_URL": "",
}
FORMATO = "%(created).6f %(process)d %(name)s %(levelname)s %(message)s"
CONFIG_REGISTRO = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"linea": {"format": FORMATO}},
    "handlers": {"error": {"class": "logging.StreamHandler", "formatter": "linea"}},
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "callcenter.peticiones": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
    },
}
LINEA_TRABAJO = re.compile(
    r"^(?P<t>\d+\.\d+) (?P<pid>\d+) callcenter\.trabajos \w+ trabajo (?P<id>\d+) "
    r"\((?P<tipo>\w+)\) (?P<evento>empieza|termina|falla) intento (?P<intento>\d+)"
)
LINEA_TURNO = re.compile(
    r"^(?P<t>\d+\.\d+) \d+ callcenter\.programador INFO turno de (?P<nombre>\w+) tomado"
)


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_postgresql_vacia(url: str, sufijo: str = "procesos") -> str:
    """URL de un esquema nuevo y vacío en la base de pruebas (no toca el de la suite).

    Un esquema y no una base nueva: DROP DATABASE fuerza un checkpoint, que en una máquina
    cargada tarda minutos; borrar y crear un esquema es inmediato.
    """
    original = make_url(normalizar_url(url))
    esquema = f"pruebas_{sufijo}"
    motor = create_engine(original)
    with motor.begin() as conexion:
        conexion.execute(text(f'DROP SCHEMA IF EXISTS "{esquema}" CASCADE'))
        conexion.execute(text(f'CREATE SCHEMA "{esquema}"'))
    motor.dispose()
    con_esquema = original.update_query_dict({"options": f"-csearch_path={esquema}"})
    return con_esquema.render_as_string(hide_password=False)


@dataclass
class Servidor:
    url: str
    proceso: subprocess.Popen
    registro: Path

    def texto(self) -> str:
        return self.registro.read_text(encoding="utf-8", errors="replace")

    def arranques(self) -> int:
        """Arranques en el formato de esta prueba (el registro del servicio repite la línea en
        el suyo)."""
        return len(
            re.findall(r"^[\d.]+ \d+ \S+ INFO Application startup complete\.", self.texto(), re.M)
        )

    def hijos(self) -> list[int]:
        """Pids de los workers (hijos del proceso maestro de uvicorn)."""
        ruta = Path(f"/proc/{self.proceso.pid}/task/{self.proceso.pid}/children")
        pids = [int(p) for p in ruta.read_text().split()] if ruta.exists() else []
        return [p for p in pids if b"spawn_main" in _orden(p)]


def _orden(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _parar(proceso: subprocess.Popen, hijos: list[int]) -> None:
    if proceso.poll() is None:
        proceso.send_signal(signal.SIGTERM)
        try:
            proceso.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for pid in hijos:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proceso.kill()
            proceso.wait()


@contextmanager
def servidor(
    carpeta: Path, *, database_url: str, workers: int, entorno: dict[str, str] | None = None
) -> Iterator[Servidor]:
    """`uvicorn main:app --workers N`; espera a que arranquen todos los workers."""
    puerto = puerto_libre()
    configuracion = carpeta / "registro.json"
    configuracion.write_text(json.dumps(CONFIG_REGISTRO), encoding="utf-8")
    registro = carpeta / f"uvicorn-{puerto}.log"
    variables = {**os.environ, **ENTORNO_BASE, "DATABASE_URL": database_url, **(entorno or {})}
    orden = [sys.executable, "-m", "uvicorn", "main:app", "--host", "127.0.0.1"]
    orden += ["--port", str(puerto), "--workers", str(workers), "--no-access-log"]
    orden += ["--log-config", str(configuracion)]
    with open(registro, "ab") as salida:
        proceso = subprocess.Popen(
            orden, cwd=RAIZ, env=variables, stdout=salida, stderr=subprocess.STDOUT
        )
    servidor = Servidor(url=f"http://127.0.0.1:{puerto}", proceso=proceso, registro=registro)
    hijos: list[int] = []
    try:
        limite = time.monotonic() + ARRANQUE_MAXIMO_SEGUNDOS
        while servidor.arranques() < workers:
            assert proceso.poll() is None, f"uvicorn terminó al arrancar:\n{servidor.texto()}"
            assert time.monotonic() < limite, f"no arrancaron {workers}:\n{servidor.texto()}"
            time.sleep(0.1)
        hijos = servidor.hijos()
        yield servidor
    finally:
        _parar(proceso, hijos or servidor.hijos())


def token(url: str, email: str) -> str:
    respuesta = httpx.post(
        f"{url}/api/usuarios/login", json={"email": email, "password": "123456"}, timeout=10
    )
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.json()["access_token"]


def ejecuciones(texto: str) -> dict[int, list[dict]]:
    """Por trabajo, sus ejecuciones (pid, intento, inicio, fin o None) según el registro."""
    abiertas: dict[tuple[int, int, int], dict] = {}
    por_trabajo: dict[int, list[dict]] = {}
    for linea in texto.splitlines():
        encontrada = LINEA_TRABAJO.match(linea)
        if not encontrada:
            continue
        clave = (int(encontrada["id"]), int(encontrada["pid"]), int(encontrada["intento"]))
        instante = float(encontrada["t"])
        if encontrada["evento"] == "empieza":
            ejecucion = {"pid": clave[1], "intento": clave[2], "inicio": instante, "fin": None}
            abiertas[clave] = ejecucion
            por_trabajo.setdefault(clave[0], []).append(ejecucion)
        elif clave in abiertas:
            abiertas.pop(clave)["fin"] = instante
    return por_trabajo


def turnos(texto: str) -> dict[str, list[float]]:
    """Instantes en que algún proceso tomó el turno de cada tarea periódica."""
    resultado: dict[str, list[float]] = {}
    for linea in texto.splitlines():
        encontrada = LINEA_TURNO.match(linea)
        if encontrada:
            resultado.setdefault(encontrada["nombre"], []).append(float(encontrada["t"]))
    return resultado
