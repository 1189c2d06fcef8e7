"""Motor de PostgreSQL: procrastinate guarda, reparte, reintenta y bloquea los trabajos.

Se encola con la función SQL de procrastinate dentro de la transacción de la petición (el
trabajo existe si y solo si la escritura se confirmó). Cada proceso corre un trabajador de
procrastinate en un hilo con su propio bucle de eventos, su propio pool de conexiones y
sus propios hilos para los manejadores, de modo que no compite con las peticiones HTTP.
"""

import asyncio
import json
import logging
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from psycopg.conninfo import make_conninfo
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from config import Ajustes
from database import crear_fabrica
from modelos.trabajo import TrabajoError
from trabajos.avisos import registrar_fallo
from trabajos.registro import Contexto, ejecutar, espera_reintento, tipos

registro = logging.getLogger("callcenter.trabajos")

COLA = "callcenter"
CERROJO_RECUPERACION = 727003
REINICIO_SEGUNDOS = 5.0

# Inserta con la función de procrastinate, salvo que ya haya uno sin empezar con esa clave.
SQL_ENCOLAR = text(
    """
    SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW(
        :cola, :tipo, 0, :clave, NULL, CAST(:carga AS jsonb), NULL
    )::procrastinate_job_to_defer_v1]))
    WHERE CAST(:clave AS text) IS NULL OR NOT EXISTS (
        SELECT 1 FROM procrastinate_jobs
        WHERE lock = CAST(:clave AS text) AND status = 'todo' AND attempts = 0)
    """
)
# Trabajos en curso de trabajadores sin latido reciente (muertos): vuelven a la cola.
SQL_ATASCADOS = text(
    """
    SELECT j.id FROM procrastinate_jobs AS j
    LEFT JOIN procrastinate_workers AS w ON w.id = j.worker_id
    WHERE j.status = 'doing'
      AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => :segundos))
    """
)


def encolar(
    *, sesion: Session, tipo: str, carga: dict[str, Any], clave_unica: str | None
) -> int | None:
    """Encola en la transacción de la sesión; None si ya había uno sin empezar con esa clave."""
    parametros = {"cola": COLA, "tipo": tipo, "clave": clave_unica, "carga": json.dumps(carga)}
    return sesion.execute(SQL_ENCOLAR, parametros).scalar()


class Reintento(BaseRetryStrategy):
    """Reintento con espera exponencial y tope de intentos, los mismos que el motor local."""

    def __init__(self, ajustes: Callable[[], Ajustes]) -> None:
        self.ajustes = ajustes

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        ajustes = self.ajustes()
        intento = job.attempts + 1
        if intento >= ajustes.trabajos_intentos:
            return None
        espera = espera_reintento(intento, ajustes.trabajos_espera_segundos)
        return RetryDecision(retry_in={"seconds": espera})


def conninfo(motor: Engine) -> str:
    """La conexión del motor como cadena de libpq (`clave=valor`). No vale la URL que escribe
    SQLAlchemy: codifica los espacios como «+» y libpq no los descodifica, así que
    `?options=-c%20search_path%3Dx` llegaba al servidor como `-c+search_path=x` y el pool de
    los trabajos no conectaba."""
    url = motor.url
    partes = url.translate_connect_args(database="dbname", username="user")
    for clave, valor in url.query.items():
        partes[clave] = " ".join(valor) if isinstance(valor, tuple) else valor
    return make_conninfo("", **{k: str(v) for k, v in partes.items()})


class TrabajadorPostgreSQL:
    """Un trabajador de procrastinate por proceso, en su hilo, con conexiones e hilos propios."""

    def __init__(
        self,
        *,
        motor: Engine,
        ajustes: Callable[[], Ajustes],
        hilos: int,
        nombre: str,
        bus: object | None = None,
    ):
        self.motor = motor
        self.fabrica = crear_fabrica(motor, bus=bus)
        self.ajustes = ajustes
        self.hilos = hilos
        self.nombre = nombre
        self._ejecutor = ThreadPoolExecutor(max_workers=hilos, thread_name_prefix="trabajos")
        self._bucle: asyncio.AbstractEventLoop | None = None
        self._tarea: asyncio.Task | None = None
        self._listo = threading.Event()
        self._hilo = threading.Thread(target=self._correr, name="trabajos-pg", daemon=True)
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=conninfo(motor), min_size=1, max_size=3
            )
        )
        for tipo in tipos():
            self.app.task(name=tipo, queue=COLA, pass_context=True, retry=Reintento(ajustes))(
                self._envoltura(tipo)
            )

    def _envoltura(self, tipo: str):
        async def _tarea(contexto_job: JobContext, **carga: Any) -> None:
            job = contexto_job.job
            assert job.id is not None
            bucle = asyncio.get_running_loop()
            await bucle.run_in_executor(
                self._ejecutor, self._ejecutar, tipo, job.id, job.attempts + 1, carga
            )

        _tarea.__name__ = tipo
        return _tarea

    def _ejecutar(self, tipo: str, trabajo_id: int, intento: int, carga: dict[str, Any]) -> None:
        contexto = Contexto(
            fabrica=self.fabrica, ajustes=self.ajustes(), trabajo_id=trabajo_id, intento=intento
        )
        try:
            ejecutar(tipo, carga, contexto)
        except Exception:
            with self.fabrica() as sesion:
                error = traceback.format_exc(limit=5)
                sesion.add(TrabajoError(trabajo_id=trabajo_id, intento=intento, error=error))
                sesion.commit()
            raise

    def iniciar(self) -> None:
        self._hilo.start()
        self._listo.wait(timeout=10)

    def detener(self, espera: float = 30.0) -> None:
        """Deja de tomar trabajos, espera a los que corren y cierra el pool."""
        if self._bucle is not None and self._tarea is not None:
            self._bucle.call_soon_threadsafe(self._tarea.cancel)
        self._hilo.join(timeout=espera)
        self._ejecutor.shutdown(wait=False, cancel_futures=True)
        self.motor.dispose()

    def _correr(self) -> None:
        self._bucle = asyncio.new_event_loop()
        try:
            self._bucle.run_until_complete(self._principal())
        except asyncio.CancelledError:
            pass
        finally:
            self._bucle.close()

    async def _principal(self) -> None:
        """Corre el trabajador; si se cae (base caída, conexión perdida), vuelve a empezar."""
        self._tarea = asyncio.current_task()
        while True:
            try:
                await self._trabajar()
                registro.warning("El trabajador de trabajos se detuvo; se reinicia")
            except Exception as error:
                registrar_fallo(
                    registro, "El trabajador de trabajos falló; se reinicia en 5 s", error
                )
                self._listo.set()
                await asyncio.sleep(REINICIO_SEGUNDOS)

    async def _trabajar(self) -> None:
        ajustes = self.ajustes()
        latido = max(0.5, ajustes.trabajos_arriendo_segundos / 3)
        async with self.app.open_async():
            self._listo.set()
            recuperacion = asyncio.create_task(self._recuperar_siempre(latido))
            try:
                await self.app.run_worker_async(
                    queues=[COLA],
                    name=self.nombre,
                    concurrency=self.hilos,
                    install_signal_handlers=False,
                    update_heartbeat_interval=latido,
                    stalled_worker_timeout=ajustes.trabajos_arriendo_segundos,
                    fetch_job_polling_interval=ajustes.trabajos_sondeo_segundos,
                    shutdown_graceful_timeout=None,
                )
            finally:
                recuperacion.cancel()

    async def _recuperar_siempre(self, periodo: float) -> None:
        bucle = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(periodo)
            try:
                await bucle.run_in_executor(None, self.recuperar_atascados)
            except Exception as error:
                registrar_fallo(registro, "No se pudieron recuperar los trabajos atascados", error)

    def recuperar_atascados(self) -> int:
        """Devuelve a la cola los trabajos de trabajadores muertos (un proceso a la vez)."""
        segundos = self.ajustes().trabajos_arriendo_segundos
        with self.motor.begin() as conexion:
            cerrojo = text("SELECT pg_try_advisory_xact_lock(:clave)")
            if not conexion.execute(cerrojo, {"clave": CERROJO_RECUPERACION}).scalar():
                return 0
            atascados = list(conexion.execute(SQL_ATASCADOS, {"segundos": segundos}).scalars())
            for trabajo_id in atascados:
                conexion.execute(
                    text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"),
                    {"id": trabajo_id},
                )
        for trabajo_id in atascados:
            registro.warning("trabajo %s retomado: su trabajador dejó de latir", trabajo_id)
        return len(atascados)
