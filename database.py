"""Motor y sesiones de base de datos; pragmas de SQLite (WAL, claves foráneas, espera)."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

ESPERA_BLOQUEO_MS = 5000


def _pragmas_sqlite(conexion_dbapi, _registro) -> None:
    cursor = conexion_dbapi.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={ESPERA_BLOQUEO_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # La auditoría solo se purga donde crud/auditoria.py lo permite (ver migración 0008).
    conexion_dbapi.create_function("callcenter_purga_auditoria", 0, lambda: 0)
    cursor.close()


def normalizar_url(url: str) -> str:
    """Usa psycopg (v3) para las URL postgresql:// sin controlador explícito."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def crear_motor(url: str) -> Engine:
    """Crea el motor; en SQLite crea la carpeta del fichero y activa WAL y claves foráneas."""
    url = normalizar_url(url)
    if url.startswith("sqlite"):
        ruta = make_url(url).database
        if ruta and ruta != ":memory:":
            Path(ruta).parent.mkdir(parents=True, exist_ok=True)
        motor = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": ESPERA_BLOQUEO_MS / 1000}
        )
        event.listen(motor, "connect", _pragmas_sqlite)
        return motor
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


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
