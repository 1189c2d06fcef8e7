"""Motor y sesiones de base de datos; pragmas de SQLite (WAL, claves foráneas, espera),
plazos de conexión y de sentencia en PostgreSQL y pools dimensionados por proceso."""

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from config import Ajustes

registro = logging.getLogger("callcenter.bd")
T = TypeVar("T")

ESPERA_BLOQUEO_MS = 5000
CONEXIONES_EXTRA_PROCESO = 4  # programador, /salud y tareas de fondo, además de las peticiones
CERROJO_ARRANQUE = 727002


def _pragmas_sqlite(conexion_dbapi, _registro, *, espera_ms: int = ESPERA_BLOQUEO_MS) -> None:
    cursor = conexion_dbapi.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(espera_ms)}")
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


def _total_por_proceso(ajustes: "Ajustes") -> int:
    """total = min(MAX_PETICIONES_EN_VUELO + 4 + METRICAS_LECTURAS_A_LA_VEZ
    [+ PG_LECTURAS_EN_BUCLE], (PG_MAX_CONEXIONES - PG_CONEXIONES_RESERVA) // N)"""
    extra = CONEXIONES_EXTRA_PROCESO + ajustes.metricas_lecturas_a_la_vez
    necesarias = ajustes.max_peticiones_en_vuelo + extra
    if ajustes.es_sqlite:
        return necesarias
    necesarias += ajustes.pg_lecturas_en_bucle
    disponibles = ajustes.pg_max_conexiones - ajustes.pg_conexiones_reserva
    return max(2, min(necesarias, disponibles // ajustes.workers))


def conexiones_lecturas_cortas(ajustes: "Ajustes", dialecto: str | None = None) -> int:
    """Conexiones de las lecturas cortas de PostgreSQL en el bucle (lectura_en_bucle.py),
    sacadas del total del proceso: PG_LECTURAS_EN_BUCLE, como mucho la cuarta parte del total
    (con muchos procesos, el resto es de las peticiones) y dejando al menos 2 al pool general
    (0: sin ellas). En SQLite, 0 (sus lecturas cortas usan una conexión propia de solo lectura).
    `dialecto`: el del motor, si se conoce (si no, el de DATABASE_URL)."""
    if (dialecto or ("sqlite" if ajustes.es_sqlite else "postgresql")) == "sqlite":
        return 0
    total = _total_por_proceso(ajustes)
    return max(0, min(ajustes.pg_lecturas_en_bucle, total - 2, max(1, total // 4)))


def conexiones_por_proceso(ajustes: "Ajustes") -> tuple[int, int]:
    """(pool_size, max_overflow) del pool general de un proceso; con las de las lecturas
    cortas suman el total, así que N procesos nunca pasan del límite del servidor."""
    total = _total_por_proceso(ajustes) - conexiones_lecturas_cortas(ajustes)
    # Todas fijas, sin desborde: una de desborde se cierra al devolverla con el pool lleno y se
    # vuelve a abrir en la siguiente ráfaga (en SQLite con los pragmas, en PostgreSQL con TCP y
    # autenticación): un coste por petición con carga sostenida. Se abren cuando hacen falta.
    return total, 0


def peticiones_en_vuelo(ajustes: "Ajustes") -> int:
    """Peticiones admitidas a la vez por proceso: no más que conexiones para ellas, para que
    la única espera sea la cola de admisión (acotada) y no el pool."""
    base, extra = conexiones_por_proceso(ajustes)
    libres = base + extra - CONEXIONES_EXTRA_PROCESO - huecos_de_apoyo(ajustes)
    return max(1, min(ajustes.max_peticiones_en_vuelo, libres))


def huecos_de_apoyo(ajustes: "Ajustes") -> int:
    """Hilos de apoyo de las métricas (servicios/metricas_a_la_vez.py), con su conexión del pool
    general: METRICAS_LECTURAS_A_LA_VEZ, hasta la cuarta parte de las de las peticiones."""
    de_peticiones = max(0, sum(conexiones_por_proceso(ajustes)) - CONEXIONES_EXTRA_PROCESO)
    return min(ajustes.metricas_lecturas_a_la_vez, de_peticiones // 4)


def crear_motor(
    url: str,
    ajustes: "Ajustes | None" = None,
    *,
    conexiones: int | None = None,
    espera_ms: int | None = None,
) -> Engine:
    """Crea el motor; en SQLite crea la carpeta del fichero y activa WAL y claves foráneas.

    Con ajustes, el pool sale de `conexiones_por_proceso` y toda espera tiene plazo: sacar una
    conexión del pool, conectar y (en PostgreSQL) cada sentencia. `conexiones` fija un pool
    pequeño y sin desborde (el de los trabajos en segundo plano). `espera_ms`: espera de bloqueo
    de SQLite (por defecto la de los ajustes)."""
    url = normalizar_url(url)
    opciones_pool: dict = {}
    if ajustes is not None:
        base, extra = conexiones_por_proceso(ajustes)
        opciones_pool = {
            "pool_size": base,
            "max_overflow": extra,
            "pool_timeout": ajustes.bd_espera_conexion_segundos,
        }
    if conexiones is not None:
        opciones_pool = {**opciones_pool, "pool_size": conexiones, "max_overflow": 0}
    if url.startswith("sqlite"):
        ruta = make_url(url).database
        if ruta and ruta != ":memory:":
            Path(ruta).parent.mkdir(parents=True, exist_ok=True)
        if espera_ms is None:
            espera_ms = ajustes.sqlite_espera_bloqueo_ms if ajustes else ESPERA_BLOQUEO_MS
        memoria = not ruta or ruta == ":memory:"
        motor = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": espera_ms / 1000},
            **({} if memoria else opciones_pool),
        )
        event.listen(motor, "connect", partial(_pragmas_sqlite, espera_ms=espera_ms))
        return motor
    if ajustes is None:
        opciones_pool = opciones_pool or {"pool_size": 10, "max_overflow": 20}
    argumentos = argumentos_postgresql(url, ajustes)
    return create_engine(url, pool_pre_ping=True, connect_args=argumentos, **opciones_pool)


def argumentos_postgresql(
    url: str, ajustes: "Ajustes | None", *, sin_paralelismo: bool = False
) -> dict:
    """Argumentos de conexión de psycopg: la sesión en UTC (psycopg da las fechas con zona UTC,
    como las lee la lista sin convertirlas, crud/paginacion.FechaDirecta; todo el SQL del
    proyecto nombra su zona), los plazos de los ajustes y, con `sin_paralelismo`, sin
    trabajadores paralelos; las opciones de la URL (p. ej. search_path) se conservan."""
    opciones = ["-c timezone=UTC"]
    argumentos: dict = {}
    if ajustes is not None:
        argumentos["connect_timeout"] = ajustes.bd_timeout_conexion_segundos
        if ajustes.bd_timeout_sentencia_ms:
            opciones.append(f"-c statement_timeout={ajustes.bd_timeout_sentencia_ms}")
    if sin_paralelismo:
        opciones.append("-c max_parallel_workers_per_gather=0")
    opciones_url = make_url(normalizar_url(url)).query.get("options") or ""
    if isinstance(opciones_url, tuple):
        opciones_url = " ".join(opciones_url)
    argumentos["options"] = " ".join([opciones_url, *opciones]).strip()
    return argumentos


def leer_con_reintento(motor: Engine, leer: Callable[[Connection], T]) -> T:
    """`leer(conexion)` con una conexión de `motor`; si la conexión estaba caída (la base se
    reinició desde que se abrió), SQLAlchemy invalida el pool y se repite una vez con una
    nueva. Solo para lecturas: repetirlas no cambia nada."""
    try:
        with motor.connect() as conexion:
            return leer(conexion)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        registro.warning("Conexión caída en una lectura; se repite con otra")
    with motor.connect() as conexion:
        return leer(conexion)


def crear_fabrica(motor: Engine, *, bus: object | None = None) -> sessionmaker[Session]:
    """Fábrica de sesiones; los objetos siguen legibles tras el commit. Con bus, los servicios
    publican en él los eventos en vivo (lo leen de Session.info)."""
    info = {"bus_eventos": bus} if bus is not None else None
    return sessionmaker(bind=motor, expire_on_commit=False, info=info)


def _cerrar(sesion: Session) -> None:
    try:
        sesion.close()
    except SQLAlchemyError as error:  # conexión ya rota: se descarta, la respuesta ya salió
        registro.debug("No se pudo cerrar la sesión: %s", error)


async def obtener_sesion(request: Request) -> AsyncIterator[Session]:
    """Una sesión por petición. Crearla no toca la base (se hace en el bucle, sin saltar a un
    hilo); cerrarla con una transacción abierta sí (ROLLBACK, y con la base colgada eso pararía
    el bucle), así que entonces se cierra en un hilo. Sin transacción, cerrar es inmediato."""
    sesion = request.app.state.fabrica_sesiones()
    try:
        yield sesion
    finally:
        if sesion.in_transaction():
            await run_in_threadpool(_cerrar, sesion)
        else:
            _cerrar(sesion)


SesionDep = Annotated[Session, Depends(obtener_sesion)]


def motor_de(request: Request) -> Engine:
    """El motor de la app de la petición (el de su fábrica de sesiones)."""
    return request.app.state.fabrica_sesiones.kw["bind"]


def liberar_conexion(sesion: Session) -> None:
    """Cierra la transacción de lectura y devuelve la conexión al pool antes de un trabajo
    largo sin base (LLM, clasificador); los objetos cargados siguen legibles."""
    sesion.commit()


def migrar(motor: Engine) -> None:
    """Lleva el esquema a la última revisión de Alembic (con cerrojo en PostgreSQL)."""
    from alembic import command
    from alembic.config import Config

    raiz = Path(__file__).resolve().parent
    configuracion = Config(str(raiz / "alembic.ini"))
    configuracion.set_main_option("script_location", str(raiz / "data" / "migraciones"))
    with motor.connect() as conexion, claves_foraneas_desactivadas(conexion):
        with conexion.begin():
            if conexion.dialect.name == "postgresql":
                # Migrar (o esperar a quien migra) puede pasar del plazo de sentencia.
                conexion.exec_driver_sql("SET LOCAL statement_timeout = 0")
                # Varios procesos arrancando a la vez: solo uno migra, el resto espera.
                conexion.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")
            configuracion.attributes["conexion"] = conexion
            command.upgrade(configuracion, "head")


@contextmanager
def claves_foraneas_desactivadas(conexion: Connection) -> Iterator[None]:
    """En SQLite, claves foráneas apagadas mientras se migra (reconstruir una tabla las exige).

    SQLite solo acepta el cambio fuera de una transacción; al terminar se vuelven a encender
    antes de devolver la conexión al pool.
    """
    if conexion.dialect.name != "sqlite":
        yield
        return
    conexion.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conexion.commit()
    try:
        yield
    finally:
        conexion.rollback()
        conexion.exec_driver_sql("PRAGMA foreign_keys=ON")
        conexion.commit()


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
