"""Lo que cuesta en el proceso de la app leer una página de PostgreSQL: en un hilo o en el bucle.

Una página de la lista eran dos sentencias (la vigencia del token y 21 filas). Se pueden leer
con psycopg síncrono en un hilo por turnos (dos a la vez), con psycopg asíncrono en el propio
bucle o con asyncpg en el bucle; la app (lectura_en_bucle.LectorPostgres) usa asyncpg y lee
además la vigencia en la misma sentencia que la página: el último de los cuatro modos.
Este banco hace lo mismo de cada manera, 32 páginas a la vez por el bucle y dos conexiones,
alternando rondas, y da páginas por segundo y CPU del proceso por página (de todos sus hilos).
Sobre la base de `bench/escala.py`:

    python bench/lectura_pg.py [--pg URL] [--paginas 4000] [--rondas 3]
"""

import argparse
import asyncio
import sys
import time
from pathlib import Path

import anyio
import asyncpg
from psycopg_pool import AsyncConnectionPool, ConnectionPool

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
from bench.bases import POSTGRESQL  # noqa: E402

VIGENCIA = "SELECT id, rol, activo, sello FROM usuarios WHERE id = %s"
PAGINA = (
    "SELECT id, usuario_id, numero_cliente, duracion_segundos, tipo, resultado, fecha_hora "
    "FROM llamadas ORDER BY fecha_hora DESC, id DESC LIMIT 21"
)
A_LA_VEZ, CONEXIONES = 32, 2
# Lo mismo con los marcadores de asyncpg, y la página con la vigencia dentro (una sentencia).
VIGENCIA_ASYNCPG = VIGENCIA.replace("%s", "$1")
PAGINA_CON_VIGENCIA = PAGINA.replace(
    " FROM llamadas",
    ", (SELECT sello FROM usuarios WHERE id = $1 AND activo IS true) AS vigencia_sello,"
    " (SELECT rol FROM usuarios WHERE id = $1 AND activo IS true) AS vigencia_rol FROM llamadas",
)


async def _medir(leer, paginas: int) -> tuple[float, float]:
    """(páginas por segundo, µs de CPU del proceso por página) de `paginas` lecturas, 32 a la
    vez, tras calentar."""
    turno = asyncio.Semaphore(A_LA_VEZ)

    async def una() -> None:
        async with turno:
            await leer()

    await asyncio.gather(*(una() for _ in range(200)))
    pared, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(una() for _ in range(paginas)))
    pared, cpu = time.perf_counter() - pared, time.process_time() - cpu
    return paginas / pared, cpu / paginas * 1e6


async def en_hilo(url: str, paginas: int) -> tuple[float, float]:
    """psycopg síncrono, cada página en un hilo con su turno (dos a la vez)."""
    turnos = anyio.CapacityLimiter(CONEXIONES)
    with ConnectionPool(url, min_size=CONEXIONES, max_size=CONEXIONES, open=True) as pool:

        def leer_pagina() -> None:
            with pool.connection() as conexion:
                conexion.autocommit = True
                cursor = conexion.cursor()
                cursor.execute(VIGENCIA, (1,))
                cursor.fetchall()
                cursor.execute(PAGINA)
                cursor.fetchall()

        return await _medir(lambda: anyio.to_thread.run_sync(leer_pagina, limiter=turnos), paginas)


async def en_bucle(url: str, paginas: int) -> tuple[float, float]:
    """psycopg asíncrono en el propio bucle, sin hilos."""
    opciones = {"autocommit": True}
    async with AsyncConnectionPool(
        url, min_size=CONEXIONES, max_size=CONEXIONES, kwargs=opciones, open=False
    ) as pool:

        async def leer_pagina() -> None:
            async with pool.connection() as conexion:
                cursor = conexion.cursor()
                await cursor.execute(VIGENCIA, (1,))
                await cursor.fetchall()
                await cursor.execute(PAGINA)
                await cursor.fetchall()

        return await _medir(leer_pagina, paginas)


async def con_asyncpg(url: str, paginas: int, *, una: bool = False) -> tuple[float, float]:
    """asyncpg en el propio bucle; `una`: la vigencia en la sentencia de la página."""
    libres = [await asyncpg.connect(url) for _ in range(CONEXIONES)]
    turnos = asyncio.Semaphore(CONEXIONES)

    async def leer_pagina() -> None:
        async with turnos:
            conexion = libres.pop()
            try:
                if una:
                    await conexion.fetch(PAGINA_CON_VIGENCIA, 1)
                else:
                    await conexion.fetch(VIGENCIA_ASYNCPG, 1)
                    await conexion.fetch(PAGINA)
            finally:
                libres.append(conexion)

    try:
        return await _medir(leer_pagina, paginas)
    finally:
        for conexion in libres:
            await conexion.close()


async def con_asyncpg_una(url: str, paginas: int) -> tuple[float, float]:
    return await con_asyncpg(url, paginas, una=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=POSTGRESQL)
    parser.add_argument("--paginas", type=int, default=4000)
    parser.add_argument("--rondas", type=int, default=3)
    args = parser.parse_args()
    url = args.pg.replace("postgresql+psycopg://", "postgresql://")
    for ronda in range(1, args.rondas + 1):
        modos = (
            ("psycopg en un hilo", en_hilo),
            ("psycopg en el bucle", en_bucle),
            ("asyncpg en el bucle", con_asyncpg),
            ("asyncpg, una sentencia", con_asyncpg_una),
        )
        for nombre, modo in modos:
            por_segundo, cpu = asyncio.run(modo(url, args.paginas))
            print(f"ronda {ronda} · {nombre:22} {por_segundo:7.0f} pág/s · {cpu:5.0f} µs de CPU")


if __name__ == "__main__":
    main()
