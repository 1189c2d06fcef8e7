"""Motor y sesiones de base de datos; pragmas de SQLite (WAL, claves foráneas, espera)."""

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

ESPERA_BLOQUEO_MS = 5000
CERROJO_ARRANQUE = 727002


def _pragmas_sqlite(conexion_dbapi, _registro) -> None:
    cursor = conexion_dbapi.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={ESPERA_BLOQUEO_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def normalizar_url(url: str) -> str:
    """Usa psycopg (v3) para las URL postgresql:// sin controlador explícito."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def crear_motor(url: str, *, conexiones: int | None = None) -> Engine:
    """Crea el motor; en SQLite crea la carpeta del fichero y activa WAL y claves foráneas.

    `conexiones` fija un pool pequeño y sin desborde (el de los trabajos en segundo plano).
    """
    pool = {} if conexiones is None else {"pool_size": conexiones, "max_overflow": 0}
    url = normalizar_url(url)
    if url.startswith("sqlite"):
        ruta = make_url(url).database
        if ruta and ruta != ":memory:":
            Path(ruta).parent.mkdir(parents=True, exist_ok=True)
        motor = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": ESPERA_BLOQUEO_MS / 1000},
            **pool,
        )
        event.listen(motor, "connect", _pragmas_sqlite)
        return motor
    return create_engine(url, pool_pre_ping=True, **(pool or {"pool_size": 10, "max_overflow": 20}))


def crear_fabrica(motor: Engine) -> sessionmaker[Session]:
    """Fábrica de sesiones; los objetos siguen legibles tras el commit."""
    return sessionmaker(bind=motor, expire_on_commit=False)


async def obtener_sesion(request: Request) -> AsyncIterator[Session]:
    """Una sesión por petición; crearla no toca la base, así que no hace falta otro hilo."""
    with request.app.state.fabrica_sesiones() as sesion:
        yield sesion


SesionDep = Annotated[Session, Depends(obtener_sesion)]


def migrar(motor: Engine) -> None:
    """Lleva el esquema a la última revisión de Alembic (con cerrojo en PostgreSQL)."""
    from alembic import command
    from alembic.config import Config

    raiz = Path(__file__).resolve().parent
    configuracion = Config(str(raiz / "alembic.ini"))
    configuracion.set_main_option("script_location", str(raiz / "data" / "migraciones"))
    with motor.begin() as conexion:
        if conexion.dialect.name == "postgresql":
            # Varios procesos arrancando a la vez: solo uno migra, el resto espera.
            conexion.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")
        configuracion.attributes["conexion"] = conexion
        command.upgrade(configuracion, "head")


@contextmanager
def cerrojo_arranque(motor: Engine) -> Iterator[None]:
    """Un solo proceso a la vez prepara la base (migrar y sembrar); los demás esperan."""
    if motor.dialect.name == "postgresql":
        # Cerrojo de sesión en una conexión aparte: la migración y la siembra confirman
        # sus propias transacciones mientras tanto. Esperar a otro proceso no es un fallo:
        # sin límite de tiempo por sentencia mientras se espera.
        with motor.connect() as conexion:
            conexion.exec_driver_sql("SET statement_timeout = 0")
            conexion.exec_driver_sql(f"SELECT pg_advisory_lock({CERROJO_ARRANQUE})")
            conexion.commit()
            try:
                yield
            finally:
                conexion.exec_driver_sql(f"SELECT pg_advisory_unlock({CERROJO_ARRANQUE})")
                conexion.exec_driver_sql("RESET statement_timeout")
                conexion.commit()
        return
    ruta = motor.url.database
    if not ruta or ruta == ":memory:":
        yield
        return
    import fcntl

    # Cerrojo de fichero junto a la base: dos procesos que arrancan a la vez sobre un
    # fichero nuevo no crean las tablas ni siembran a la vez.
    with open(f"{ruta}.arranque", "a+b") as fichero:
        fcntl.flock(fichero, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichero, fcntl.LOCK_UN)
