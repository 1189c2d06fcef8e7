"""Instrucciones por petición de la lista y de la app desnuda, contadas con callgrind.

wrk en esta máquina varía ±10 % de una ronda a otra; contar instrucciones no (valgrind las
cuenta igual con la máquina cargada): sirve para comparar un cambio con el anterior. Cada app
se llama dentro del proceso, sin red ni uvicorn (lo que uvicorn añade es igual para las dos),
sobre una base sembrada (SQLite) y con el trabajador de fondo apagado. Por app, dos pasadas
bajo callgrind con 200 y 700 peticiones tras calentar; la diferencia entre 500 es lo de una
petición, sin el arranque. Necesita valgrind (apt-get install valgrind); tarda ~2 min por app.
Con `--pg URL`, la API lee de esa base de PostgreSQL (la de bench/escala.py, con sup@example.com):
se cuentan las instrucciones del proceso de la app, no las del servidor.

    python bench/instrucciones.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/bench_escala]
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
RUTA, CONSULTA = "/api/llamadas/", b"limit=20"  # la de bench/carga.py y bench/app_desnuda.py
POCAS, MUCHAS, CALENTAR = 200, 700, 50
ENTORNO = {
    "SEMBRAR_DEMO": "false",
    "PROGRAMADOR_ACTIVO": "false",
    "TRABAJOS_ACTIVO": "false",
    "OPENAI_BASE_URL": "",
    "LOGIN_INTENTOS": "1000000",
    "BCRYPT_RONDAS": "4",
    "PYTHONHASHSEED": "0",
}


async def pedir(app, metodo: str, ruta: str, consulta: bytes, cabeceras=(), cuerpo=b""):
    """Una petición HTTP/1.1 a la app ASGI; (estado, cuerpo)."""
    alcance = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": metodo,
        "scheme": "http",
        "path": ruta,
        "raw_path": ruta.encode(),
        "query_string": consulta,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *cabeceras],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 80),
    }
    recibido = False

    async def recibir():
        nonlocal recibido
        if recibido:
            await asyncio.sleep(3600)
        recibido = True
        return {"type": "http.request", "body": cuerpo, "more_body": False}

    estado, partes = [], []

    async def enviar(mensaje):
        if mensaje["type"] == "http.response.start":
            estado.append(mensaje["status"])
        else:
            partes.append(mensaje.get("body", b""))

    await app(alcance, recibir, enviar)
    return estado[0], b"".join(partes)


async def _peticiones(app, veces: int, cabeceras=()) -> None:
    for _ in range(CALENTAR):
        estado, cuerpo = await pedir(app, "GET", RUTA, CONSULTA, cabeceras)
        assert estado == 200, cuerpo[:300]
    for _ in range(veces):
        await pedir(app, "GET", RUTA, CONSULTA, cabeceras)


async def _hijo_api(base: str, veces: int) -> None:
    import main

    app = main.crear_app()
    async with app.router.lifespan_context(app):
        login = json.dumps({"email": "sup@example.com", "password": "123456"}).encode()
        tipo = [(b"content-type", b"application/json")]
        _, cuerpo = await pedir(app, "POST", "/api/usuarios/login", b"", tipo, login)
        token = json.loads(cuerpo)["access_token"]
        cabeceras = [(b"authorization", f"Bearer {token}".encode())]
        if os.environ.get("BENCH_GUARDAR"):  # la primera vez: la base sembrada y su página
            with sqlite3.connect(os.environ["BENCH_GUARDAR"]) as destino:
                sqlite3.connect(base).backup(destino)
            _, pagina = await pedir(app, "GET", RUTA, CONSULTA, cabeceras)
            Path(os.environ["BENCH_LISTA_JSON"]).write_bytes(pagina)
            return
        await _peticiones(app, veces, cabeceras)


async def _hijo_desnuda(veces: int) -> None:
    from bench.app_desnuda import app

    await _peticiones(app, veces)


def hijo(app: str, veces: int) -> None:
    sys.path.insert(0, str(RAIZ))
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - la línea de registro de cada petición
    if app == "api":
        base = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
        asyncio.run(_hijo_api(base, veces))
    else:
        asyncio.run(_hijo_desnuda(veces))


def _contar(app: str, veces: int, entorno: dict[str, str]) -> int:
    salida = Path(tempfile.mkdtemp()) / "callgrind.out"
    orden = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={salida}", sys.executable]
    orden += [__file__, "--hijo", app, "--veces", str(veces)]
    proceso = subprocess.run(orden, env=entorno, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", proceso.stderr).group(1))


def _por_peticion(app: str, semilla: Path, entorno: dict[str, str], pg: str | None) -> int:
    def pasada(veces: int) -> int:
        if pg and app == "api":  # solo se lee: las dos pasadas, sobre la misma base
            return _contar(app, veces, {**entorno, "DATABASE_URL": pg})
        copia = semilla.with_name(f"{app}-{veces}.db")  # cada pasada, su copia de la sembrada
        shutil.copy(semilla, copia)
        return _contar(app, veces, {**entorno, "DATABASE_URL": f"sqlite:///{copia}"})

    with ThreadPoolExecutor(2) as hilos:  # las dos pasadas a la vez, una por núcleo
        pocas, muchas = hilos.map(pasada, (POCAS, MUCHAS))
    return round((muchas - pocas) / (MUCHAS - POCAS))


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--hijo", choices=["api", "desnuda"], help=argparse.SUPPRESS)
    argumentos.add_argument("--veces", type=int, default=0, help=argparse.SUPPRESS)
    argumentos.add_argument(
        "--pg", help="URL de una base de PostgreSQL ya llena (la de bench/escala.py) para la API"
    )
    opciones = argumentos.parse_args()
    if opciones.hijo:
        hijo(opciones.hijo, opciones.veces)
        return
    if not shutil.which("valgrind"):
        sys.exit("Falta valgrind: apt-get install valgrind")
    temporal = Path(tempfile.mkdtemp(prefix="bench-instrucciones-"))
    semilla, lista = temporal / "semilla.db", temporal / "lista.json"
    base = {**os.environ, **ENTORNO, "PYTHONPATH": str(RAIZ), "BENCH_LISTA_JSON": str(lista)}
    sembrar = {**base, "SEMBRAR_DEMO": "true", "BENCH_GUARDAR": str(semilla)}
    sembrar["DATABASE_URL"] = f"sqlite:///{temporal / 'sembrada.db'}"
    subprocess.run([sys.executable, __file__, "--hijo", "api"], env=sembrar, check=True)
    donde = "PostgreSQL (--pg)" if opciones.pg else "base sembrada (SQLite)"
    print(f"GET {RUTA}?{CONSULTA.decode()}, dentro del proceso, {donde}")
    cifras = {}
    for app in ("api", "desnuda"):
        cifras[app] = _por_peticion(app, semilla, base, opciones.pg)
        print(f"{app:10} {cifras[app]:>11,} instrucciones por petición".replace(",", " "))
    relacion = f"{cifras['desnuda'] / cifras['api']:.2f}".replace(".", ",")
    print(f"{'relación':10} {relacion:>11}× (desnuda / API)")


if __name__ == "__main__":
    main()
