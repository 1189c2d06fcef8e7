"""Motor LLM: cualquier servidor compatible con OpenAI, con un plazo total y formato adaptable."""

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any

from config import Ajustes
from servicios.clasificador import llm_prompt
from servicios.clasificador.llm_capacidades import (
    Capacidades,
    capacidades,
    degradar,
    olvidar,
    recordar,
)
from servicios.clasificador.llm_pausa import FALLOS_PARA_PAUSA, interruptor
from servicios.clasificador.llm_respuesta import (
    RespuestaInvalida,
    acotar,
    combinar_confianza,
    interpretar,
    probabilidad_por_logprobs,
)
from servicios.clasificador.tipos import Categoria, ResultadoClasificacion, Sentimiento

if TYPE_CHECKING:
    from openai import OpenAI

log = logging.getLogger(__name__)

MAX_TOKENS = 400  # la respuesta JSON cabe en ~250; un modelo que divaga no alarga el plazo
INTENTOS = 2  # uno más un reintento, siempre dentro del mismo plazo total
PLAZO_MINIMO = 0.05  # por debajo de esto no vale la pena otro intento


class ErrorLLM(Exception):
    """El LLM no dio una clasificación válida; el motivo va en el mensaje."""


class LLMEnPausa(ErrorLLM):
    """El servidor está en pausa tras caídas seguidas: ni se le pregunta."""


_clientes: dict[tuple[str, str, float], "OpenAI"] = {}
_cerrojo = threading.Lock()


def reiniciar_estado() -> None:
    """Olvida capacidades aprendidas, pausas y la fiabilidad medida (útil en pruebas)."""
    from servicios.clasificador.combinacion import reiniciar_fiabilidad

    olvidar()
    interruptor.reiniciar()
    reiniciar_fiabilidad()


def _cliente(ajustes: Ajustes) -> "OpenAI":
    """Un cliente por servidor, reutilizado; sin reintentos propios (los lleva este módulo)."""
    from openai import OpenAI  # importación perezosa: sin LLM configurado no se paga

    assert ajustes.openai_base_url is not None
    clave = (ajustes.openai_base_url, ajustes.openai_api_key, ajustes.llm_timeout_segundos)
    with _cerrojo:
        cliente = _clientes.get(clave)
        if cliente is None:
            # max_retries=0: el reintento de la librería empezaría otro plazo completo tras una
            # espera; aquí el segundo intento solo recibe el tiempo que queda del plazo total.
            cliente = OpenAI(
                base_url=ajustes.openai_base_url,
                api_key=ajustes.openai_api_key or "sin-clave",
                timeout=ajustes.llm_timeout_segundos,
                max_retries=0,
            )
            _clientes[clave] = cliente
        return cliente


def _parametros(caps: Capacidades, texto: str, contexto: str | None, modelo: str) -> dict[str, Any]:
    """Cuerpo de la petición según lo que el servidor acepta."""
    parametros: dict[str, Any] = {
        "model": modelo,
        "messages": llm_prompt.mensajes(texto, contexto),
        caps.campo_max: MAX_TOKENS,
    }
    formato = llm_prompt.formato_respuesta(caps.formato)
    if formato is not None:
        parametros["response_format"] = formato
    if caps.temperatura:
        parametros["temperature"] = 0
    if caps.logprobs:
        # top_logprobs: llama-cpp-python solo devuelve logprobs en el chat si se pide alguno.
        parametros["logprobs"] = True
        parametros["top_logprobs"] = 1
    return parametros


def _mensaje_error(error: Any) -> str:
    """Mensaje y cuerpo de un error HTTP en un solo texto, para reconocer qué se rechazó."""
    cuerpo = error.body if isinstance(error.body, str) else json.dumps(error.body, default=str)
    return f"{error.message} {cuerpo}"


class PlazoAgotado(Exception):
    """La respuesta no terminó de llegar dentro del plazo total."""


# El timeout de httpx es por lectura: un servidor que gotea bytes lo renueva sin fin. La
# petición corre en un hilo y se espera solo el plazo total; el hilo abandonado termina con
# su propio timeout y, como el grupo está acotado, un servidor lento no acumula hilos.
_hilos = ThreadPoolExecutor(max_workers=8, thread_name_prefix="llm")


def _crear_con_plazo(cliente: "OpenAI", parametros: dict[str, Any], restante: float) -> Any:
    """chat.completions.create que devuelve o falla en `restante` segundos como mucho."""
    futuro = _hilos.submit(cliente.chat.completions.create, **parametros, timeout=restante)
    try:
        return futuro.result(timeout=restante)
    except FutureTimeout:
        futuro.cancel()
        raise PlazoAgotado from None


def _pedir(texto: str, contexto: str | None, ajustes: Ajustes) -> tuple[Any, Capacidades]:
    """Hace la petición con a lo sumo un reintento, todo dentro de `llm_timeout_segundos`."""
    assert ajustes.openai_base_url is not None
    base_url = ajustes.openai_base_url
    prueba = interruptor.pedir_paso(base_url, maximo=ajustes.llm_max_concurrentes)
    if prueba is None:
        pausa = interruptor.segundos_en_pausa(base_url)
        if pausa > 0:
            raise LLMEnPausa(f"en pausa {pausa:.0f} s más tras {FALLOS_PARA_PAUSA} caídas seguidas")
        raise LLMEnPausa("ocupado: ya hay una prueba o el máximo de llamadas en curso")
    try:
        return _pedir_con_paso(texto, contexto, ajustes)
    finally:
        interruptor.devolver_paso(base_url, prueba)


def _pedir_con_paso(texto: str, contexto: str | None, ajustes: Ajustes) -> tuple[Any, Capacidades]:
    """La petición en sí, ya con permiso del interruptor."""
    import openai

    assert ajustes.openai_base_url is not None
    base_url, modelo = ajustes.openai_base_url, ajustes.openai_model
    limite = time.monotonic() + ajustes.llm_timeout_segundos
    caps = capacidades(base_url, modelo)
    cliente = _cliente(ajustes)
    motivo, caido = "plazo agotado", True
    for intento in range(INTENTOS):
        restante = limite - time.monotonic()
        if restante < PLAZO_MINIMO:
            break
        ultimo = intento == INTENTOS - 1
        try:
            completado = _crear_con_plazo(
                cliente, _parametros(caps, texto, contexto, modelo), restante
            )
            interruptor.anotar_exito(base_url)
            return completado, caps
        except (openai.APITimeoutError, PlazoAgotado):
            motivo, caido = f"sin respuesta en {ajustes.llm_timeout_segundos:g} s", True
            break
        except openai.APIStatusError as error:
            mensaje = _mensaje_error(error)
            motivo = f"HTTP {error.status_code}: {mensaje[:200]}"
            nuevas = degradar(caps, mensaje) if error.status_code in (400, 422, 500, 501) else None
            caido = error.status_code >= 500 and nuevas is None
            if nuevas is not None:
                log.info("El servidor %s rechazó un parámetro; se usará %s", base_url, nuevas)
                recordar(base_url, modelo, nuevas)
                caps = nuevas
            elif error.status_code < 500 or ultimo:
                break
        except openai.APIConnectionError as error:
            motivo, caido = f"sin conexión con {base_url}: {error.message}", True
        except openai.OpenAIError as error:
            raise ErrorLLM(f"error del cliente: {error}") from None
    if caido:
        interruptor.anotar_caida(base_url)
    else:
        interruptor.anotar_exito(base_url)  # responde, aunque rechace: no está caído
    raise ErrorLLM(motivo)


def _tokens(eleccion: Any) -> list[tuple[str, float | None]]:
    """Tokens y logprobs del contenido, si el servidor los devolvió."""
    logprobs = getattr(eleccion, "logprobs", None)
    contenido = getattr(logprobs, "content", None) or []
    return [(str(getattr(t, "token", "")), getattr(t, "logprob", None)) for t in contenido]


def _razonamiento(mensaje: Any) -> str | None:
    """El razonamiento que algunos servidores devuelven aparte (`reasoning_content`)."""
    for campo in ("reasoning_content", "reasoning"):
        valor = getattr(mensaje, campo, None)
        if isinstance(valor, str) and valor.strip():
            return valor
    return None


def _probabilidad_local(texto: str, categoria: Categoria) -> float | None:
    """Probabilidad que el clasificador local da a la categoría; None si no está disponible."""
    try:
        from servicios.clasificador.local import probabilidades_local

        return float(probabilidades_local(texto).get(categoria, 0.0))
    except Exception:  # el motor local nunca debe tumbar una respuesta válida del LLM
        log.exception("El clasificador local no pudo dar probabilidades")
        return None


def _sentimiento_local(texto: str) -> Sentimiento:
    """Sentimiento del analizador local, para cuando el modelo no da uno válido."""
    from servicios.clasificador.sentimiento import analizar_sentimiento

    return analizar_sentimiento(texto)


def _recomendacion_local(texto: str, categoria: Categoria, sentimiento: Sentimiento) -> str:
    """Recomendación local para la categoría del LLM, si el modelo no dio una válida."""
    from servicios.clasificador.recomendaciones import recomendar

    return recomendar(texto, categoria, sentimiento)


def clasificar_llm(
    texto: str, *, ajustes: Ajustes, contexto: str | None = None
) -> ResultadoClasificacion:
    """Clasifica con el LLM configurado; lanza ErrorLLM ante un fallo o una respuesta inválida."""
    if not ajustes.openai_base_url:
        raise ErrorLLM("OPENAI_BASE_URL no está configurada")
    inicio = time.perf_counter()
    completado, _ = _pedir(texto, contexto, ajustes)
    eleccion = (getattr(completado, "choices", None) or [None])[0]
    mensaje = getattr(eleccion, "message", None)
    if mensaje is None:
        raise ErrorLLM("respuesta sin mensaje")
    contenido = mensaje.content if isinstance(mensaje.content, str) else None
    try:
        respuesta = interpretar(
            contenido,
            _razonamiento(mensaje),
            max_recomendacion=llm_prompt.MAX_RECOMENDACION,
            max_resumen=llm_prompt.MAX_RESUMEN,
        )
    except RespuestaInvalida as error:
        raise ErrorLLM(str(error)) from None
    categoria = respuesta.categoria
    sentimiento = respuesta.sentimiento or _sentimiento_local(texto)
    p_logprobs = probabilidad_por_logprobs(_tokens(eleccion), categoria)
    confianza = combinar_confianza(
        p_logprobs, respuesta.confianza_declarada, _probabilidad_local(texto, categoria)
    )
    modelo = acotar(getattr(completado, "model", None), 100, una_linea=True)
    return ResultadoClasificacion(
        categoria=categoria,
        confianza=confianza,
        recomendacion_agente=respuesta.recomendacion
        or _recomendacion_local(texto, categoria, sentimiento),
        sentimiento=sentimiento,
        motor="llm",
        modelo=modelo or ajustes.openai_model,
        latencia_ms=round((time.perf_counter() - inicio) * 1000, 1),
        resumen=respuesta.resumen,
        p_llm=p_logprobs if p_logprobs is not None else respuesta.confianza_declarada,
        p_llm_por_logprobs=p_logprobs is not None,
        p_llm_declarada=respuesta.confianza_declarada,
    )
