"""Lecturas en vivo de unas métricas, repartidas entre varias conexiones a la vez.

Con fotos diarias, lo que unas métricas leen en vivo son unos pocos tramos independientes: el
día de hoy, el borde del periodo y el del periodo anterior (sus sumas y sus franjas). En serie
se suman (en PostgreSQL a 1 000 000 de llamadas, ~22 ms de ~55); cada tramo es una consulta
que en PostgreSQL espera al servidor y en SQLite corre sin el GIL, así que a la vez cuestan lo
que el más largo. Antes de calcular, quien calcula y hasta `huecos` hilos de apoyo, cada uno con
su sesión, toman lecturas de una misma cola (de la más larga a la más corta) y lo leído queda en
la memoria del cálculo, que después ya no lo lee.

Los huecos son del proceso entero y se toman sin esperar: con todos ocupados (muchas métricas a
la vez), quien calcula lo lee todo, como en serie. Sus conexiones salen del pool general y
cuentan en el total por proceso (database.py). Cada lectura es la misma consulta que en serie:
el resultado no cambia; en PostgreSQL cada tramo tiene su instantánea, como ya la tenía cada
sentencia en READ COMMITTED. Solo para un cálculo que solo lee (otra conexión no vería lo que
la transacción de quien calcula aún no confirmó).
"""

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from config import Ajustes
from crud import metrica as crud_metrica
from crud import metrica_franjas
from crud.metrica import FiltrosMetricas
from servicios.metricas_plan import Tramo, con_desfase

# Lee en la sesión que recibe y deja lo leído en el diccionario (la memoria del cálculo).
Lectura = Callable[[Session, dict], None]

_cuenta = threading.Lock()
leidas_en_apoyo = 0  # lecturas hechas por hilos de apoyo desde el arranque (pruebas, depuración)


@cache
def _apoyo(huecos: int) -> tuple[threading.BoundedSemaphore, ThreadPoolExecutor]:
    """Los huecos del proceso y sus hilos, uno por hueco."""
    return threading.BoundedSemaphore(huecos), ThreadPoolExecutor(
        max_workers=huecos, thread_name_prefix="metricas"
    )


def _vaciar(sesion: Session, cola: deque[Lectura], memoria: dict) -> int:
    """Lee hasta que la cola quede vacía; cuántas leyó."""
    hechas = 0
    while True:
        try:
            lectura = cola.popleft()
        except IndexError:
            return hechas
        lectura(sesion, memoria)
        hechas += 1


def _apoyar(
    motor: Engine, cola: deque[Lectura], sin_paralelismo: bool, hueco: threading.Semaphore
) -> dict:
    global leidas_en_apoyo
    try:
        propia: dict = {}
        if not cola:  # quien calcula ya lo leyó todo
            return propia
        with Session(motor) as sesion:
            if sin_paralelismo:
                crud_metrica.sin_paralelismo(sesion)
            hechas = _vaciar(sesion, cola, propia)
        with _cuenta:
            leidas_en_apoyo += hechas
        return propia
    finally:
        hueco.release()


def leer_a_la_vez(
    sesion: Session,
    lecturas: Sequence[Lectura],
    memoria: dict,
    *,
    huecos: int,
    sin_paralelismo: bool,
) -> None:
    """Hace todas las `lecturas`, con hasta `huecos` hilos de apoyo si los hay libres; lo leído
    queda en `memoria`. Un error de cualquiera sale aquí, tras esperar a los demás hilos."""
    cola = deque(lecturas)
    futuros: list[Future] = []
    if huecos > 0 and len(cola) > 1:
        semaforo, hilos = _apoyo(huecos)
        bind = sesion.get_bind()
        motor = getattr(bind, "engine", bind)
        for _ in range(min(huecos, len(cola) - 1)):
            if not semaforo.acquire(blocking=False):
                break
            futuros.append(hilos.submit(_apoyar, motor, cola, sin_paralelismo, semaforo))
    try:
        _vaciar(sesion, cola, memoria)
    finally:
        wait(futuros)
    for futuro in futuros:
        memoria.update(futuro.result())


# Coste relativo por llamada leída: las sumas (36 columnas y el primer contacto) frente a
# las franjas (cuatro columnas); sirve para empezar por la lectura más cara.
COSTE_SUMAS, COSTE_FRANJAS = 3, 1


def precargar(
    sesion: Session,
    memoria: dict,
    planes: Sequence[tuple[str, list[Tramo], bool]],
    *,
    filtros: FiltrosMetricas,
    ajustes: Ajustes,
    huecos: int,
    sin_paralelismo: bool,
) -> None:
    """Lee a la vez los tramos en vivo de varios planes (granularidad, tramos, con franjas), cada
    tramo una vez aunque esté en dos planes, y los deja en `memoria` para el cálculo."""
    umbral, confianza = ajustes.nivel_servicio_segundos, ajustes.confianza_revisar
    lecturas: dict[tuple, tuple[float, Lectura]] = {}
    for granularidad, tramos, con_franjas in planes:
        for inicio, fin, _signo, minutos in con_desfase(tramos, ajustes.zona):
            segmento = [(inicio, fin, 1, minutos)]
            largo = (fin - inicio).total_seconds()

            def sumas(s: Session, m: dict, segmento=segmento, granularidad=granularidad) -> None:
                crud_metrica.sumas_en_vivo(
                    sesion=s,
                    segmentos=segmento,
                    filtros=filtros,
                    granularidad=granularidad,
                    umbral=umbral,
                    memoria=m,
                )

            def franjas(s: Session, m: dict, segmento=segmento) -> None:
                metrica_franjas.volumen_por_franja(
                    sesion=s, segmentos=segmento, filtros=filtros, umbral=confianza, memoria=m
                )

            clave = (inicio, fin, minutos)
            lecturas.setdefault(("sumas", granularidad, *clave), (largo * COSTE_SUMAS, sumas))
            if con_franjas:
                lecturas.setdefault(("franjas", *clave), (largo * COSTE_FRANJAS, franjas))
    ordenadas = sorted(lecturas.values(), key=lambda par: par[0], reverse=True)
    leer_a_la_vez(
        sesion,
        [lectura for _, lectura in ordenadas],
        memoria,
        huecos=huecos,
        sin_paralelismo=sin_paralelismo,
    )
