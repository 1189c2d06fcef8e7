"""Varios workers de verdad: arranque sobre una base vacía y kill -9 de un worker bajo carga.

Con PostgreSQL (TEST_DATABASE_URL) y Redis (TEST_REDIS_URL) si están; SQLite siempre.
"""

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from modelos.usuario import Usuario
from test.procesos import base_postgresql_vacia, ejecuciones, servidor, token, turnos
from test.servidor_llm_falso import ServidorLLMFalso

PG = os.environ.get("TEST_DATABASE_URL")
REDIS = os.environ.get("TEST_REDIS_URL")
requiere_pg = pytest.mark.skipif(not PG, reason="sin TEST_DATABASE_URL: no hay PostgreSQL")
requiere_pg_y_redis = pytest.mark.skipif(
    not (PG and REDIS), reason="sin TEST_DATABASE_URL y TEST_REDIS_URL: no hay PostgreSQL y Redis"
)
SEGUNDOS_DE_CARGA = 5.0
MATAR_A_LOS = 2.0
CLIENTES = 4
# Un worker vivo no puede pasar tanto sin latir ni en esta máquina cargada (2 núcleos).
ARRIENDO = 6.0
PERIODO = 2.0
DRENAJE_MAXIMO = 60.0
ALTAS_POR_CLIENTE = 60  # acota la cola en una máquina rápida


def _usuarios(url: str) -> list[str]:
    motor = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with motor.connect() as conexion:
        emails = list(conexion.scalars(select(Usuario.email)))
        assert conexion.scalar(select(func.count(Usuario.id))) == len(emails)
    motor.dispose()
    return sorted(emails)


def _comprobar_arranque(carpeta: Path, url: str, workers: int) -> None:
    with servidor(carpeta, database_url=url, workers=workers) as uvicorn:
        assert uvicorn.arranques() == workers
        assert len(uvicorn.hijos()) == workers
        assert token(uvicorn.url, "sup@example.com")
        texto = uvicorn.texto()
    assert "Traceback" not in texto, texto
    assert _usuarios(url) == ["admin@example.com", "agente1@example.com", "sup@example.com"]


def test_dos_workers_arrancan_sobre_un_sqlite_nuevo_y_siembran_una_vez_dos_veces_seguidas(
    tmp_path,
):
    for vez in range(2):  # el choque de antes ocurría en cada arranque sobre un fichero nuevo
        _comprobar_arranque(tmp_path, f"sqlite:///{tmp_path}/nueva{vez}/cc.db", workers=2)


@requiere_pg
def test_cuatro_workers_arrancan_sobre_un_postgresql_vacio_y_siembran_una_vez(tmp_path):
    _comprobar_arranque(tmp_path, base_postgresql_vacia(PG), workers=4)


@pytest.fixture
def llm_lento() -> Iterator[ServidorLLMFalso]:
    """Un LLM que tarda: los trabajos duran lo bastante para que el kill -9 pille alguno."""
    with ServidorLLMFalso() as llm:
        llm.programar("lento")
        yield llm


def _cargar(url: str, cabecera: dict[str, str], fin: float, aceptadas: list[int]) -> None:
    with httpx.Client(base_url=url, headers=cabecera, timeout=10) as cliente:
        n = 0
        while time.monotonic() < fin and n < ALTAS_POR_CLIENTE:
            n += 1
            cuerpo = {
                "numero_cliente": f"6{threading.get_ident() % 10_000:04d}{n:04d}",
                "duracion_segundos": 60 + n,
                "tipo": "soporte",
                "resultado": "resuelta",
                "descripcion": f"Me cobraron dos veces la factura {n}, exijo el reembolso",
            }
            try:
                respuesta = cliente.post("/api/llamadas/", json=cuerpo)
            except httpx.HTTPError:
                continue  # conexión cortada por el kill: la escritura no se confirmó al cliente
            if respuesta.status_code == 201:
                aceptadas.append(respuesta.json()["id"])


def _paginas(cliente: httpx.Client, ruta: str, **filtros) -> list[dict]:
    filas: list[dict] = []
    while True:
        respuesta = cliente.get(ruta, params={**filtros, "skip": len(filas), "limit": 500})
        assert respuesta.status_code == 200, respuesta.text
        filas += respuesta.json()
        if len(filas) >= int(respuesta.headers["X-Total-Count"]):
            return filas


def _esperar_cola_vacia(cliente: httpx.Client) -> float:
    inicio = time.monotonic()
    while True:
        cola = cliente.get("/salud").json()["trabajos"]
        if cola == {"pendiente": 0, "procesando": 0}:
            return time.monotonic() - inicio
        assert time.monotonic() - inicio < DRENAJE_MAXIMO, cola
        time.sleep(0.2)


def _victima(uvicorn, plazo: float = 3.0) -> int:
    """Un worker con un trabajo recién empezado (le queda casi todo por hacer)."""
    limite = time.monotonic() + plazo
    while time.monotonic() < limite:
        hijos = uvicorn.hijos()
        ahora = time.time()
        for lista in ejecuciones(uvicorn.texto()).values():
            for e in lista:
                if e["fin"] is None and e["pid"] in hijos and ahora - e["inicio"] < 0.1:
                    return e["pid"]
        time.sleep(0.01)
    return uvicorn.hijos()[0]


def _kill_9_bajo_carga(
    carpeta: Path, url: str, workers: int, llm: ServidorLLMFalso, entorno: dict[str, str]
) -> dict:
    entorno = {
        "OPENAI_BASE_URL": llm.url,
        "LLM_TIMEOUT_SEGUNDOS": "5",
        "TRABAJOS_ARRIENDO_SEGUNDOS": str(ARRIENDO),
        "TRABAJOS_SONDEO_SEGUNDOS": "0.5",
        "PROGRAMADOR_ACTIVO": "true",
        "PROGRAMADOR_INTERVALO_SEGUNDOS": str(int(PERIODO)),
        "REPORTE_AUTOMATICO": "diario",
        **entorno,
    }
    with servidor(carpeta, database_url=url, workers=workers, entorno=entorno) as uvicorn:
        cabecera = {"Authorization": f"Bearer {token(uvicorn.url, 'agente1@example.com')}"}
        aceptadas: list[int] = []
        fin = time.monotonic() + SEGUNDOS_DE_CARGA
        clientes = [
            threading.Thread(target=_cargar, args=(uvicorn.url, cabecera, fin, aceptadas))
            for _ in range(CLIENTES)
        ]
        for hilo in clientes:
            hilo.start()
        time.sleep(MATAR_A_LOS)
        victima = _victima(uvicorn)
        os.kill(victima, signal.SIGKILL)
        muerte = time.time()
        llm.espera_lenta = 0.02  # el resto de la cola, deprisa
        for hilo in clientes:
            hilo.join()
        admin = {"Authorization": f"Bearer {token(uvicorn.url, 'admin@example.com')}"}
        with httpx.Client(base_url=uvicorn.url, headers=admin, timeout=10) as cliente:
            drenaje = _esperar_cola_vacia(cliente)
            llamadas = _paginas(cliente, "/api/llamadas/")
            sin_clasificar = _paginas(cliente, "/api/llamadas/", categoria="sin_clasificar")
            lista = _paginas(cliente, "/api/trabajos/", tipo="clasificar_llamada")
        texto = uvicorn.texto()

    ids = {ll["id"] for ll in llamadas}
    assert set(aceptadas) <= ids, "se perdió una escritura confirmada con 201"
    assert sin_clasificar == []
    por_llamada: dict[int, list[dict]] = {}
    for trabajo in lista:
        por_llamada.setdefault(trabajo["carga"]["llamada_id"], []).append(trabajo)
    assert set(por_llamada) == ids, "cada llamada con notas tiene su trabajo"
    malas = {i: t for i, t in por_llamada.items() if [x["estado"] for x in t] != ["lista"]}
    assert not malas, f"llamadas sin exactamente un trabajo lista: {malas}"

    por_trabajo = ejecuciones(texto)
    assert {t["id"] for t in lista} == set(por_trabajo), "cada trabajo se ejecutó"
    interrumpidos = 0
    for trabajo_id, lista_ejecuciones in por_trabajo.items():
        orden = sorted(lista_ejecuciones, key=lambda e: e["inicio"])
        for antes, despues in zip(orden, orden[1:], strict=False):
            if antes["fin"] is None:  # cortada por el kill: solo otro proceso, y después
                assert antes["pid"] == victima and despues["inicio"] >= muerte, trabajo_id
                interrumpidos += 1
            else:
                assert antes["fin"] <= despues["inicio"], f"trabajo {trabajo_id} corrió doble"
        assert orden[-1]["fin"] is not None, f"trabajo {trabajo_id} no terminó"
    assert interrumpidos >= 1, "el kill -9 no interrumpió ningún trabajo"

    for nombre, instantes in turnos(texto).items():
        separaciones = [b - a for a, b in zip(instantes, instantes[1:], strict=False)]
        assert all(s >= PERIODO - 0.25 for s in separaciones), (nombre, separaciones)
    return {
        "aceptadas": len(aceptadas),
        "llamadas": len(ids),
        "retomados": interrumpidos,
        "drenaje_s": round(drenaje, 1),
    }


@requiere_pg_y_redis
def test_kill_9_de_un_worker_postgresql_redis_no_pierde_ni_duplica(tmp_path, llm_lento):
    url = base_postgresql_vacia(PG, sufijo="kill")
    entorno = {"REDIS_URL": REDIS}
    cifras = _kill_9_bajo_carga(tmp_path, url, workers=4, llm=llm_lento, entorno=entorno)
    print(f"\nPostgreSQL + Redis, 4 workers, kill -9: {cifras}")


def test_kill_9_de_un_worker_sqlite_no_pierde_ni_duplica(tmp_path, llm_lento):
    url = f"sqlite:///{tmp_path}/kill.db"
    cifras = _kill_9_bajo_carga(tmp_path, url, workers=2, llm=llm_lento, entorno={})
    print(f"\nSQLite, 2 workers, kill -9: {cifras}")
