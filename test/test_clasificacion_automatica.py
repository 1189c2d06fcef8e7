"""Clasificación automática en segundo plano y la API con un LLM real, mudo o caído."""

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from servicios import programador
from servicios.clasificador.llm import reiniciar_estado
from servicios.clasificador.llm_prompt import SISTEMA
from test.ayudas_api import crear_llamada, datos_llamada
from test.conftest import esperar_trabajos
from test.servidor_llm_falso import MODELO, ServidorLLMFalso

API = "/api/clasificaciones-ia"
VENTA = "Quiero contratar el plan de fibra de 600 megas, ¿qué precio tiene este mes?"
RECLAMO = "Me cobraron dos veces la factura y exijo el reembolso, el servicio es pésimo."
PLAZO = 1.0
MARGEN = 0.5


@pytest.fixture(scope="module")
def servidor() -> Iterator[ServidorLLMFalso]:
    with ServidorLLMFalso() as servidor:
        yield servidor


@pytest.fixture(autouse=True)
def _capacidades_limpias() -> Iterator[None]:
    reiniciar_estado()
    yield
    reiniciar_estado()


def _clasificacion(cliente, cabeceras, llamada_id: int):
    return cliente.get(f"{API}/llamada/{llamada_id}", headers=cabeceras("supervisor"))


# Segundo plano


def test_registrar_llamada_con_notas_la_clasifica(cliente, cabeceras) -> None:
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=RECLAMO, tipo="venta")
    respuesta = _clasificacion(cliente, cabeceras, llamada["id"])
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["categoria"] == "reclamo"
    assert respuesta.json()["motor"] == "local"


def test_llamada_sin_notas_no_se_clasifica(cliente, cabeceras) -> None:
    for notas in (None, "   "):
        llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=notas)
        assert _clasificacion(cliente, cabeceras, llamada["id"]).status_code == 404


def test_ajuste_desactivado_no_clasifica(cliente, cabeceras, cambiar_ajustes) -> None:
    cambiar_ajustes(clasificacion_automatica=False)
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA)
    assert _clasificacion(cliente, cabeceras, llamada["id"]).status_code == 404


def test_cambiar_las_notas_reclasifica_y_otros_campos_no(cliente, cabeceras) -> None:
    agente = cabeceras("agente")
    llamada = crear_llamada(cliente, agente, descripcion=VENTA)
    ruta = f"/api/llamadas/{llamada['id']}"
    antes = _clasificacion(cliente, cabeceras, llamada["id"]).json()
    assert antes["categoria"] == "venta"

    assert cliente.patch(ruta, json={"satisfaccion": 2}, headers=agente).status_code == 200
    assert _clasificacion(cliente, cabeceras, llamada["id"]).json() == antes
    mismo = datos_llamada(descripcion=VENTA, satisfaccion=3)
    assert cliente.put(ruta, json=mismo, headers=agente).status_code == 200
    assert _clasificacion(cliente, cabeceras, llamada["id"]).json() == antes

    assert cliente.patch(ruta, json={"descripcion": RECLAMO}, headers=agente).status_code == 200
    despues = _clasificacion(cliente, cabeceras, llamada["id"]).json()
    assert despues["id"] == antes["id"] and despues["categoria"] == "reclamo"
    assert despues["creado_en"] > antes["creado_en"]

    nuevo = datos_llamada(descripcion=VENTA)
    assert cliente.put(ruta, json=nuevo, headers=agente).status_code == 200
    assert _clasificacion(cliente, cabeceras, llamada["id"]).json()["categoria"] == "venta"


def test_borrar_las_notas_quita_la_clasificacion(cliente, cabeceras) -> None:
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA)
    ruta = f"/api/llamadas/{llamada['id']}"
    respuesta = cliente.patch(ruta, json={"descripcion": None}, headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    assert _clasificacion(cliente, cabeceras, llamada["id"]).status_code == 404


def _esperar_trabajo(cliente, cabeceras, estado: str, plazo: float = 10.0) -> dict:
    """El único trabajo de clasificación, cuando llega al estado pedido."""
    limite = time.monotonic() + plazo
    while True:
        respuesta = cliente.get(
            "/api/trabajos/", params={"tipo": "clasificar_llamada"}, headers=cabeceras("admin")
        )
        assert respuesta.status_code == 200, respuesta.text
        (trabajo,) = respuesta.json()
        if trabajo["estado"] == estado:
            return trabajo
        assert time.monotonic() < limite, trabajo
        time.sleep(0.05)


def test_fallo_se_reintenta_con_espera_creciente_y_queda_fallida_con_el_error(
    cliente, cabeceras, monkeypatch, app
) -> None:
    intentos: list[float] = []

    def _rompe(*_args, **_kwargs):
        intentos.append(time.monotonic())
        raise RuntimeError("motor roto")

    monkeypatch.setattr("servicios.clasificaciones.clasificar_texto", _rompe)
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA)
    trabajo = _esperar_trabajo(cliente, cabeceras, "fallida")
    ajustes = app.state.ajustes
    assert trabajo["carga"] == {"llamada_id": llamada["id"]}
    assert trabajo["intentos"] == ajustes.trabajos_intentos == len(intentos)
    assert "RuntimeError: motor roto" in trabajo["error"]
    esperas = [b - a for a, b in zip(intentos, intentos[1:], strict=False)]
    base = ajustes.trabajos_espera_segundos
    assert all(espera >= base * 2**i for i, espera in enumerate(esperas)), esperas
    guardada = cliente.get(f"/api/llamadas/{llamada['id']}", headers=cabeceras("agente"))
    assert guardada.status_code == 200
    assert guardada.json()["descripcion"] == VENTA and guardada.json()["clasificacion"] is None


def test_un_fallo_pasajero_se_reintenta_y_queda_lista(cliente, cabeceras, monkeypatch) -> None:
    from servicios.clasificador import clasificar_texto

    fallos = [RuntimeError("caída pasajera")]

    def _falla_una_vez(*args, **kwargs):
        if fallos:
            raise fallos.pop()
        return clasificar_texto(*args, **kwargs)

    monkeypatch.setattr("servicios.clasificaciones.clasificar_texto", _falla_una_vez)
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=RECLAMO)
    trabajo = _esperar_trabajo(cliente, cabeceras, "lista")
    assert trabajo["intentos"] == 2 and "caída pasajera" in trabajo["error"]
    assert _clasificacion(cliente, cabeceras, llamada["id"]).json()["categoria"] == "reclamo"


def test_el_programador_repesca_las_llamadas_que_quedaron_sin_clasificar(
    app, cliente, cabeceras, cambiar_ajustes
) -> None:
    ajustes = cambiar_ajustes(clasificacion_automatica=False)
    pendiente = crear_llamada(cliente, cabeceras("agente"), descripcion=RECLAMO)
    sin_notas = crear_llamada(cliente, cabeceras("agente"), descripcion=None)
    assert _clasificacion(cliente, cabeceras, pendiente["id"]).status_code == 404
    ajustes = cambiar_ajustes(clasificacion_automatica=True)
    pasada = programador.ejecutar(
        fabrica=app.state.fabrica_sesiones, ajustes=ajustes, ahora=datetime.now(UTC)
    )
    assert pasada.llamadas_encoladas == 1
    esperar_trabajos(app)
    assert _clasificacion(cliente, cabeceras, pendiente["id"]).json()["categoria"] == "reclamo"
    assert _clasificacion(cliente, cabeceras, sin_notas["id"]).status_code == 404
    otra = programador.ejecutar(
        fabrica=app.state.fabrica_sesiones, ajustes=ajustes, ahora=datetime.now(UTC)
    )
    assert otra.llamadas_encoladas == 0


# Con un servidor LLM (real, en loopback)


def test_api_con_llm_usa_el_modelo_y_le_da_los_campos_como_referencia(
    cliente, cabeceras, cambiar_ajustes, servidor
) -> None:
    cambiar_ajustes(openai_base_url=servidor.url, llm_timeout_segundos=PLAZO)
    servidor.programar("bueno")
    texto = cliente.post(f"{API}/texto", json={"texto": RECLAMO}, headers=cabeceras("agente"))
    assert texto.status_code == 200, texto.text
    assert (texto.json()["motor"], texto.json()["modelo"]) == ("llm", MODELO)

    llamada = crear_llamada(
        cliente, cabeceras("agente"), descripcion=RECLAMO, tipo="soporte", satisfaccion=1
    )
    guardada = _clasificacion(cliente, cabeceras, llamada["id"]).json()
    assert guardada["motor"] == "llm" and guardada["resumen"]
    sistema, usuario = servidor.peticiones[-1]["cuerpo"]["messages"]
    assert sistema["content"] == SISTEMA
    assert "tipo declarado por el agente: soporte" in usuario["content"]
    assert "satisfacción del cliente: 1/5" in usuario["content"]
    assert f"<llamada>\n{RECLAMO}\n</llamada>" in usuario["content"]


def test_api_con_llm_mudo_responde_local_dentro_del_plazo(
    cliente, cabeceras, cambiar_ajustes, servidor
) -> None:
    cambiar_ajustes(openai_base_url=servidor.url, llm_timeout_segundos=PLAZO)
    servidor.programar("mudo")
    inicio = time.monotonic()
    respuesta = cliente.post(f"{API}/texto", json={"texto": VENTA}, headers=cabeceras("agente"))
    transcurrido = time.monotonic() - inicio
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["motor"] == "local"
    assert respuesta.json()["categoria"] == "venta"
    assert transcurrido < PLAZO + MARGEN


def test_api_con_conexion_rechazada_responde_local(cliente, cabeceras, cambiar_ajustes) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]
    cambiar_ajustes(openai_base_url=f"http://127.0.0.1:{puerto}/v1", llm_timeout_segundos=5)
    inicio = time.monotonic()
    respuesta = cliente.post(
        f"{API}/clasificar-texto", json={"descripcion": RECLAMO}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 200
    assert respuesta.json()["motor"] == "local" and respuesta.json()["categoria"] == "reclamo"
    assert time.monotonic() - inicio < 2.0


def test_llm_con_respuesta_invalida_guarda_la_clasificacion_local(
    cliente, cabeceras, cambiar_ajustes, servidor
) -> None:
    cambiar_ajustes(openai_base_url=servidor.url, llm_timeout_segundos=PLAZO)
    servidor.programar("fuera")
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA)
    guardada = _clasificacion(cliente, cabeceras, llamada["id"]).json()
    assert guardada["motor"] == "local" and guardada["categoria"] == "venta"
    salud = cliente.get("/salud").json()
    assert salud["clasificador"] == "llm"
