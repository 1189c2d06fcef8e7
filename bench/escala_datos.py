"""Datos de bench/escala.py: una base migrada con N llamadas de un año y sus clasificaciones,
cargadas en bloque (executemany en SQLite, COPY en PostgreSQL), no por la API.

Los índices secundarios se quitan durante la carga y se rehacen después (como una importación
masiva real); los ids crecen con la fecha, como en un centro que registra al momento.
"""

import random
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import select
from sqlalchemy.engine import make_url

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

# Las mismas mezclas de tipos, resultados y categorías que el banco de métricas.
from bench.metricas import CATEGORIAS, RESULTADOS, TIPOS  # noqa: E402
from config import Ajustes  # noqa: E402
from crud.metrica_diaria import primera_llamada  # noqa: E402
from database import crear_fabrica, crear_motor, migrar  # noqa: E402
from modelos.enums import Rol  # noqa: E402
from modelos.usuario import Usuario  # noqa: E402
from servicios import metricas_diarias  # noqa: E402
from servicios.calendario import dia_local  # noqa: E402
from servicios.semilla import sembrar_usuarios  # noqa: E402

TABLAS = ("llamadas", "clasificacion_ia")
LOTE = 50_000
FIJOS_CLASIFICACION = ("Seguir el protocolo", "neutral", "local", "bench", 0)
COLUMNAS_LLAMADA = (
    "id, usuario_id, numero_cliente, duracion_segundos, tipo, resultado, fecha_hora, "
    "satisfaccion, tiempo_espera_segundos, direccion, creado_en, actualizado_en"
)
COLUMNAS_CLASIFICACION = (
    "llamada_id, categoria, confianza, recomendacion_agente, sentimiento, motor, modelo, "
    "latencia_ms, creado_en"
)


def ajustes_de(url: str) -> Ajustes:
    return Ajustes(
        _env_file=None,
        database_url=url,
        bcrypt_rondas=4,
        sembrar_demo=False,
        programador_activo=False,
    )


def preparar_esquema(url: str, agentes: int) -> list[int]:
    """Migra, siembra los usuarios iniciales y N agentes; devuelve los ids de los agentes."""
    ajustes = ajustes_de(url)
    motor = crear_motor(url)
    migrar(motor)
    with crear_fabrica(motor)() as sesion:
        sembrar_usuarios(sesion=sesion, ajustes=ajustes)
        hash_ = sesion.scalar(select(Usuario.password_hash).limit(1))
        nuevos = [
            Usuario(
                nombre=f"Agente {i:03d}",
                email=f"agente{i:03d}@bench.example",
                password_hash=hash_,
                rol=Rol.agente,
            )
            for i in range(agentes)
        ]
        sesion.add_all(nuevos)
        sesion.commit()
        ids = [u.id for u in nuevos]
    motor.dispose()
    return ids


def generar(
    llamadas: int, agentes: list[int], ahora: datetime
) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """Lotes de (llamadas, clasificaciones), de la más antigua a la más reciente."""
    azar = random.Random(42)
    segundos = sorted(azar.uniform(60, 365 * 86_400) for _ in range(llamadas))[::-1]
    clientes = [f"+346{n:08d}" for n in azar.sample(range(10**8), 200_000)]
    for base in range(0, llamadas, LOTE):
        filas, clasificaciones = [], []
        for llamada_id in range(base + 1, min(base + LOTE, llamadas) + 1):
            instante = ahora - timedelta(seconds=segundos[llamada_id - 1])
            filas.append(
                (
                    llamada_id,
                    azar.choice(agentes),
                    azar.choice(clientes),
                    azar.randint(20, 900),
                    azar.choice(TIPOS),
                    azar.choice(RESULTADOS),
                    instante,
                    azar.randint(1, 5) if azar.random() < 0.6 else None,
                    azar.randint(0, 90) if azar.random() < 0.8 else None,
                    "entrante" if azar.random() < 0.85 else "saliente",
                    instante,
                    instante,
                )
            )
            if azar.random() < 0.7:
                confianza = round(azar.uniform(0.4, 1), 3)
                clasificaciones.append((llamada_id, azar.choice(CATEGORIAS), confianza, instante))
        yield filas, clasificaciones


def _fechas_a_texto(fila: tuple, formato: str) -> tuple:
    return tuple(v.strftime(formato) if isinstance(v, datetime) else v for v in fila)


def _sqlite(url: str, lotes: Iterator) -> None:
    import sqlite3

    conexion = sqlite3.connect(make_url(url).database)
    conexion.execute("PRAGMA synchronous=OFF")
    # Índices y disparadores (invalidan fotos de métricas: aún no hay ninguna) fuera durante
    # la carga y de vuelta al final, como en una importación masiva.
    objetos = conexion.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND sql IS NOT NULL AND tbl_name IN {TABLAS}"
    ).fetchall()
    for tipo, nombre, _ in objetos:
        conexion.execute(f'DROP {tipo.upper()} "{nombre}"')
    formato = "%Y-%m-%d %H:%M:%S.%f"
    for filas, clasificaciones in lotes:
        with conexion:
            conexion.executemany(
                f"INSERT INTO llamadas ({COLUMNAS_LLAMADA}) VALUES ({', '.join('?' * 12)})",
                [_fechas_a_texto(f, formato) for f in filas],
            )
            conexion.executemany(
                f"INSERT INTO clasificacion_ia ({COLUMNAS_CLASIFICACION}) "
                f"VALUES ({', '.join('?' * 9)})",
                [(*c[:3], *FIJOS_CLASIFICACION, c[3].strftime(formato)) for c in clasificaciones],
            )
        print(f"  {filas[-1][0]:>9,} llamadas", flush=True)
    for _, _, sql in objetos:
        conexion.execute(sql)
    conexion.execute("ANALYZE")
    conexion.commit()
    conexion.close()


def _postgresql(url: str, lotes: Iterator) -> None:
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conexion:
        indices = conexion.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(TABLAS),),
        ).fetchall()
        for nombre, _ in indices:
            conexion.execute(f'DROP INDEX "{nombre}"')
        for tabla in TABLAS:
            conexion.execute(f"ALTER TABLE {tabla} DISABLE TRIGGER USER")
        for filas, clasificaciones in lotes:
            with conexion.cursor() as cursor:
                with cursor.copy(f"COPY llamadas ({COLUMNAS_LLAMADA}) FROM STDIN") as copia:
                    for fila in filas:
                        copia.write_row(fila)
                orden = f"COPY clasificacion_ia ({COLUMNAS_CLASIFICACION}) FROM STDIN"
                with cursor.copy(orden) as copia:
                    for c in clasificaciones:
                        copia.write_row((*c[:3], *FIJOS_CLASIFICACION, c[3]))
            print(f"  {filas[-1][0]:>9,} llamadas", flush=True)
        for _, definicion in indices:
            conexion.execute(definicion)
        for tabla in TABLAS:
            conexion.execute(f"ALTER TABLE {tabla} ENABLE TRIGGER USER")
            conexion.execute(
                f"SELECT setval(pg_get_serial_sequence('{tabla}', 'id'), "
                f"(SELECT max(id) FROM {tabla}))"
            )
            conexion.execute(f"VACUUM ANALYZE {tabla}")


def crear_base_pg(url: str) -> None:
    """Borra y crea la base de la URL (se conecta a la base `postgres` del mismo servidor)."""
    destino = make_url(url)
    admin = destino.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conexion:
        conexion.execute(f'DROP DATABASE IF EXISTS "{destino.database}" WITH (FORCE)')
        conexion.execute(f'CREATE DATABASE "{destino.database}"')


def llenar(url: str, llamadas: int, agentes: int, ahora: datetime) -> float:
    """Base nueva en `url` con las llamadas; devuelve los segundos de la carga en bloque."""
    if url.startswith("sqlite"):
        ruta = Path(make_url(url).database)
        for sufijo in ("", "-wal", "-shm"):
            Path(f"{ruta}{sufijo}").unlink(missing_ok=True)
    else:
        crear_base_pg(url)
    ids = preparar_esquema(url, agentes)
    inicio = time.perf_counter()
    lotes = generar(llamadas, ids, ahora)
    (_sqlite if url.startswith("sqlite") else _postgresql)(url, lotes)
    return time.perf_counter() - inicio


def construir_fotos(url: str, ahora: datetime) -> float:
    """Fotos diarias de todos los días cerrados tras la importación, como haría el programador
    (una consulta agrupada por racha de días); devuelve los segundos."""
    ajustes = ajustes_de(url)
    motor = crear_motor(url)
    inicio = time.perf_counter()
    with crear_fabrica(motor)() as sesion:
        primera = primera_llamada(sesion=sesion)
        if primera is not None:
            metricas_diarias.guardar_pendientes(
                sesion=sesion,
                primer_dia=dia_local(primera, ajustes.zona),
                ultimo_dia=metricas_diarias.ultimo_dia_cerrado(ahora, ajustes.zona),
                ajustes=ajustes,
            )
    motor.dispose()
    if not url.startswith("sqlite"):
        # Como tras la carga: el mapa de visibilidad al día deja sumar desde el índice que cubre
        # la tabla por agente sin visitar las filas (el autovacuum lo haría en cuanto pasara).
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conexion:
            conexion.execute("VACUUM ANALYZE metricas, metricas_agentes")
    return time.perf_counter() - inicio
