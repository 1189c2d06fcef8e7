"""Registro: una línea por petición con su X-Request-ID, JSON opcional y sin ruido ajeno."""

import json
import logging
import re

import httpx
import pytest
from fastapi.testclient import TestClient

from main import crear_app
from observabilidad.registro import FormatoJSON, FormatoTexto
from servicios.clasificador.llm import reiniciar_estado
from servicios.semilla import PASSWORD_INICIAL
from test.ayudas_api import crear_llamada, id_usuario
from test.conftest import ajustes_de_prueba
from test.servidor_llm_falso import ServidorLLMFalso
from test.servidor_proceso import python_main

ID_GENERADO = re.compile(r"[0-9a-f]{32}")


def _lineas_de_peticion(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "callcenter.peticiones"]


def test_cada_peticion_deja_una_linea_con_su_id_la_ruta_plantilla_y_el_usuario(
    cliente, cabeceras, caplog
):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    agente_id = id_usuario(cliente, cabeceras("agente"))
    ids = ["peticion-1", "peticion.2:b", "peticion_3"]
    caplog.clear()
    with caplog.at_level(logging.INFO):
        respuestas = [
            cliente.get(
                f"/api/llamadas/{llamada['id']}",
                headers={**cabeceras("agente"), "X-Request-ID": ident},
            )
            for ident in ids
        ]
    assert [r.headers["x-request-id"] for r in respuestas] == ids
    lineas = _lineas_de_peticion(caplog)
    assert len(lineas) == len(ids)
    for ident, linea in zip(ids, lineas, strict=True):
        assert linea.request_id == ident
        assert linea.getMessage().startswith("GET /api/llamadas/{llamada_id} 200 ")
        assert linea.getMessage().endswith(f" usuario={agente_id}")
        assert f"/api/llamadas/{llamada['id']}" not in linea.getMessage()


@pytest.mark.parametrize(
    "recibido", ["con espacio", "x" * 200, "salto\nde-linea", "-empieza-por-guion", ""]
)
def test_un_id_recibido_extrano_se_sustituye_por_uno_generado(cliente, caplog, recibido):
    with caplog.at_level(logging.INFO):
        respuesta = cliente.get("/salud", headers={"X-Request-ID": recibido})
    generado = respuesta.headers["x-request-id"]
    assert ID_GENERADO.fullmatch(generado)
    assert [r.request_id for r in _lineas_de_peticion(caplog)] == [generado]


def test_sin_id_cada_peticion_recibe_uno_distinto(cliente, caplog):
    with caplog.at_level(logging.INFO):
        ids = {cliente.get("/salud").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3
    assert {r.request_id for r in _lineas_de_peticion(caplog)} == ids


def test_las_lineas_escritas_durante_la_peticion_llevan_su_id(
    cliente, cabeceras, caplog, cambiar_ajustes
):
    reiniciar_estado()  # sin la pausa de una prueba anterior: que el fallo avise
    cambiar_ajustes(openai_base_url="http://127.0.0.1:9/v1", llm_timeout_segundos=0.5)
    cabecera = cabeceras("agente")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        respuesta = cliente.post(
            "/api/clasificaciones-ia/texto",
            json={"texto": "Quiero contratar la fibra"},
            headers={**cabecera, "X-Request-ID": "clasifica-1"},
        )
    assert respuesta.status_code == 200
    avisos = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert avisos, "el fallo del LLM debería avisar"
    assert {r.request_id for r in avisos} == {"clasifica-1"}
    assert [r.request_id for r in _lineas_de_peticion(caplog)] == ["clasifica-1"]


def test_la_ruta_desconocida_no_escribe_la_ruta_real(cliente, caplog):
    with caplog.at_level(logging.INFO):
        cliente.get("/no/existe/600111222")
    (linea,) = _lineas_de_peticion(caplog)
    assert linea.getMessage().startswith("GET sin_ruta 404 ")


def test_descargar_un_pdf_no_escribe_lineas_de_fonttools(cliente, cabeceras, caplog):
    crear_llamada(cliente, cabeceras("agente"))
    reporte = cliente.post("/api/reportes/", json={}, headers=cabeceras("supervisor")).json()
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        respuesta = cliente.get(
            f"/api/reportes/{reporte['id']}/descargar?formato=pdf", headers=cabeceras("supervisor")
        )
    assert respuesta.status_code == 200
    assert respuesta.content.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.name.startswith("fontTools")]
    assert len(_lineas_de_peticion(caplog)) == 1


def _registro(mensaje: str, **extra) -> logging.LogRecord:
    registro = logging.LogRecord("callcenter.prueba", logging.INFO, __file__, 1, mensaje, (), None)
    registro.__dict__.update(extra)
    return registro


def test_formato_texto_lleva_el_id_entre_corchetes():
    linea = FormatoTexto().format(_registro("hola", request_id="abc-1"))
    assert linea.endswith(" INFO callcenter.prueba [abc-1] hola")
    assert FormatoTexto().format(_registro("sin id")).endswith("[-] sin id")


def test_formato_json_es_un_objeto_por_linea_con_los_extra():
    linea = FormatoJSON().format(_registro("GET /x 200", request_id="abc-1", estado=200))
    datos = json.loads(linea)
    assert datos["mensaje"] == "GET /x 200"
    assert datos["request_id"] == "abc-1"
    assert datos["estado"] == 200
    assert datos["nivel"] == "INFO" and datos["logger"] == "callcenter.prueba"
    assert json.loads(FormatoJSON().format(_registro("fuera")))["request_id"] is None


def test_proceso_real_en_json_una_linea_por_peticion_y_sin_ruido(tmp_path):
    """python main.py con LOG_FORMATO=json: arranque sin alembic, PDF sin fontTools."""
    servidor = python_main(tmp_path, LOG_FORMATO="json")
    ids: list[str] = []
    try:
        with httpx.Client(base_url=servidor.url, timeout=30) as http:
            respuesta = http.post(
                "/api/usuarios/login",
                json={"email": "sup@example.com", "password": PASSWORD_INICIAL},
            )
            token = {"Authorization": f"Bearer {respuesta.json()['access_token']}"}
            ids.append(respuesta.headers["x-request-id"])
            reporte = http.post("/api/reportes/", json={}, headers=token)
            ids.append(reporte.headers["x-request-id"])
            pdf = http.get(
                f"/api/reportes/{reporte.json()['id']}/descargar?formato=pdf",
                headers={**token, "X-Request-ID": "descarga-pdf"},
            )
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            ids.append("descarga-pdf")
            ids.append(http.get("/api/llamadas/999", headers=token).headers["x-request-id"])
    finally:
        salida = servidor.parar()
    lineas = [json.loads(linea) for linea in salida.splitlines() if linea.strip()]
    peticiones = [d for d in lineas if d["logger"] == "callcenter.peticiones"]
    for ident in ids:
        assert sum(d["request_id"] == ident for d in peticiones) == 1, ident
    assert {d["ruta"] for d in peticiones} >= {"/api/llamadas/{llamada_id}", "/salud"}
    # A nivel INFO solo habla el propio servicio (su línea por petición y avisos de arranque
    # o apagado) y uvicorn al arrancar y parar; nada de bibliotecas de terceros.
    ajenos = {
        d["logger"]
        for d in lineas
        if d["nivel"] == "INFO" and not d["logger"].startswith("callcenter.")
    } - {"uvicorn.error"}
    assert not ajenos, ajenos
    assert not [d for d in lineas if d["logger"].startswith(("fontTools", "alembic"))]
    assert not [d for d in lineas if d["logger"] == "uvicorn.access"]


def test_un_fallo_inesperado_deja_su_linea_con_500(tmp_path, caplog):
    aplicacion = crear_app(ajustes_de_prueba(database_url=f"sqlite:///{tmp_path}/fallo.db"))

    @aplicacion.get("/fallo-de-prueba")
    def fallar() -> None:
        raise RuntimeError("fallo inesperado")

    with TestClient(aplicacion, raise_server_exceptions=False) as cliente_propio:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            respuesta = cliente_propio.get("/fallo-de-prueba", headers={"X-Request-ID": "f-1"})
    assert respuesta.status_code == 500
    (linea,) = _lineas_de_peticion(caplog)
    assert linea.request_id == "f-1"
    assert linea.getMessage().startswith("GET /fallo-de-prueba 500 ")


def test_clasificar_con_el_llm_no_escribe_las_lineas_del_cliente_http(
    cliente, cabeceras, caplog, cambiar_ajustes
):
    reiniciar_estado()
    with ServidorLLMFalso() as servidor:
        cambiar_ajustes(openai_base_url=servidor.url)
        cabecera = cabeceras("agente")
        caplog.clear()
        with caplog.at_level(logging.INFO):
            respuesta = cliente.post(
                "/api/clasificaciones-ia/texto",
                json={"texto": "Me cobraron dos veces la factura"},
                headers=cabecera,
            )
    reiniciar_estado()
    assert respuesta.status_code == 200 and respuesta.json()["motor"] == "llm"
    assert servidor.peticiones
    nombres = {r.name for r in caplog.records}
    assert nombres == {"callcenter.peticiones"}, nombres
