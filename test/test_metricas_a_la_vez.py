"""Métricas con sus tramos en vivo leídos a la vez (servicios/metricas_a_la_vez.py): la misma
respuesta que en serie, con hilos de apoyo si hay huecos libres y en serie si no los hay; y sus
conexiones cuentan en el total por proceso."""

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from database import (
    CONEXIONES_EXTRA_PROCESO,
    conexiones_por_proceso,
    huecos_de_apoyo,
    peticiones_en_vuelo,
)
from esquemas.importacion import IMPORTACION_DIAS_MAXIMOS
from modelos.enums import ResultadoLlamada, TipoLlamada
from modelos.sumas import VENTANA_PRIMER_CONTACTO
from servicios import metricas_a_la_vez
from servicios.calendario import UN_DIA, dia_local
from test.ayudas_api import crear_usuario, id_usuario
from test.conftest import ajustes_de_prueba

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

DIAS = 64  # el periodo de 30 días, el anterior y un poco más
POR_DIA = 5


def _llamadas(agentes: list[int], ahora: datetime) -> list[dict]:
    """Llamadas de los últimos DIAS días (hoy incluido, hasta hace un minuto) de 25 clientes
    que vuelven a llamar, con tipos, resultados, esperas y satisfacción variados."""
    azar = random.Random(20261126)
    filas = []
    for dia in range(DIAS):
        for _ in range(POR_DIA):
            instante = ahora - timedelta(days=dia, seconds=azar.randint(60, 86_000))
            filas.append(
                {
                    "usuario_id": azar.choice(agentes),
                    "numero_cliente": f"+34 6000000{azar.randint(10, 34)}",
                    "duracion_segundos": azar.randint(20, 900),
                    "tipo": azar.choice(list(TipoLlamada)).value,
                    "resultado": azar.choice(list(ResultadoLlamada)).value,
                    "fecha_hora": instante.isoformat(),
                    "satisfaccion": azar.choice([None, 1, 3, 4, 5]),
                    "tiempo_espera_segundos": azar.randint(0, 60),
                }
            )
    return filas


@pytest.fixture
def cargadas(app, cliente, cabeceras) -> tuple[datetime, list[dict]]:
    """Las llamadas importadas en lotes de como mucho 31 días y las fotos de todos los días
    cerrados; (ahora, llamadas)."""
    admin, sup = cabeceras("admin"), cabeceras("supervisor")
    otro = crear_usuario(cliente, admin, email="otra.agente@example.com")["id"]
    ahora = datetime.now(UTC)
    todas = _llamadas([id_usuario(cliente, cabeceras("agente")), otro], ahora)
    filas = sorted(todas, key=lambda f: f["fecha_hora"])
    while filas:
        primera = datetime.fromisoformat(filas[0]["fecha_hora"])
        limite = primera + (IMPORTACION_DIAS_MAXIMOS - 1) * UN_DIA
        lote = [f for f in filas if datetime.fromisoformat(f["fecha_hora"]) < limite]
        respuesta = cliente.post("/api/llamadas/importar", json={"llamadas": lote}, headers=sup)
        assert respuesta.status_code == 201, respuesta.text
        filas = filas[len(lote) :]
    zona = app.state.ajustes.zona
    hoy = dia_local(ahora, zona)
    cuerpo = {
        "desde": (hoy - DIAS * UN_DIA - VENTANA_PRIMER_CONTACTO).isoformat(),
        "hasta": (hoy - UN_DIA).isoformat(),
    }
    respuesta = cliente.post("/api/metricas/diarias/recalcular", json=cuerpo, headers=admin)
    assert respuesta.status_code == 200, respuesta.text
    return ahora, todas


def _metricas(cliente, cabeceras, ahora: datetime) -> dict:
    """Los últimos 30 días hasta ahora, al microsegundo: el día de hoy y los bordes del periodo
    y del anterior se leen en vivo; el resto, de las fotos."""
    params = {"desde": (ahora - 30 * UN_DIA).isoformat(), "hasta": ahora.isoformat()}
    respuesta = cliente.get("/api/metricas/", params=params, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.json()


def test_a_la_vez_da_lo_mismo_que_en_serie(cliente, cabeceras, cambiar_ajustes, cargadas):
    ahora, llamadas = cargadas
    cambiar_ajustes(metricas_lecturas_a_la_vez=0)
    antes = metricas_a_la_vez.leidas_en_apoyo
    en_serie = _metricas(cliente, cabeceras, ahora)
    assert metricas_a_la_vez.leidas_en_apoyo == antes  # sin huecos, nada en hilos de apoyo
    desde = ahora - 30 * UN_DIA
    en_periodo = [f for f in llamadas if desde <= datetime.fromisoformat(f["fecha_hora"]) <= ahora]
    assert en_serie["total_llamadas"] == len(en_periodo)
    assert en_serie["dias_desde_fotos"] >= 28  # el resto del periodo sale de las fotos
    assert en_serie["comparacion"]["kpis"]

    cambiar_ajustes(metricas_lecturas_a_la_vez=2)
    # Cuántos tramos lee cada hilo depende del reparto (abajo, una prueba que lo fija).
    assert _metricas(cliente, cabeceras, ahora) == en_serie


def test_quien_calcula_y_un_hilo_de_apoyo_se_reparten_las_lecturas(motor_bd):
    """Dos lecturas y un hueco: la primera que empieza espera a que empiece la otra, así que
    cada una la hace un hilo distinto, cada uno con su sesión, y lo leído llega a la memoria."""
    empezadas: list[tuple[str, int]] = []
    otra_empezo = threading.Event()

    def lectura(nombre: str):
        def leer(sesion: Session, memoria: dict) -> None:
            conexion = id(sesion.connection())
            empezadas.append((threading.current_thread().name, conexion))
            if len(empezadas) == 1:
                assert otra_empezo.wait(timeout=5)
            else:
                otra_empezo.set()
            memoria[nombre] = sesion.execute(select(literal(nombre))).scalar()

        return leer

    antes = metricas_a_la_vez.leidas_en_apoyo
    memoria: dict = {}
    with Session(motor_bd) as sesion:
        metricas_a_la_vez.leer_a_la_vez(
            sesion, [lectura("a"), lectura("b")], memoria, huecos=1, sin_paralelismo=True
        )
    assert memoria == {"a": "a", "b": "b"}
    assert len({hilo for hilo, _ in empezadas}) == 2
    assert len({conexion for _, conexion in empezadas}) == 2
    assert metricas_a_la_vez.leidas_en_apoyo == antes + 1


def test_sin_huecos_libres_lee_en_serie(cliente, cabeceras, cambiar_ajustes, cargadas):
    ahora, _ = cargadas
    cambiar_ajustes(metricas_lecturas_a_la_vez=0)
    en_serie = _metricas(cliente, cabeceras, ahora)
    cambiar_ajustes(metricas_lecturas_a_la_vez=2)
    semaforo, _hilos = metricas_a_la_vez._apoyo(2)
    tomados = [semaforo.acquire(timeout=5) for _ in range(2)]  # como otras dos métricas
    try:
        assert all(tomados)
        antes = metricas_a_la_vez.leidas_en_apoyo
        assert _metricas(cliente, cabeceras, ahora) == en_serie
        assert metricas_a_la_vez.leidas_en_apoyo == antes
    finally:
        for _ in tomados:
            semaforo.release()


@pytest.mark.parametrize("workers", [1, 4, 16])
@pytest.mark.parametrize("huecos", [0, 2, 8])
def test_los_hilos_de_apoyo_cuentan_en_las_conexiones(workers, huecos):
    ajustes = ajustes_de_prueba(
        database_url="postgresql://x@localhost/x",
        workers=workers,
        pg_max_conexiones=200,
        metricas_lecturas_a_la_vez=huecos,
    )
    base, extra = conexiones_por_proceso(ajustes)
    apoyo = huecos_de_apoyo(ajustes)
    # Las peticiones admitidas, el programador y compañía y los hilos de apoyo caben en el pool.
    assert peticiones_en_vuelo(ajustes) + CONEXIONES_EXTRA_PROCESO + apoyo <= base + extra
    assert apoyo <= huecos
    if workers == 1:  # con conexiones de sobra, todos los pedidos
        assert apoyo == huecos
