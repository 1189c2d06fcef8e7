"""Carga HTTP con wrk: login, GET /api/llamadas/?limit=20 y POST /api/llamadas/ contra un
servidor real (uvicorn, SQLite sembrado) y contra una app FastAPI sin base de datos.

Uso: python bench/carga.py [--segundos 10] [--conexiones 8] [--casos login,listar,crear]
     [--rondas 1]
Instala wrk con apt-get si no está (Debian/Ubuntu, como root).
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CUERPO_LLAMADA = {
    "numero_cliente": "+34 600111222",
    "duracion_segundos": 245,
    "tipo": "soporte",
    "resultado": "resuelta",
    # Notas distintas en cada petición: la clasificación automática no se ahorra nada.
    "descripcion": "Cliente __N__ sin conexión desde ayer; se reinició el router y quedó resuelto.",
    "satisfaccion": 5,
}


def asegurar_wrk() -> str:
    """Ruta de wrk; lo instala con apt-get si falta."""
    ruta = shutil.which("wrk")
    if ruta:
        return ruta
    print("Instalando wrk con apt-get…", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or sys.exit("No se pudo instalar wrk")


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def arrancar(modulo: str, puerto: int, entorno: dict[str, str]) -> subprocess.Popen:
    """Lanza uvicorn (un proceso) y espera a que responda."""
    proceso = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "uvicorn",
            modulo,
            "--port",
            str(puerto),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=RAIZ,
        env={**os.environ, **entorno},
    )
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{puerto}/docs", timeout=1)
            return proceso
        except httpx.HTTPError:
            time.sleep(0.1)
    proceso.kill()
    sys.exit(f"{modulo} no arrancó")


def guion_lua(directorio: Path, nombre: str, metodo: str, cuerpo: str, cabeceras: dict) -> Path:
    """Guion de wrk; '__N__' en el cuerpo se cambia por un contador (notas únicas)."""
    lineas = [f'wrk.method = "{metodo}"', f"wrk.body = {json.dumps(cuerpo)}"]
    lineas += [f'wrk.headers["{k}"] = "{v}"' for k, v in cabeceras.items()]
    if "__N__" in cuerpo:
        lineas += [
            "local contador = os.time() * 100000",
            "request = function()",
            "  contador = contador + 1",
            '  local texto = string.gsub(wrk.body, "__N__", tostring(contador))',
            "  return wrk.format(nil, nil, nil, texto)",
            "end",
        ]
    ruta = directorio / f"{nombre}.lua"
    ruta.write_text("\n".join(lineas) + "\n")
    return ruta


def a_ms(valor: str) -> float:
    coincidencia = re.match(r"([\d.]+)(us|ms|s|m)$", valor)
    if coincidencia is None:
        return float("nan")
    numero, unidad = coincidencia.groups()
    return float(numero) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unidad]


def medir(wrk: str, url: str, guion: Path, segundos: int, conexiones: int) -> dict[str, float]:
    """Calienta 2 s y después ejecuta wrk; devuelve peticiones/s, p50 y p99 en ms."""
    subprocess.run(
        [wrk, "-t1", f"-c{conexiones}", "-d2s", "-s", str(guion), url],
        check=True,
        capture_output=True,
    )
    salida = subprocess.run(
        [wrk, "-t1", f"-c{conexiones}", f"-d{segundos}s", "--latency", "-s", str(guion), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errores = re.search(r"Non-2xx or 3xx responses: (\d+)", salida)
    if "50%" not in salida:
        sys.exit(f"wrk no dio latencias para {url}:\n{salida}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", salida).group(1)),
        # Al principio de línea: «50%» también sale en la desviación de Req/Sec (p. ej. 68.50%).
        "p50": a_ms(re.search(r"^\s+50%\s+(\S+)", salida, re.MULTILINE).group(1)),
        "p99": a_ms(re.search(r"^\s+99%\s+(\S+)", salida, re.MULTILINE).group(1)),
        "errores": int(errores.group(1)) if errores else 0,
    }


def _fila(titulo: str, r: dict[str, float]) -> str:
    return f"{titulo:42} {r['rps']:9.1f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errores']:7d}"


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--segundos", type=int, default=10)
    argumentos.add_argument("--conexiones", type=int, default=8)
    argumentos.add_argument(
        "--casos", default="login,listar,crear", help="qué casos medir (separados por comas)"
    )
    argumentos.add_argument(
        "--rondas",
        type=int,
        default=1,
        help="rondas alternando API y referencia (con más de una, la mediana de la relación)",
    )
    opciones = argumentos.parse_args()
    wrk = asegurar_wrk()
    temporal = Path(tempfile.mkdtemp(prefix="bench-carga-"))
    entorno = {
        "DATABASE_URL": f"sqlite:///{temporal / 'carga.db'}",
        "SEMBRAR_DEMO": "true",
        "PROGRAMADOR_ACTIVO": "false",
        "OPENAI_BASE_URL": "",
        "LOGIN_INTENTOS": "1000000",
    }
    p_api, p_ref = puerto_libre(), puerto_libre()
    api = arrancar("main:app", p_api, entorno)
    procesos = [api]
    try:
        base = f"http://127.0.0.1:{p_api}"
        login = {"email": "sup@example.com", "password": "123456"}
        token = httpx.post(f"{base}/api/usuarios/login", json=login).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        lista = httpx.get(f"{base}/api/llamadas/?limit=20", headers=auth).json()
        (temporal / "lista.json").write_text(json.dumps(lista), encoding="utf-8")
        procesos.append(
            arrancar(
                "bench.app_desnuda:app", p_ref, {"BENCH_LISTA_JSON": str(temporal / "lista.json")}
            )
        )
        json_login = {"Content-Type": "application/json"}
        guiones = {
            "login": guion_lua(temporal, "login", "POST", json.dumps(login), json_login),
            "listar": guion_lua(temporal, "listar", "GET", "", auth),
            "crear": guion_lua(temporal, "crear", "POST", json.dumps(CUERPO_LLAMADA), auth),
        }
        # Segundo proceso sobre la misma base, sin clasificación automática: el coste del
        # endpoint por sí solo, sin la clasificación que sigue a cada alta.
        p_sin = puerto_libre()
        procesos.append(
            arrancar("main:app", p_sin, {**entorno, "CLASIFICACION_AUTOMATICA": "false"})
        )
        ref_lista = f"http://127.0.0.1:{p_ref}/api/llamadas/?limit=20"
        ref_alta = f"http://127.0.0.1:{p_ref}/api/llamadas/"
        casos = [
            ("POST /api/usuarios/login (bcrypt 12)", f"{base}/api/usuarios/login", "login", None),
            ("GET /api/llamadas/?limit=20", f"{base}/api/llamadas/?limit=20", "listar", ref_lista),
            (
                "POST /api/llamadas/ (clasificación auto.)",
                f"{base}/api/llamadas/",
                "crear",
                ref_alta,
            ),
            (
                "POST /api/llamadas/ (sin clasificación)",
                f"http://127.0.0.1:{p_sin}/api/llamadas/",
                "crear",
                ref_alta,
            ),
        ]
        print(
            f"\nwrk, 1 hilo, {opciones.conexiones} conexiones, {opciones.segundos} s por caso; "
            "uvicorn con 1 proceso; SQLite sembrado.\n"
        )
        print(f"{'caso':42} {'pet/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'no-2xx':>7}")
        elegidos = set(opciones.casos.split(","))
        for titulo, url, guion, referencia in casos:
            if guion not in elegidos:
                continue
            relaciones = []
            for _ in range(max(1, opciones.rondas) if referencia else 1):
                r = medir(wrk, url, guiones[guion], opciones.segundos, opciones.conexiones)
                print(_fila(titulo, r))
                if referencia is None:
                    continue
                ref = medir(wrk, referencia, guiones[guion], opciones.segundos, opciones.conexiones)
                print(_fila("  referencia sin base de datos", ref))
                relaciones.append(r["rps"] / ref["rps"])
                print(
                    f"{'  relación p50 (API / referencia)':42} {r['p50'] / ref['p50']:9.2f}x   "
                    f"pet/s: {ref['rps'] / r['rps']:.2f}x"
                )
            if len(relaciones) > 1:
                print(
                    f"{'  pet/s API / referencia, por ronda':42} "
                    + " ".join(f"{x:.2f}" for x in relaciones)
                    + f"; mediana {statistics.median(relaciones):.2f}x"
                )
    finally:
        for proceso in procesos:
            proceso.terminate()
            proceso.wait(timeout=10)
        shutil.rmtree(temporal, ignore_errors=True)


if __name__ == "__main__":
    main()
