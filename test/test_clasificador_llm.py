"""Motor LLM contra un servidor compatible con OpenAI real en loopback (sin clientes parcheados)."""

import socket
import time
from collections.abc import Iterator

import pytest

from config import Ajustes
from servicios.clasificador import clasificar_texto, llm_pausa, modo_clasificador
from servicios.clasificador.combinacion import (
    MIN_OBSERVACIONES,
    PESO_DECLARADA,
    PESO_LOGPROBS,
    anotar_acuerdo,
)
from servicios.clasificador.llm import capacidades, reiniciar_estado
from servicios.clasificador.llm_prompt import MAX_RECOMENDACION
from servicios.clasificador.local import clasificar_local, probabilidades_local
from servicios.clasificador.tipos import CATEGORIAS
from test.servidor_llm_falso import MODELO, RESPUESTA_BUENA, ServidorLLMFalso

TEXTO = "Me cobraron dos veces la factura de este mes y quiero que me devuelvan el dinero."
PLAZO = 1.0
MARGEN = 0.5


@pytest.fixture(scope="module")
def servidor() -> Iterator[ServidorLLMFalso]:
    with ServidorLLMFalso() as servidor:
        clasificar_local(TEXTO)  # calienta el motor local para medir solo el plazo del LLM
        yield servidor


@pytest.fixture(autouse=True)
def _capacidades_limpias() -> Iterator[None]:
    reiniciar_estado()
    yield
    reiniciar_estado()


def _ajustes(url: str | None, plazo: float = PLAZO) -> Ajustes:
    return Ajustes(
        openai_base_url=url,
        openai_api_key="clave-de-prueba",
        openai_model="modelo-pedido",
        llm_timeout_segundos=plazo,
    )


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _p_local(categoria: str, texto: str = TEXTO) -> float:
    return probabilidades_local(texto)[categoria]


def _fiable() -> None:
    """El modelo del servidor falso ya coincidió con el offline seguro lo bastante para votar."""
    for _ in range(MIN_OBSERVACIONES):
        anotar_acuerdo(MODELO, True)


def test_sin_url_usa_el_motor_local_sin_tocar_la_red(servidor: ServidorLLMFalso) -> None:
    servidor.programar("bueno")
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(None))
    assert resultado.motor == "local"
    assert resultado.categoria in CATEGORIAS
    assert servidor.peticiones == []
    assert modo_clasificador(_ajustes(None)) == "local"
    assert modo_clasificador(_ajustes(servidor.url)) == "llm"


def test_respuesta_buena_usa_el_llm_y_templa_la_confianza_declarada(
    servidor: ServidorLLMFalso,
) -> None:
    servidor.programar("bueno")
    sin_historial = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    assert sin_historial.motor == "llm"  # coincide con el offline: su consejo, confianza offline
    assert sin_historial.confianza == pytest.approx(clasificar_local(TEXTO).confianza, abs=1e-4)
    _fiable()
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    assert resultado.motor == "llm"
    assert resultado.modelo == MODELO
    assert resultado.categoria == "reclamo"
    assert resultado.sentimiento == "negativo"
    assert resultado.recomendacion_agente == RESPUESTA_BUENA["recomendacion_agente"]
    assert resultado.resumen == RESPUESTA_BUENA["resumen"]
    esperada = PESO_DECLARADA * 0.9 + (1 - PESO_DECLARADA) * clasificar_local(TEXTO).confianza
    assert resultado.confianza == pytest.approx(esperada, abs=1e-4)
    assert resultado.latencia_ms > 0


def test_peticion_pide_esquema_json_logprobs_y_manda_la_clave(servidor: ServidorLLMFalso) -> None:
    servidor.programar("bueno")
    clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    (peticion,) = servidor.peticiones
    cuerpo = peticion["cuerpo"]
    assert peticion["ruta"] == "/v1/chat/completions"
    assert peticion["cabeceras"]["authorization"] == "Bearer clave-de-prueba"
    assert cuerpo["model"] == "modelo-pedido"
    assert cuerpo["logprobs"] is True
    assert cuerpo["top_logprobs"] == 1  # sin él, llama-cpp-python no devuelve logprobs
    assert cuerpo["temperature"] == 0
    formato = cuerpo["response_format"]
    assert formato["type"] == "json_schema"
    esquema = formato["json_schema"]["schema"]
    assert esquema["properties"]["categoria"]["enum"] == list(CATEGORIAS)
    assert esquema["properties"]["recomendacion_agente"]["maxLength"] == MAX_RECOMENDACION


def test_logprobs_del_token_de_categoria_dan_la_confianza(servidor: ServidorLLMFalso) -> None:
    servidor.programar("logprobs")
    servidor.p_logprobs = (0.7, 0.95)
    _fiable()
    try:
        resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    finally:
        servidor.p_logprobs = (0.9, 0.99)
    assert resultado.motor == "llm"
    p_llm = 0.7 * 0.95
    esperada = PESO_LOGPROBS * p_llm + (1 - PESO_LOGPROBS) * clasificar_local(TEXTO).confianza
    assert resultado.confianza == pytest.approx(esperada, abs=1e-4)


@pytest.mark.parametrize(
    "comportamiento",
    ["cercado", "prosa", "razonamiento", "harmony", "razonamiento_aparte", "solo_razonamiento"],
)
def test_respuestas_envueltas_se_leen_bien(servidor: ServidorLLMFalso, comportamiento: str) -> None:
    servidor.programar(comportamiento)
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    assert resultado.motor == "llm"
    assert resultado.categoria == "reclamo"  # nunca el borrador del razonamiento
    assert resultado.recomendacion_agente == RESPUESTA_BUENA["recomendacion_agente"]


@pytest.mark.parametrize("comportamiento", ["basura", "fuera", "vacio", "nulo", "html"])
def test_respuesta_invalida_cae_al_motor_local(
    servidor: ServidorLLMFalso, comportamiento: str, caplog: pytest.LogCaptureFixture
) -> None:
    servidor.programar(comportamiento)
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    local = clasificar_local(TEXTO)
    assert resultado.motor == "local"
    assert (resultado.categoria, resultado.confianza) == (local.categoria, local.confianza)
    assert resultado.modelo == local.modelo
    assert len(servidor.peticiones) == 1  # una respuesta inválida no se reintenta
    assert "se usa el clasificador local" in caplog.text


def test_http_500_se_reintenta_una_vez_y_cae_al_local(servidor: ServidorLLMFalso) -> None:
    servidor.programar("error_500")
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    assert resultado.motor == "local"
    assert len(servidor.peticiones) == 2


def test_http_500_y_luego_buena_respuesta_usa_el_llm(servidor: ServidorLLMFalso) -> None:
    servidor.programar("error_500", "bueno")
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    assert resultado.motor == "llm"
    assert len(servidor.peticiones) == 2


def test_servidor_mudo_responde_el_local_dentro_del_plazo(servidor: ServidorLLMFalso) -> None:
    servidor.programar("mudo")
    inicio = time.monotonic()
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    transcurrido = time.monotonic() - inicio
    assert resultado.motor == "local"
    assert PLAZO * 0.9 <= transcurrido < PLAZO + MARGEN
    assert resultado.latencia_ms == pytest.approx(transcurrido * 1000, rel=0.2)
    assert len(servidor.peticiones) == 1  # sin tiempo para un segundo intento


def test_reintento_solo_recibe_el_tiempo_restante(servidor: ServidorLLMFalso) -> None:
    servidor.programar("error_500", "mudo")
    inicio = time.monotonic()
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(servidor.url))
    assert time.monotonic() - inicio < PLAZO + MARGEN
    assert resultado.motor == "local"
    assert len(servidor.peticiones) == 2


def test_conexion_rechazada_cae_al_local_enseguida() -> None:
    url = f"http://127.0.0.1:{_puerto_libre()}/v1"
    inicio = time.monotonic()
    resultado = clasificar_texto(TEXTO, ajustes=_ajustes(url, plazo=5.0))
    assert resultado.motor == "local"
    assert time.monotonic() - inicio < 2.0


@pytest.mark.parametrize("comportamiento", ["sin_schema_400", "sin_schema_500"])
def test_esquema_rechazado_pasa_a_json_object_y_lo_recuerda(
    servidor: ServidorLLMFalso, comportamiento: str
) -> None:
    servidor.programar(comportamiento)
    ajustes = _ajustes(servidor.url)
    primero = clasificar_texto(TEXTO, ajustes=ajustes)
    assert primero.motor == "llm"
    formatos = [p["cuerpo"]["response_format"]["type"] for p in servidor.peticiones]
    assert formatos == ["json_schema", "json_object"]
    assert capacidades(servidor.url, "modelo-pedido").formato == "json_object"

    servidor.peticiones.clear()
    segundo = clasificar_texto(TEXTO, ajustes=ajustes)
    assert segundo.motor == "llm"
    assert [p["cuerpo"]["response_format"]["type"] for p in servidor.peticiones] == ["json_object"]


def test_logprobs_rechazados_se_dejan_de_pedir(servidor: ServidorLLMFalso) -> None:
    servidor.programar("sin_logprobs")
    ajustes = _ajustes(servidor.url)
    assert clasificar_texto(TEXTO, ajustes=ajustes).motor == "llm"
    assert [p["cuerpo"].get("logprobs") for p in servidor.peticiones] == [True, None]
    servidor.peticiones.clear()
    assert clasificar_texto(TEXTO, ajustes=ajustes).motor == "llm"
    assert [p["cuerpo"].get("logprobs") for p in servidor.peticiones] == [None]


def test_caidas_seguidas_pausan_el_llm_y_luego_se_reintenta(
    servidor: ServidorLLMFalso, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llm_pausa, "PAUSA_SEGUNDOS", 0.3)
    servidor.programar("error_500")
    ajustes = _ajustes(servidor.url)
    for _ in range(llm_pausa.FALLOS_PARA_PAUSA):
        assert clasificar_texto(TEXTO, ajustes=ajustes).motor == "local"
    assert len(servidor.peticiones) == 2 * llm_pausa.FALLOS_PARA_PAUSA
    servidor.programar("bueno")
    assert clasificar_texto(TEXTO, ajustes=ajustes).motor == "local"
    assert servidor.peticiones == []  # en pausa: ni se le pregunta
    time.sleep(0.35)
    assert clasificar_texto(TEXTO, ajustes=ajustes).motor == "llm"
    assert len(servidor.peticiones) == 1


def test_servidor_mudo_no_retiene_a_cada_peticion(servidor: ServidorLLMFalso) -> None:
    servidor.programar("mudo")
    ajustes = _ajustes(servidor.url, plazo=0.3)
    for _ in range(llm_pausa.FALLOS_PARA_PAUSA):
        clasificar_texto(TEXTO, ajustes=ajustes)
    inicio = time.monotonic()
    assert clasificar_texto(TEXTO, ajustes=ajustes).motor == "local"
    assert time.monotonic() - inicio < 0.1
    assert len(servidor.peticiones) == llm_pausa.FALLOS_PARA_PAUSA


def test_respuesta_invalida_no_cuenta_como_caida(servidor: ServidorLLMFalso) -> None:
    servidor.programar("basura")
    ajustes = _ajustes(servidor.url)
    for _ in range(llm_pausa.FALLOS_PARA_PAUSA + 1):
        clasificar_texto(TEXTO, ajustes=ajustes)
    assert len(servidor.peticiones) == llm_pausa.FALLOS_PARA_PAUSA + 1
