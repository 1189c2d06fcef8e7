"""Lo común de los bancos sobre las bases que llena bench/escala.py: qué bases medir y la app
real arrancada sobre una de ellas con la sesión de admin abierta."""

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.carga import arrancar, puerto_libre
from servicios.semilla import PASSWORD_INICIAL

SQLITE = str(Path(tempfile.gettempdir()) / "bench_escala.db")
POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_escala"


def opciones_de_bases(parser: argparse.ArgumentParser) -> None:
    """--sqlite RUTA y --pg URL (vacías: ese motor no se mide)."""
    parser.add_argument("--sqlite", default=SQLITE)
    parser.add_argument("--pg", default=POSTGRESQL)


def bases(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(nombre, URL) de cada base pedida."""
    elegidas = []
    if args.sqlite:
        elegidas.append(("SQLite", f"sqlite:///{args.sqlite}"))
    if args.pg:
        elegidas.append(("PostgreSQL", args.pg))
    return elegidas


@dataclass(frozen=True)
class AppEnMarcha:
    base: str
    token: str

    @property
    def cabeceras(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@contextmanager
def app_sobre(url: str, **entorno: str) -> Iterator[AppEnMarcha]:
    """uvicorn (un proceso) sobre la base, sin programador ni clasificación automática, con
    la sesión de admin abierta; `entorno` añade o cambia variables."""
    puerto = puerto_libre()
    variables = {"DATABASE_URL": url, "SEMBRAR_DEMO": "false", "PROGRAMADOR_ACTIVO": "false"}
    variables |= {"LOG_NIVEL": "WARNING", "BCRYPT_RONDAS": "4", "OPENAI_BASE_URL": ""}
    variables |= {"CLASIFICACION_AUTOMATICA": "false", **entorno}
    servidor = arrancar("main:app", puerto, variables)
    try:
        base = f"http://127.0.0.1:{puerto}"
        login = {"email": "admin@example.com", "password": PASSWORD_INICIAL}
        token = httpx.post(f"{base}/api/usuarios/login", json=login).json()["access_token"]
        yield AppEnMarcha(base, token)
    finally:
        servidor.terminate()
        servidor.wait(timeout=30)
