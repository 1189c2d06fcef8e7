"""GET /metrics: acceso, métricas HTTP por plantilla de ruta, de negocio y con varios workers."""

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

import observabilidad
from config import Ajustes
from test.ayudas_api import crear_llamada
from test.servidor_proceso import uvicorn_workers

TOKEN = "token-de-metricas-para-pruebas-0123456789"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _muestras(texto: str) -> dict[tuple[str, frozenset], float]:
    return {
        (m.name, frozenset(m.labels.items())): m.value
        for familia in text_string_to_metric_families(texto)
        for m in familia.samples
    }


def _valor(muestras: dict, nombre: str, **etiquetas: str) -> float:
    return muestras.get((nombre, frozenset(etiquetas.items())), 0.0)


@pytest.fixture
def leer(cliente, cambiar_ajustes):
    """Lee /metrics con el token ya configurado y devuelve las muestras."""
    cambiar_ajustes(metricas_token=TOKEN)

    def _leer() -> dict:
        respuesta = cliente.get("/metrics", headers=BEARER)
        assert respuesta.status_code == 200, respuesta.text
        assert respuesta.headers["content-type"].startswith("text/plain")
        return _muestras(respuesta.text)

    return _leer


def test_con_token_sin_cabecera_o_con_otro_token_da_401(cliente, cambiar_ajustes):
    cambiar_ajustes(metricas_token=TOKEN)
    for cabecera in (
        {},
        {"Authorization": "Bearer otro-token-cualquiera"},
        {"Authorization": TOKEN},
    ):
        respuesta = cliente.get("/metrics", headers=cabecera)
        assert respuesta.status_code == 401
        assert respuesta.headers["www-authenticate"] == "Bearer"
        assert "token de métricas" in respuesta.json()["detail"]
    assert cliente.get("/metrics", headers=BEARER).status_code == 200


def test_sin_token_solo_responde_a_loopback_sin_proxy(app, cliente):
    respuesta = cliente.get("/metrics")  # el cliente de pruebas no es loopback
    assert respuesta.status_code == 403
    assert respuesta.json()["detail"].startswith("Permiso denegado")
    for host in ("127.0.0.1", "::1"):
        local = TestClient(app, client=(host, 5000))
        assert local.get("/metrics").status_code == 200
    local = TestClient(app, client=("127.0.0.1", 5000))
    assert local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
    assert TestClient(app, client=("10.0.0.8", 5000)).get("/metrics").status_code == 403


def test_metrics_no_aparece_en_openapi(cliente):
    assert "/metrics" not in cliente.get("/openapi.json").json()["paths"]


def test_peticiones_y_latencias_por_plantilla_de_ruta_nunca_la_ruta_real(cliente, cabeceras, leer):
    agente = cabeceras("agente")
    ids = [crear_llamada(cliente, agente)["id"] for _ in range(2)]
    ruta = "/api/llamadas/{llamada_id}"
    etiquetas = {"metodo": "GET", "ruta": ruta, "estado": "200"}
    antes = leer()
    for llamada_id in ids:
        assert cliente.get(f"/api/llamadas/{llamada_id}", headers=agente).status_code == 200
    assert cliente.get("/api/llamadas/999999", headers=agente).status_code == 404
    cliente.get("/ruta/que/no/existe")
    assert cliente.get("/panel/").status_code == 200
    assert cliente.get("/panel/no-existe.js").status_code == 404
    assert cliente.get("/estaticos/favicon.svg").status_code == 200
    despues = leer()
    assert _valor(despues, "callcenter_http_peticiones_total", **etiquetas) == _valor(
        antes, "callcenter_http_peticiones_total", **etiquetas
    ) + len(ids)
    conteo = "callcenter_http_duracion_segundos_count"
    assert _valor(despues, conteo, **etiquetas) - _valor(antes, conteo, **etiquetas) == len(ids)
    perdida = {"metodo": "GET", "ruta": ruta, "estado": "404"}
    assert _valor(despues, "callcenter_http_peticiones_total", **perdida) >= 1
    sin_ruta = {"metodo": "GET", "ruta": "sin_ruta", "estado": "404"}
    assert _valor(despues, "callcenter_http_peticiones_total", **sin_ruta) >= 1
    # Los ficheros estáticos, con la plantilla de su montaje (no con su nombre ni sin_ruta).
    for plantilla, estado in (("/panel/{archivo}", "200"), ("/panel/{archivo}", "404")):
        estaticos = {"metodo": "GET", "ruta": plantilla, "estado": estado}
        assert _valor(despues, "callcenter_http_peticiones_total", **estaticos) >= 1
    favicon = {"metodo": "GET", "ruta": "/estaticos/{archivo}", "estado": "200"}
    assert _valor(despues, "callcenter_http_peticiones_total", **favicon) >= 1
    rutas = {dict(clave[1]).get("ruta") for clave in despues}
    # Ningún id en un tramo de la ruta ("/docs/oauth2-redirect" no cuenta como el id 2).
    assert not [r for r in rutas if r and {str(i) for i in (*ids, 999999)} & set(r.split("/"))]
    assert "/ruta/que/no/existe" not in rutas
    assert "/panel/no-existe.js" not in rutas


def test_llamadas_clasificadas_por_categoria(
    cliente, cabeceras, leer, sin_clasificacion_automatica
):
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion="Quiero contratar fibra")
    antes = leer()
    respuesta = cliente.post(
        "/api/clasificaciones-ia/", json={"llamada_id": llamada["id"]}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 201
    categoria = respuesta.json()["categoria"]
    nombre = "callcenter_llamadas_clasificadas_total"
    despues = leer()
    assert (
        _valor(despues, nombre, categoria=categoria)
        == _valor(antes, nombre, categoria=categoria) + 1
    )


def _clasificar_texto(cliente, cabeceras) -> str:
    respuesta = cliente.post(
        "/api/clasificaciones-ia/texto",
        json={"texto": "Me cobraron dos veces la factura"},
        headers=cabeceras("agente"),
    )
    assert respuesta.status_code == 200
    return respuesta.json()["motor"]


def test_latencia_de_clasificacion_por_motor_y_respaldos(cliente, cabeceras, leer, cambiar_ajustes):
    conteo, respaldos = (
        "callcenter_clasificacion_duracion_segundos_count",
        "callcenter_clasificacion_respaldos_total",
    )
    antes = leer()
    assert _clasificar_texto(cliente, cabeceras) == "local"
    medio = leer()
    assert _valor(medio, conteo, motor="local") == _valor(antes, conteo, motor="local") + 1
    assert _valor(medio, respaldos) == _valor(antes, respaldos)
    # Con un LLM que no responde, contesta el clasificador offline: es un respaldo.
    cambiar_ajustes(openai_base_url="http://127.0.0.1:9/v1", llm_timeout_segundos=0.5)
    assert _clasificar_texto(cliente, cabeceras) == "local"
    despues = leer()
    assert _valor(despues, conteo, motor="local") == _valor(medio, conteo, motor="local") + 1
    assert _valor(despues, respaldos) == _valor(medio, respaldos) + 1


def test_profundidad_de_cola_registrada_y_fallos_de_trabajos(leer):
    def rota() -> int:
        raise RuntimeError("cola caída")

    observabilidad.registrar_profundidad_cola(lambda: 7, cola="prueba")
    observabilidad.registrar_profundidad_cola(rota, cola="rota")
    try:
        antes = leer()
        observabilidad.contar_fallo_trabajo("exportacion")
        despues = leer()
    finally:
        observabilidad.olvidar_cola("prueba")
        observabilidad.olvidar_cola("rota")
    assert _valor(despues, "callcenter_trabajos_en_cola", cola="prueba") == 7
    assert ("callcenter_trabajos_en_cola", frozenset({("cola", "rota")})) not in despues
    nombre = "callcenter_trabajos_fallidos_total"
    assert (
        _valor(despues, nombre, tipo="exportacion") == _valor(antes, nombre, tipo="exportacion") + 1
    )
    assert ("callcenter_trabajos_en_cola", frozenset({("cola", "prueba")})) not in leer()


def _salud_de_un_worker(fichero: Path, copia: Path) -> float:
    """Peticiones a /salud que contó un solo worker (su fichero, leído aparte)."""
    copia.mkdir()
    shutil.copy(fichero, copia / fichero.name)
    registro = CollectorRegistry()
    multiprocess.MultiProcessCollector(registro, path=str(copia))
    etiquetas = {"metodo": "GET", "ruta": "/salud", "estado": "200"}
    return registro.get_sample_value("callcenter_http_peticiones_total", etiquetas) or 0.0


def test_con_dos_workers_metrics_suma_lo_de_ambos_procesos(tmp_path):
    """uvicorn --workers 2 con PROMETHEUS_MULTIPROC_DIR: cualquier worker da la suma."""
    directorio = tmp_path / "multiproceso"
    directorio.mkdir()
    servidor = uvicorn_workers(tmp_path, 2, PROMETHEUS_MULTIPROC_DIR=str(directorio))
    try:
        enviadas = 0
        por_worker: list[float] = []
        with ThreadPoolExecutor(8) as hilos:
            for _ in range(20):  # hasta que los dos workers hayan atendido alguna
                codigos = list(
                    hilos.map(lambda _: httpx.get(f"{servidor.url}/salud").status_code, range(16))
                )
                assert set(codigos) == {200}
                enviadas += len(codigos)
                ficheros = sorted(directorio.glob("counter_*.db"))
                por_worker = [
                    _salud_de_un_worker(f, tmp_path / f"copia_{enviadas}_{i}")
                    for i, f in enumerate(ficheros)
                ]
                if len([v for v in por_worker if v > 0]) >= 2:
                    break
        assert len([v for v in por_worker if v > 0]) == 2, por_worker
        finales = [
            _salud_de_un_worker(f, tmp_path / f"final_{i}")
            for i, f in enumerate(sorted(directorio.glob("counter_*.db")))
        ]
        lecturas = [httpx.get(f"{servidor.url}/metrics") for _ in range(6)]
    finally:
        servidor.parar()
    etiquetas = {"metodo": "GET", "ruta": "/salud", "estado": "200"}
    for lectura in lecturas:
        assert lectura.status_code == 200  # sin token: desde loopback
        muestras = _muestras(lectura.text)
        # Las de la espera de arranque más las enviadas: la suma exacta de los dos procesos.
        total = _valor(muestras, "callcenter_http_peticiones_total", **etiquetas)
        assert total == sum(finales) >= enviadas
        assert total > max(finales)


def test_un_token_de_metricas_corto_se_rechaza_y_uno_vacio_es_ninguno():
    with pytest.raises(ValidationError, match="metricas_token"):
        Ajustes(_env_file=None, metricas_token="corto")
    assert Ajustes(_env_file=None, metricas_token="").metricas_token is None
