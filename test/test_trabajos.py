"""Trabajos durables: API de consulta, misma transacción, arriendo caducado y turnos."""

import os
import threading
import time
import uuid

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import create_engine, text

import trabajos
from modelos.base import ahora_utc
from test.ayudas_api import crear_llamada
from trabajos.postgresql import conninfo

API = "/api/trabajos/"
REDIS = os.environ.get("TEST_REDIS_URL")
NOTAS = "Me cobraron dos veces la factura y exijo el reembolso"


def _trabajos(cliente, cabeceras, **filtros):
    return cliente.get(API, params=filtros, headers=cabeceras("supervisor"))


def test_cada_llamada_con_notas_deja_un_trabajo_lista_y_sin_notas_ninguno(cliente, cabeceras):
    con_notas = [crear_llamada(cliente, cabeceras("agente"), descripcion=NOTAS) for _ in range(3)]
    crear_llamada(cliente, cabeceras("agente"), descripcion=None)
    respuesta = _trabajos(cliente, cabeceras, estado="lista", tipo="clasificar_llamada")
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.headers["X-Total-Count"] == "3"
    cargas = sorted(t["carga"]["llamada_id"] for t in respuesta.json())
    assert cargas == sorted(ll["id"] for ll in con_notas)
    assert all(t["intentos"] == 1 and t["error"] is None for t in respuesta.json())
    assert _trabajos(cliente, cabeceras, estado="pendiente").json() == []
    assert _trabajos(cliente, cabeceras, tipo="transcribir").headers["X-Total-Count"] == "0"


def test_leer_un_trabajo_y_uno_que_no_existe(cliente, cabeceras):
    crear_llamada(cliente, cabeceras("agente"), descripcion=NOTAS)
    (trabajo,) = _trabajos(cliente, cabeceras).json()
    respuesta = cliente.get(f"{API}{trabajo['id']}", headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    assert respuesta.json() == trabajo
    assert respuesta.json()["clave_unica"] == f"llamada:{trabajo['carga']['llamada_id']}"
    ausente = cliente.get(f"{API}{trabajo['id'] + 1000}", headers=cabeceras("admin"))
    assert ausente.status_code == 404
    assert "no encontrado" in ausente.json()["detail"]


def test_trabajos_agente_da_403_y_sin_token_401(cliente, cabeceras):
    assert cliente.get(API, headers=cabeceras("agente")).status_code == 403
    assert cliente.get(API).status_code == 401


def test_estado_desconocido_da_422_nombrando_el_campo(cliente, cabeceras):
    respuesta = _trabajos(cliente, cabeceras, estado="hecho")
    assert respuesta.status_code == 422
    assert "estado" in str(respuesta.json()["detail"])


def test_salud_informa_la_profundidad_de_la_cola(cliente, cabeceras, sesion_bd):
    assert cliente.get("/salud").json()["trabajos"] == {"pendiente": 0, "procesando": 0}
    # Un trabajo programado para más tarde queda pendiente.
    trabajos.encolar("clasificar_llamada", {"llamada_id": 999_999}, sesion=sesion_bd)
    _aplazar_todo(sesion_bd)
    sesion_bd.commit()
    assert cliente.get("/salud").json()["trabajos"] == {"pendiente": 1, "procesando": 0}


def _aplazar_todo(sesion) -> None:
    if sesion.get_bind().dialect.name == "postgresql":
        sesion.execute(text("UPDATE procrastinate_jobs SET scheduled_at = now() + '1 hour'"))
    else:
        sesion.execute(text("UPDATE trabajos SET disponible_en = '2999-01-01 00:00:00'"))


def test_encolar_va_en_la_transaccion_y_la_clave_no_duplica(cliente, cabeceras, sesion_bd):
    carga = {"llamada_id": 999_999}
    primero = trabajos.encolar("clasificar_llamada", carga, sesion=sesion_bd, clave_unica="x:1")
    segundo = trabajos.encolar("clasificar_llamada", carga, sesion=sesion_bd, clave_unica="x:1")
    assert primero is not None and segundo is None
    sesion_bd.rollback()
    assert _trabajos(cliente, cabeceras).json() == []  # sin commit, no hay trabajo

    trabajos.encolar("clasificar_llamada", carga, sesion=sesion_bd, clave_unica="x:1")
    sesion_bd.commit()
    respuesta = cliente.post("/api/llamadas/", json={}, headers=cabeceras("agente"))  # espera
    assert respuesta.status_code == 422
    (trabajo,) = _trabajos(cliente, cabeceras).json()
    assert (trabajo["estado"], trabajo["clave_unica"]) == ("lista", "x:1")


def _tomado_por_un_muerto(sesion, trabajo_id: int) -> None:
    """Deja el trabajo como lo deja un kill -9: en curso, de un trabajador que ya no late."""
    if sesion.get_bind().dialect.name == "postgresql":
        muerto = sesion.scalar(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (now() - interval '1 hour') RETURNING id"
            )
        )
        sesion.execute(
            text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w WHERE id = :id"),
            {"w": muerto, "id": trabajo_id},
        )
    else:
        sesion.execute(
            text(
                "UPDATE trabajos SET estado = 'procesando', intentos = 1, trabajador = 'muerto', "
                "arrendado_hasta = '2000-01-01 00:00:00' WHERE id = :id"
            ),
            {"id": trabajo_id},
        )


def test_un_trabajo_de_un_trabajador_muerto_se_retoma(
    cliente, cabeceras, sesion_bd, cambiar_ajustes
):
    cambiar_ajustes(clasificacion_automatica=False)
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=NOTAS)
    trabajo_id = trabajos.encolar(
        "clasificar_llamada", {"llamada_id": llamada["id"]}, sesion=sesion_bd
    )
    _tomado_por_un_muerto(sesion_bd, trabajo_id)
    sesion_bd.commit()
    limite = time.monotonic() + 15
    while (trabajo := cliente.get(f"{API}{trabajo_id}", headers=cabeceras("admin")).json())[
        "estado"
    ] != "lista":
        assert time.monotonic() < limite, trabajo
        time.sleep(0.1)
    assert trabajo["intentos"] == 2
    clasificacion = cliente.get(
        f"/api/clasificaciones-ia/llamada/{llamada['id']}", headers=cabeceras("agente")
    )
    assert clasificacion.status_code == 200
    assert clasificacion.json()["categoria"] == "reclamo"


def _turnos_a_la_vez(app, nombre: str, periodo: float, redis_url: str | None) -> list[bool]:
    resultados: list[bool] = []
    salida = threading.Barrier(8)

    def _intentar(i: int) -> None:
        salida.wait()
        tomado = trabajos.tomar_turno(
            fabrica=app.state.fabrica_sesiones,
            nombre=nombre,
            periodo=periodo,
            yo=f"proceso-{i}",
            redis_url=redis_url,
        )
        resultados.append(tomado)

    hilos = [threading.Thread(target=_intentar, args=(i,)) for i in range(8)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return resultados


@pytest.mark.parametrize(
    "redis_url",
    [
        None,
        pytest.param(
            REDIS, marks=pytest.mark.skipif(not REDIS, reason="sin TEST_REDIS_URL: no hay Redis")
        ),
        "redis://127.0.0.1:1/0",  # Redis caído: el turno lo da la base
    ],
    ids=["base", "redis", "redis_caido"],
)
def test_un_solo_proceso_toma_cada_turno_periodico(app, cliente, redis_url):
    nombre = f"prueba_{uuid.uuid4().hex[:8]}"
    assert sorted(_turnos_a_la_vez(app, nombre, 60, redis_url)) == [False] * 7 + [True]
    assert _turnos_a_la_vez(app, nombre, 60, redis_url) == [False] * 8
    corto = f"{nombre}_corto"
    assert _turnos_a_la_vez(app, corto, 0.3, redis_url).count(True) == 1
    time.sleep(0.35)
    assert _turnos_a_la_vez(app, corto, 0.3, redis_url).count(True) == 1


def test_el_turno_de_la_base_guarda_quien_y_cuando(app, cliente, sesion_bd):
    antes = ahora_utc()
    assert trabajos.tomar_turno(
        fabrica=app.state.fabrica_sesiones, nombre="fotos_prueba", periodo=60, yo="yo"
    )
    fila = sesion_bd.execute(
        text("SELECT trabajador FROM tareas_periodicas WHERE nombre = 'fotos_prueba'")
    ).one()
    assert fila.trabajador == "yo"
    assert ahora_utc() >= antes


def test_la_repesca_no_encola_otra_vez_una_llamada_que_ya_espera_su_trabajo(
    app, cliente, cabeceras, sesion_bd, cambiar_ajustes
):
    from datetime import UTC, datetime

    from servicios import llamadas, programador

    cambiar_ajustes(clasificacion_automatica=False)
    en_cola = crear_llamada(cliente, cabeceras("agente"), descripcion=NOTAS)
    olvidada = crear_llamada(cliente, cabeceras("agente"), descripcion=NOTAS)
    llamadas.encolar_clasificacion(sesion=sesion_bd, llamada_id=en_cola["id"])
    _aplazar_todo(sesion_bd)  # un trabajo aún en cola, como tras un atasco
    sesion_bd.commit()
    ajustes = cambiar_ajustes(clasificacion_automatica=True)
    pasada = programador.ejecutar(
        fabrica=app.state.fabrica_sesiones, ajustes=ajustes, ahora=datetime.now(UTC)
    )
    assert pasada.llamadas_encoladas == 1
    cargas = [t["carga"]["llamada_id"] for t in _trabajos(cliente, cabeceras).json()]
    assert sorted(cargas) == sorted([en_cola["id"], olvidada["id"]])


def test_la_conexion_de_los_trabajos_conserva_la_url_entera():
    """procrastinate conecta con una cadena de libpq: las opciones, usuarios y contraseñas con
    caracteres codificados en la URL llegan descodificados (la URL de SQLAlchemy escribe los
    espacios como «+», que libpq no descodifica)."""
    url = "postgresql+psycopg://us%40er:p%20w@h:5/db?options=-c%20search_path%3Dx&sslmode=disable"
    motor = create_engine(url)
    assert conninfo_to_dict(conninfo(motor)) == {
        "host": "h",
        "port": "5",
        "user": "us@er",
        "password": "p w",
        "dbname": "db",
        "options": "-c search_path=x",
        "sslmode": "disable",
    }
    motor.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="sin TEST_DATABASE_URL")
def test_el_pool_de_los_trabajos_conecta_con_opciones_en_la_url():
    base = os.environ["TEST_DATABASE_URL"]
    separador = "&" if "?" in base else "?"
    motor = create_engine(f"{base}{separador}options=-c%20search_path%3Dpublic")
    try:
        with psycopg.connect(conninfo(motor)) as conexion:
            assert conexion.execute("SHOW search_path").fetchone() == ("public",)
    finally:
        motor.dispose()
