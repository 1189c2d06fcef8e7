"""Muchos clientes a la vez contra un uvicorn real: latencias p50/p99, estados y la lista de
llamadas medida mientras tanto. Sirve para comparar dos copias del proyecto (antes/después).

Uso: python bench/concurrencia.py [--clientes 60] [--segundos 10] [--ruta llamadas|texto]
     [--raiz OTRA_COPIA] [--database-url postgresql://...]
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from test.red_falsa import ServidorUvicorn  # noqa: E402

PLAZO_CLIENTE = 120.0


def _cuerpo(ruta: str, n: int) -> tuple[str, dict]:
    if ruta == "texto":
        return "/api/clasificaciones-ia/texto", {"texto": f"Quiero contratar la fibra {n}"}
    return "/api/llamadas/", {
        "numero_cliente": f"6{n:08d}",
        "duracion_segundos": 245,
        "tipo": "soporte",
        "resultado": "resuelta",
        "descripcion": f"Cliente {n} sin conexión desde ayer; se reinició el router y funciona.",
    }


def _percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, int(p * len(ordenados)))] if ordenados else 0.0


async def _medir(url: str, clientes: int, segundos: float, ruta: str) -> dict:
    limites = httpx.Limits(max_connections=clientes + 10, max_keepalive_connections=clientes + 10)
    async with httpx.AsyncClient(base_url=url, timeout=PLAZO_CLIENTE, limits=limites) as http:
        cuerpo = {"email": "agente1@example.com", "password": "123456"}
        token = (await http.post("/api/usuarios/login", json=cuerpo)).json()["access_token"]
        cabeceras = {"Authorization": f"Bearer {token}"}
        fin = time.monotonic() + segundos
        latencias: list[float] = []
        estados: Counter = Counter()
        lecturas: list[float] = []
        contador = 0

        async def cliente() -> None:
            nonlocal contador
            while time.monotonic() < fin:
                contador += 1
                destino, datos = _cuerpo(ruta, contador)
                inicio = time.monotonic()
                try:
                    respuesta = await http.post(destino, json=datos, headers=cabeceras)
                    estados[respuesta.status_code] += 1
                except httpx.HTTPError as error:
                    estados[type(error).__name__] += 1
                latencias.append(time.monotonic() - inicio)

        async def lector() -> None:
            while time.monotonic() < fin:
                inicio = time.monotonic()
                try:
                    await http.get("/api/llamadas/?limit=20", headers=cabeceras)
                except httpx.HTTPError:
                    pass
                lecturas.append(time.monotonic() - inicio)
                await asyncio.sleep(0.5)

        inicio = time.monotonic()
        await asyncio.gather(*(cliente() for _ in range(clientes)), lector())
        return {
            "peticiones": len(latencias),
            "estados": dict(estados),
            "p50": statistics.median(latencias) if latencias else 0.0,
            "p99": _percentil(latencias, 0.99),
            "max": max(latencias, default=0.0),
            "lista_p50": statistics.median(lecturas) if lecturas else 0.0,
            "lista_max": max(lecturas, default=0.0),
            "duracion": time.monotonic() - inicio,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clientes", type=int, default=60)
    parser.add_argument("--segundos", type=float, default=10.0)
    parser.add_argument("--ruta", choices=["llamadas", "texto"], default="llamadas")
    parser.add_argument("--raiz", type=Path, default=RAIZ)
    parser.add_argument("--database-url", default=None)
    argumentos = parser.parse_args()
    carpeta = Path(tempfile.mkdtemp(prefix="concurrencia-"))
    entorno = {
        "ENTORNO": "pruebas",
        "SECRET_KEY": "clave-solo-para-bench-0123456789abcdefgh",
        "BCRYPT_RONDAS": "4",
        "SEMBRAR_DEMO": "false",
        "PROGRAMADOR_ACTIVO": "false",
        "CLASIFICACION_AUTOMATICA": "true",
        "DATABASE_URL": argumentos.database_url or f"sqlite:///{carpeta}/cc.db",
    }
    registro = carpeta / "uvicorn.log"
    with ServidorUvicorn(entorno, registro=registro, raiz=argumentos.raiz.resolve()) as servidor:
        medida = asyncio.run(
            _medir(servidor.url, argumentos.clientes, argumentos.segundos, argumentos.ruta)
        )
    trazas = registro.read_text(errors="replace").count("Traceback")
    print(
        f"{argumentos.clientes} clientes, {argumentos.ruta}, {medida['duracion']:.1f} s: "
        f"{medida['peticiones']} peticiones {medida['estados']}; "
        f"p50 {medida['p50'] * 1000:.0f} ms, p99 {medida['p99'] * 1000:.0f} ms, "
        f"máx {medida['max'] * 1000:.0f} ms; GET /api/llamadas/ mientras tanto: "
        f"p50 {medida['lista_p50'] * 1000:.0f} ms, máx {medida['lista_max'] * 1000:.0f} ms; "
        f"{trazas} trazas en el registro"
    )


if __name__ == "__main__":
    main()
