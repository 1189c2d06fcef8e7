"""Tableros en vivo: N flujos SSE abiertos mientras se registran llamadas a ritmo fijo.

Mide la latencia de cada evento llamada_creada desde que sale el POST hasta que llega a cada
flujo (p50/p99), cuántos faltan o piden resincronizar, y la CPU y la memoria (RSS) del
servidor. Con --refrescar cada tablero vuelve a pedir GET /api/tablero/ con cada pista kpis,
como hace la consola. Los lectores van en procesos aparte y leen el texto SSE a mano
(asyncio puro) para que el cliente no sea el cuello de botella.

Opciones en `python bench/tablero.py --help`.
Sin --con-clasificacion la clasificación automática está apagada: se mide el camino de los
eventos, no el clasificador (que tiene su propio banco, bench/clasificacion_api.py).
"""

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from bench.carga import puerto_libre  # noqa: E402

ID_CREADA = re.compile(rb'event: llamada_creada\ndata: \{"id":(\d+)')


def arrancar(puerto: int, entorno: dict[str, str], workers: int) -> subprocess.Popen:
    orden = [sys.executable, "-m", "uvicorn", "main:app", "--port", str(puerto)]
    orden += ["--log-level", "warning", "--no-access-log", "--workers", str(workers)]
    proceso = subprocess.Popen(
        orden, cwd=RAIZ, env={**os.environ, **entorno}, start_new_session=True
    )
    for _ in range(900):
        try:
            if httpx.get(f"http://127.0.0.1:{puerto}/salud", timeout=1).status_code == 200:
                return proceso
        except httpx.HTTPError:
            time.sleep(0.1)
    proceso.kill()
    sys.exit("uvicorn no arrancó")


async def _flujo(
    puerto: int,
    token: str,
    cliente: httpx.AsyncClient | None,
    salida: dict,
    abiertos: list[asyncio.StreamWriter],
) -> None:
    """Un tablero: lee el SSE crudo y apunta cuándo llega cada llamada creada."""
    lector, escritor = await asyncio.open_connection("127.0.0.1", puerto)
    peticion = f"GET /api/eventos HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer {token}\r\n\r\n"
    escritor.write(peticion.encode())
    await lector.readuntil(b"retry: ")
    abiertos.append(escritor)  # al final se cierra desde fuera: la lectura devuelve b""
    resto, tareas = b"", set()
    try:
        while True:
            try:
                datos = await lector.read(1 << 16)
            except ConnectionError:
                break
            if not datos:
                break
            instante = time.monotonic()
            *bloques, resto = (resto + datos).split(b"\n\n")
            for bloque in bloques:
                coincidencia = ID_CREADA.search(bloque)
                if coincidencia:
                    salida["llegadas"].append((int(coincidencia.group(1)), instante))
                elif b"event: resincronizar" in bloque:
                    salida["resincronizar"] += 1
                elif b"event: kpis" in bloque:
                    salida["kpis"] += 1
                    if cliente is not None:
                        tarea = asyncio.create_task(_refrescar(cliente, token, salida))
                        tareas.add(tarea)
                        tarea.add_done_callback(tareas.discard)
    finally:
        escritor.close()
        await asyncio.gather(*tareas, return_exceptions=True)


async def _refrescar(cliente: httpx.AsyncClient, token: str, salida: dict) -> None:
    inicio = time.monotonic()
    respuesta = await cliente.get("/api/tablero/", headers={"Authorization": f"Bearer {token}"})
    salida["refrescos"].append((time.monotonic() - inicio, respuesta.status_code))


def lectores(puerto: int, token: str, flujos: int, parar, refrescar: bool, cola, listos) -> None:
    """Proceso lector: abre sus flujos, avisa cuando todos están abiertos y al final devuelve
    lo que vio cada uno. Un solo cliente HTTP por proceso para los refrescos."""

    async def principal() -> list[dict]:
        cliente = None
        if refrescar:
            limites = httpx.Limits(max_connections=flujos)
            cliente = httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{puerto}", timeout=30, limits=limites
            )
        salidas = [
            {"llegadas": [], "resincronizar": 0, "kpis": 0, "refrescos": []} for _ in range(flujos)
        ]
        abiertos: list[asyncio.StreamWriter] = []
        tareas = [asyncio.create_task(_flujo(puerto, token, cliente, s, abiertos)) for s in salidas]
        while len(abiertos) < flujos:
            await asyncio.sleep(0.05)
        listos.put(os.getpid())
        while not parar.is_set():
            await asyncio.sleep(0.2)
        for escritor in abiertos:
            escritor.transport.abort()
        await asyncio.gather(*tareas)
        if cliente is not None:
            await cliente.aclose()
        return salidas

    cola.put(asyncio.run(principal()))


async def escribir(
    base: str, token: str, ritmo: float, segundos: float, duraciones: list[float]
) -> dict[int, float]:
    """POST /api/llamadas/ a ritmo fijo (sin esperar a la anterior); id -> instante de envío."""
    enviados: dict[int, float] = {}
    cabeceras = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=30) as cliente:

        async def una(numero: int) -> None:
            cuerpo = {
                "numero_cliente": f"6{numero:08d}",
                "duracion_segundos": 120 + numero % 300,
                "tipo": "soporte",
                "resultado": "resuelta",
                "descripcion": f"Cliente {numero} sin conexión; se reinicia el router y funciona.",
                "satisfaccion": 1 + numero % 5,
                "tiempo_espera_segundos": numero % 40,
            }
            inicio = time.monotonic()
            respuesta = await cliente.post("/api/llamadas/", json=cuerpo, headers=cabeceras)
            duraciones.append(time.monotonic() - inicio)
            if respuesta.status_code == 201:
                enviados[respuesta.json()["id"]] = inicio

        tareas, comienzo = [], time.monotonic()
        for numero in range(int(ritmo * segundos)):
            await asyncio.sleep(max(0.0, comienzo + numero / ritmo - time.monotonic()))
            tareas.append(asyncio.create_task(una(numero)))
        await asyncio.gather(*tareas)
    return enviados


def procesos_servidor(pid: int) -> list[psutil.Process]:
    padre = psutil.Process(pid)
    return [padre, *padre.children(recursive=True)]


def medir(opciones, flujos: int) -> dict:
    temporal = Path(tempfile.mkdtemp(prefix="bench-tablero-"))
    entorno = {
        "DATABASE_URL": opciones.database_url or f"sqlite:///{temporal / 'tablero.db'}",
        "REDIS_URL": opciones.redis_url or "",
        "SEMBRAR_DEMO": "false",
        "PROGRAMADOR_ACTIVO": "false",
        "OPENAI_BASE_URL": "",
        "LOGIN_INTENTOS": "1000000",
        "CLASIFICACION_AUTOMATICA": "true" if opciones.con_clasificacion else "false",
    }
    puerto = puerto_libre()
    servidor = arrancar(puerto, entorno, opciones.workers)
    base = f"http://127.0.0.1:{puerto}"
    try:
        entrar = {"email": "sup@example.com", "password": "123456"}
        token = httpx.post(f"{base}/api/usuarios/login", json=entrar).json()["access_token"]
        entrar["email"] = "agente1@example.com"
        token_agente = httpx.post(f"{base}/api/usuarios/login", json=entrar).json()["access_token"]
        parar = multiprocessing.Event()
        cola, listos = multiprocessing.Queue(), multiprocessing.Queue()
        n_lectores = min(opciones.procesos_lectores, flujos)
        reparto = [flujos // n_lectores + (i < flujos % n_lectores) for i in range(n_lectores)]
        hijos = [
            multiprocessing.Process(
                target=lectores, args=(puerto, token, n, parar, opciones.refrescar, cola, listos)
            )
            for n in reparto
        ]
        for hijo in hijos:
            hijo.start()
        pids_lectores = [listos.get(timeout=60) for _ in hijos]  # todos abiertos antes de escribir
        del_cliente = [psutil.Process(pid) for pid in pids_lectores]
        cpu_cliente = sum(sum(p.cpu_times()[:2]) for p in del_cliente)
        del_servidor = procesos_servidor(servidor.pid)
        cpu_antes = sum(sum(p.cpu_times()[:2]) for p in del_servidor)
        rss_maxima, comienzo, duraciones = 0, time.monotonic(), []

        async def escribir_y_muestrear() -> dict[int, float]:
            nonlocal rss_maxima
            tarea = asyncio.create_task(
                escribir(base, token_agente, opciones.ritmo, opciones.segundos, duraciones)
            )
            while not tarea.done():
                rss_maxima = max(rss_maxima, sum(p.memory_info().rss for p in del_servidor))
                await asyncio.sleep(0.5)
            return await tarea

        enviados = asyncio.run(escribir_y_muestrear())
        duracion = time.monotonic() - comienzo
        cpu = (sum(sum(p.cpu_times()[:2]) for p in del_servidor) - cpu_antes) / duracion
        cpu_cliente = (sum(sum(p.cpu_times()[:2]) for p in del_cliente) - cpu_cliente) / duracion
        time.sleep(3)  # lo que aún esté en camino
        parar.set()
        salidas = [s for _ in hijos for s in cola.get()]
        for hijo in hijos:
            hijo.join()
    finally:
        servidor.terminate()
        try:
            servidor.wait(30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(servidor.pid, signal.SIGKILL)
    latencias, faltan = [], 0
    for salida in salidas:
        llegadas = dict(salida["llegadas"])
        for llamada_id, inicio in enviados.items():
            if llamada_id in llegadas:
                latencias.append((llegadas[llamada_id] - inicio) * 1000)
            else:
                faltan += 1
    latencias.sort()
    refrescos = [r for s in salidas for r in s["refrescos"]]
    return {
        "flujos": flujos,
        "llamadas": len(enviados),
        "eventos": len(latencias),
        "faltan": faltan,
        "resincronizar": sum(s["resincronizar"] for s in salidas),
        "p50_ms": statistics.median(latencias) if latencias else float("nan"),
        "p99_ms": latencias[int(len(latencias) * 0.99) - 1] if latencias else float("nan"),
        "cpu_pct": cpu * 100,
        "cpu_lectores_pct": cpu_cliente * 100,
        "rss_mb": rss_maxima / 2**20,
        "post_p99_ms": sorted(duraciones)[int(len(duraciones) * 0.99) - 1] * 1000,
        "refrescos": len(refrescos),
        "refresco_p50_ms": statistics.median(r[0] for r in refrescos) * 1000 if refrescos else 0,
        "refresco_errores": sum(1 for r in refrescos if r[1] != 200),
    }


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--flujos", default="10,100,500")
    argumentos.add_argument("--segundos", type=float, default=20)
    argumentos.add_argument("--ritmo", type=float, default=20, help="llamadas por segundo")
    argumentos.add_argument("--refrescar", action="store_true")
    argumentos.add_argument("--workers", type=int, default=1)
    argumentos.add_argument("--redis-url")
    argumentos.add_argument("--database-url")
    argumentos.add_argument(
        "--con-clasificacion",
        action="store_true",
        help="clasificación automática activa: un evento llamada_clasificada más por llamada",
    )
    argumentos.add_argument("--procesos-lectores", type=int, default=2)
    opciones = argumentos.parse_args()
    columnas = [
        ("flujos", "flujos", "d"),
        ("llamadas", "llamadas", "d"),
        ("eventos", "eventos", "d"),
        ("faltan", "faltan", "d"),
        ("resinc", "resincronizar", "d"),
        ("p50 ms", "p50_ms", ".0f"),
        ("p99 ms", "p99_ms", ".0f"),
        ("POST p99", "post_p99_ms", ".0f"),
        ("CPU srv %", "cpu_pct", ".0f"),
        ("RSS MB", "rss_mb", ".0f"),
        ("CPU lect %", "cpu_lectores_pct", ".0f"),
        ("refrescos", "refrescos", "d"),
        ("ref p50", "refresco_p50_ms", ".0f"),
    ]
    print(" ".join(f"{t:>10}" for t, _, _ in columnas), flush=True)
    for flujos in (int(n) for n in opciones.flujos.split(",")):
        r = medir(opciones, flujos)
        print(" ".join(f"{r[c]:>10{f}}" for _, c, f in columnas), flush=True)


if __name__ == "__main__":
    main()
