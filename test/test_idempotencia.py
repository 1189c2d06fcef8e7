"""POST /api/llamadas/ con Idempotency-Key: un reintento devuelve la llamada de la primera vez."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from modelos.clave_idempotencia import ClaveIdempotencia
from modelos.llamada import Llamada
from test.ayudas_api import campos_con_error, datos_llamada

RUTA = "/api/llamadas/"


def _crear(cliente, cabeceras, clave: str | None, **cambios):
    extra = {"Idempotency-Key": clave} if clave is not None else {}
    return cliente.post(RUTA, json=datos_llamada(**cambios), headers={**cabeceras, **extra})


def _llamadas(sesion_bd) -> int:
    sesion_bd.expire_all()
    return sesion_bd.scalar(select(func.count(Llamada.id)))


def test_reintento_con_la_misma_clave_devuelve_la_misma_llamada(cliente, cabeceras, sesion_bd):
    primera = _crear(cliente, cabeceras("agente"), "alta-0001")
    segunda = _crear(cliente, cabeceras("agente"), "alta-0001")
    assert primera.status_code == 201 and segunda.status_code == 201
    assert "Idempotent-Replayed" not in primera.headers
    assert segunda.headers["Idempotent-Replayed"] == "true"
    assert segunda.json()["id"] == primera.json()["id"]
    assert segunda.json()["numero_cliente"] == primera.json()["numero_cliente"]
    assert _llamadas(sesion_bd) == 1


def test_misma_clave_con_otro_cuerpo_da_409(cliente, cabeceras, sesion_bd):
    assert _crear(cliente, cabeceras("agente"), "alta-0002").status_code == 201
    respuesta = _crear(cliente, cabeceras("agente"), "alta-0002", duracion_segundos=999)
    assert respuesta.status_code == 409
    assert respuesta.json()["detail"].startswith("Idempotency-Key: esta clave ya se usó")
    assert _llamadas(sesion_bd) == 1


def test_la_clave_es_de_cada_usuario(cliente, cabeceras, sesion_bd):
    del_agente = _crear(cliente, cabeceras("agente"), "compartida")
    del_supervisor = _crear(cliente, cabeceras("supervisor"), "compartida")
    assert del_agente.status_code == del_supervisor.status_code == 201
    assert del_agente.json()["id"] != del_supervisor.json()["id"]
    assert _llamadas(sesion_bd) == 2


def test_sin_clave_cada_alta_es_nueva(cliente, cabeceras, sesion_bd):
    ids = {_crear(cliente, cabeceras("agente"), None).json()["id"] for _ in range(2)}
    assert len(ids) == 2
    assert _llamadas(sesion_bd) == 2


def test_una_clave_caducada_crea_otra_llamada(cliente, cabeceras, sesion_bd):
    primera = _crear(cliente, cabeceras("agente"), "alta-vieja").json()
    pasado = datetime.now(UTC) - timedelta(seconds=1)
    sesion_bd.execute(update(ClaveIdempotencia).values(expira_en=pasado))
    sesion_bd.commit()
    segunda = _crear(cliente, cabeceras("agente"), "alta-vieja", duracion_segundos=5)
    assert segunda.status_code == 201
    assert "Idempotent-Replayed" not in segunda.headers
    assert segunda.json()["id"] != primera["id"]
    sesion_bd.expire_all()
    assert sesion_bd.scalar(select(func.count(ClaveIdempotencia.id))) == 1  # la vieja se borró


def test_la_clave_caduca_a_las_horas_configuradas(cliente, cabeceras, sesion_bd, app):
    _crear(cliente, cabeceras("agente"), "alta-plazo")
    fila = sesion_bd.scalars(select(ClaveIdempotencia)).one()
    horas = app.state.ajustes.idempotencia_horas
    restante = fila.expira_en - datetime.now(UTC)
    assert timedelta(hours=horas) - timedelta(minutes=1) < restante <= timedelta(hours=horas)


def test_clave_no_valida_da_422_que_nombra_la_cabecera(cliente, cabeceras, sesion_bd):
    for clave in ("x" * 256, "con espacio", ""):
        respuesta = _crear(cliente, cabeceras("agente"), clave)
        assert campos_con_error(respuesta) == {"Idempotency-Key"}, clave
    assert _llamadas(sesion_bd) == 0


def test_borrar_la_llamada_borra_su_clave(cliente, cabeceras, sesion_bd):
    llamada = _crear(cliente, cabeceras("agente"), "alta-borrada").json()
    borrado = cliente.delete(f"{RUTA}{llamada['id']}", headers=cabeceras("supervisor"))
    assert borrado.status_code == 204
    sesion_bd.expire_all()
    assert sesion_bd.scalar(select(func.count(ClaveIdempotencia.id))) == 0
    nueva = _crear(cliente, cabeceras("agente"), "alta-borrada")
    assert nueva.status_code == 201 and "Idempotent-Replayed" not in nueva.headers
    assert _llamadas(sesion_bd) == 1


def test_diez_reintentos_simultaneos_crean_una_sola_llamada(cliente, cabeceras, sesion_bd):
    agente = cabeceras("agente")
    with ThreadPoolExecutor(10) as hilos:
        respuestas = list(hilos.map(lambda _: _crear(cliente, agente, "alta-rafaga"), range(10)))
    assert [r.status_code for r in respuestas] == [201] * 10
    assert len({r.json()["id"] for r in respuestas}) == 1
    repetidas = [r for r in respuestas if r.headers.get("Idempotent-Replayed") == "true"]
    assert len(repetidas) == 9
    assert _llamadas(sesion_bd) == 1
