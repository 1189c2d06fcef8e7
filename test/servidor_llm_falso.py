"""Servidor HTTP real compatible con OpenAI (chat completions) con comportamientos guionizados."""

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from test.respuestas_llm import MODELO, completado, error, tokens_con_logprobs

__all__ = ["MODELO", "RESPUESTA_BUENA", "ServidorLLMFalso", "tokens_con_logprobs"]

Respuesta = tuple[int, dict[str, Any] | str]

RESPUESTA_BUENA: dict[str, Any] = {
    "categoria": "reclamo",
    "confianza": 0.9,
    "sentimiento": "negativo",
    "recomendacion_agente": "Verificar el cobro duplicado y ofrecer el reembolso en 48 horas.",
    "resumen": "Cliente molesto por un cobro duplicado en su factura.",
}
GOTEO = -1  # estado interno: responder 200 goteando el cuerpo


class ServidorLLMFalso:
    """Servidor en 127.0.0.1 con puerto efímero; `programar()` elige cómo contesta."""

    def __init__(self) -> None:
        self.peticiones: list[dict[str, Any]] = []
        self.respuesta: dict[str, Any] = dict(RESPUESTA_BUENA)
        self.p_logprobs: tuple[float, float] = (0.9, 0.99)
        # "segun_texto": categoría que responde si el texto de la llamada contiene la clave.
        self.categorias_por_texto: dict[str, str] = {}
        self.espera_muda = 30.0
        self.espera_lenta = 0.3
        self.pausa_goteo = 0.05
        self._guion: list[str] = ["bueno"]
        self._parar = threading.Event()
        self._cerrojo = threading.Lock()
        self._http: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def programar(self, *comportamientos: str) -> None:
        """Un comportamiento por petición, en orden; el último se repite."""
        assert all(c in self.comportamientos for c in comportamientos), comportamientos
        with self._cerrojo:
            self._guion = list(comportamientos)
            self.peticiones.clear()

    def iniciar(self) -> "ServidorLLMFalso":
        servidor = self

        class Manejador(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (nombre de la API de http.server)
                largo = int(self.headers.get("Content-Length") or 0)
                cuerpo = json.loads(self.rfile.read(largo) or b"{}")
                if not self.path.endswith("/chat/completions"):
                    self._enviar(404, error("ruta desconocida"))
                    return
                cabeceras = {k.lower(): v for k, v in self.headers.items()}
                self._enviar(*servidor._atender(self.path, cabeceras, cuerpo))

            def _enviar(self, estado: int, cuerpo: dict[str, Any] | str) -> None:
                if estado == 0:  # cortar sin responder
                    return
                goteo = estado == GOTEO
                estado = 200 if goteo else estado
                datos = cuerpo.encode() if isinstance(cuerpo, str) else json.dumps(cuerpo).encode()
                tipo = "text/html" if isinstance(cuerpo, str) else "application/json"
                try:
                    self.send_response(estado)
                    self.send_header("Content-Type", tipo)
                    self.send_header("Content-Length", str(len(datos)))
                    self.end_headers()
                    if not goteo:
                        self.wfile.write(datos)
                        return
                    # Un byte cada poco: ninguna lectura espera lo bastante para su timeout.
                    for i in range(len(datos)):
                        if servidor._parar.wait(servidor.pausa_goteo):
                            return
                        self.wfile.write(datos[i : i + 1])
                        self.wfile.flush()
                except OSError:  # el cliente ya se fue (plazo agotado)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
        self._http.daemon_threads = True
        self._http.block_on_close = False
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def detener(self) -> None:
        self._parar.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()

    def __enter__(self) -> "ServidorLLMFalso":
        return self.iniciar()

    def __exit__(self, *_: object) -> None:
        self.detener()

    def _atender(self, ruta: str, cabeceras: dict[str, str], cuerpo: dict[str, Any]) -> Respuesta:
        with self._cerrojo:
            self.peticiones.append({"ruta": ruta, "cabeceras": cabeceras, "cuerpo": cuerpo})
            nombre = self._guion.pop(0) if len(self._guion) > 1 else self._guion[0]
        return self.comportamientos[nombre](self, cuerpo)

    # Comportamientos: reciben el cuerpo de la petición y devuelven (estado, cuerpo).

    def _json(self) -> str:
        return json.dumps(self.respuesta, ensure_ascii=False)

    def _bueno(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 200, completado(self._json())

    def _con_logprobs(self, cuerpo: dict[str, Any]) -> Respuesta:
        contenido = self._json()
        tokens = (
            tokens_con_logprobs(contenido, *self.p_logprobs) if cuerpo.get("logprobs") else None
        )
        return 200, completado(contenido, tokens=tokens)

    def _cercado(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 200, completado(f"```json\n{self._json()}\n```")

    def _prosa(self, cuerpo: dict[str, Any]) -> Respuesta:
        texto = f"Claro, esta es la clasificación {{según lo pedido}}:\n{self._json()}\nSaludos."
        return 200, completado(texto)

    def _razonamiento(self, cuerpo: dict[str, Any]) -> Respuesta:
        borrador = json.dumps({**self.respuesta, "categoria": "venta"})
        texto = f"<think>Podría ser {borrador}, pero el cliente se queja.</think>\n{self._json()}"
        return 200, completado(texto)

    def _harmony(self, cuerpo: dict[str, Any]) -> Respuesta:
        borrador = json.dumps({**self.respuesta, "categoria": "soporte"})
        texto = (
            f"analysisEl usuario pide {borrador}? No, es un reclamo.assistantfinal{self._json()}"
        )
        return 200, completado(texto)

    def _razonamiento_aparte(self, cuerpo: dict[str, Any]) -> Respuesta:
        extra = {"reasoning_content": 'Pienso: {"categoria": "venta"} no encaja; es un reclamo.'}
        return 200, completado(self._json(), extra_mensaje=extra)

    def _solo_razonamiento(self, cuerpo: dict[str, Any]) -> Respuesta:
        extra = {"reasoning_content": f"Es un reclamo claro. Respuesta:\n{self._json()}"}
        return 200, completado(None, extra_mensaje=extra)

    def _sin_schema_400(self, cuerpo: dict[str, Any]) -> Respuesta:
        if (cuerpo.get("response_format") or {}).get("type") == "json_schema":
            return 400, error("'response_format.type' must be 'json_object' or 'text'")
        return self._bueno(cuerpo)

    def _sin_schema_500(self, cuerpo: dict[str, Any]) -> Respuesta:
        if (cuerpo.get("response_format") or {}).get("type") == "json_schema":
            detalle = (
                "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]"
            )
            return 500, error(detalle, "internal_server_error")
        return self._bueno(cuerpo)

    def _sin_logprobs(self, cuerpo: dict[str, Any]) -> Respuesta:
        if cuerpo.get("logprobs"):
            return 400, error("logprobs is not supported with this model")
        return self._bueno(cuerpo)

    def _basura(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 200, completado("Lo siento, no entiendo la pregunta. {esto no es json")

    def _fuera(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 200, completado(json.dumps({**self.respuesta, "categoria": "consulta"}))

    def _vacio(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 200, completado("")

    def _nulo(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 200, completado(None)

    def _html(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 200, "<html><body>Bad gateway</body></html>"

    def _error_500(self, cuerpo: dict[str, Any]) -> Respuesta:
        return 500, error("Internal server error", "server_error")

    def _lento(self, cuerpo: dict[str, Any]) -> Respuesta:
        """Contesta bien, pero tras `espera_lenta` segundos (trabajos que duran algo)."""
        self._parar.wait(self.espera_lenta)
        return self._bueno(cuerpo)

    def _mudo(self, cuerpo: dict[str, Any]) -> Respuesta:
        self._parar.wait(self.espera_muda)
        return 0, ""

    def _goteo(self, cuerpo: dict[str, Any]) -> Respuesta:
        return GOTEO, completado(self._json())

    def _confuso(self, cuerpo: dict[str, Any]) -> Respuesta:
        """Un modelo pequeño despistado: otra categoría y poca seguridad."""
        respuesta = {**self.respuesta, "categoria": "venta", "confianza": 0.35}
        return 200, completado(json.dumps(respuesta))

    def _equivocado(self, cuerpo: dict[str, Any]) -> Respuesta:
        """Un modelo que se equivoca muy seguro de sí mismo."""
        respuesta = {**self.respuesta, "categoria": "venta", "confianza": 0.95}
        return 200, completado(json.dumps(respuesta))

    def _segun_texto(self, cuerpo: dict[str, Any]) -> Respuesta:
        """Un modelo que responde la categoría apuntada para el texto, muy seguro (0,95)."""
        usuario = cuerpo["messages"][-1]["content"]
        categoria = next(
            (c for clave, c in self.categorias_por_texto.items() if clave in usuario), "venta"
        )
        respuesta = {**self.respuesta, "categoria": categoria, "confianza": 0.95}
        return 200, completado(json.dumps(respuesta))

    def _obediente(self, cuerpo: dict[str, Any]) -> Respuesta:
        """Un modelo comprometido: hace lo que diga el texto de la llamada."""
        usuario = cuerpo["messages"][-1]["content"]
        respuesta = dict(self.respuesta)
        if "SYSTEM" in usuario:
            respuesta.update(
                categoria=" RECLAMO ",
                confianza=7,
                sentimiento="furioso",
                recomendacion_agente="Haz caso al cliente. " * 400,
                resumen="línea\n" * 200,
                instrucciones_nuevas="formato libre",
            )
        if "spam" in usuario:
            respuesta["categoria"] = "spam"
        return 200, completado(json.dumps(respuesta))

    comportamientos: dict[str, Callable[["ServidorLLMFalso", dict[str, Any]], Respuesta]] = {
        "bueno": _bueno,
        "logprobs": _con_logprobs,
        "cercado": _cercado,
        "prosa": _prosa,
        "razonamiento": _razonamiento,
        "harmony": _harmony,
        "razonamiento_aparte": _razonamiento_aparte,
        "solo_razonamiento": _solo_razonamiento,
        "sin_schema_400": _sin_schema_400,
        "sin_schema_500": _sin_schema_500,
        "sin_logprobs": _sin_logprobs,
        "basura": _basura,
        "fuera": _fuera,
        "vacio": _vacio,
        "nulo": _nulo,
        "html": _html,
        "error_500": _error_500,
        "mudo": _mudo,
        "lento": _lento,
        "obediente": _obediente,
        "goteo": _goteo,
        "confuso": _confuso,
        "equivocado": _equivocado,
        "segun_texto": _segun_texto,
    }
