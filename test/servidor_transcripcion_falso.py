"""Servidor HTTP real compatible con OpenAI (`POST /v1/audio/transcriptions`) en loopback.

«Transcribe» de verdad lo que oye: busca en el WAV recibido los tramos con sonido y devuelve,
para cada tramo del guion que suena en ese canal, su texto con los tiempos exactos del guion
(así la prueba calcula la analítica esperada desde el propio guion).
"""

import io
import json
import threading
import wave
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from test.audio_prueba import Guion

MODELO = "whisper-falso"


def _partes(tipo: str, cuerpo: bytes) -> tuple[dict[str, list[str]], bytes]:
    """Campos de texto y fichero de un multipart/form-data."""
    mensaje = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {tipo}\r\n\r\n".encode() + cuerpo)
    campos: dict[str, list[str]] = {}
    fichero = b""
    for parte in mensaje.iter_parts():
        nombre = parte.get_param("name", header="content-disposition")
        if parte.get_filename():
            fichero = parte.get_payload(decode=True)
        else:
            campos.setdefault(nombre, []).append(parte.get_payload(decode=True).decode())
    return campos, fichero


def _suena(audio: bytes, inicio: float, fin: float) -> bool:
    with wave.open(io.BytesIO(audio)) as lector:
        frecuencia = lector.getframerate()
        datos = np.frombuffer(lector.readframes(lector.getnframes()), dtype="<i2")
    centro = datos[int((inicio + 0.05) * frecuencia) : int((fin - 0.05) * frecuencia)]
    ventana = frecuencia // 50  # 20 ms
    ventanas = centro[: centro.size // ventana * ventana].astype(float).reshape(-1, ventana)
    if ventanas.size == 0:
        return False
    # Suena si casi todo el tramo suena (un solape con otro tramo no basta).
    return float(np.mean(np.sqrt(np.mean(ventanas**2, axis=1)) > 1000)) > 0.9


class ServidorTranscripcionFalso:
    """`guion` dice qué se habla y cuándo; `fallar` > 0 hace que las próximas N peticiones
    respondan 500; `clave` es la que exige en Authorization."""

    def __init__(self, guion: Guion, *, clave: str = "clave-de-prueba") -> None:
        self.guion = guion
        self.clave = clave
        self.fallar = 0
        # Con `retener`, cada petición avisa en `recibida` y espera a `soltar` para responder.
        self.retener = False
        self.recibida = threading.Event()
        self.soltar = threading.Event()
        self.peticiones: list[dict[str, Any]] = []
        self._cerrojo = threading.Lock()
        self._http: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    def respuesta(self, audio: bytes) -> dict[str, Any]:
        segmentos, palabras = [], []
        for i, (_, inicio, fin, texto) in enumerate(self.guion):
            if not _suena(audio, inicio, fin):
                continue
            segmentos.append({"id": i, "start": inicio, "end": fin, "text": " " + texto})
            trozos = texto.split()
            paso = (fin - inicio) / len(trozos)
            palabras += [
                {"word": p, "start": inicio + k * paso, "end": inicio + (k + 1) * paso}
                for k, p in enumerate(trozos)
            ]
        with wave.open(io.BytesIO(audio)) as lector:
            duracion = lector.getnframes() / lector.getframerate()
        texto = " ".join(s["text"].strip() for s in segmentos)
        return {
            "task": "transcribe",
            "language": "spanish",
            "duration": duracion,
            "text": texto,
            "segments": segmentos,
            "words": palabras,
        }

    def _atender(self, ruta: str, cabeceras: dict[str, str], cuerpo: bytes) -> tuple[int, Any]:
        if ruta != "/v1/audio/transcriptions":
            return 404, {"error": {"message": "ruta desconocida"}}
        campos, audio = _partes(cabeceras.get("content-type", ""), cuerpo)
        with self._cerrojo:
            self.peticiones.append({"cabeceras": cabeceras, "campos": campos, "bytes": len(audio)})
        if self.retener:
            self.recibida.set()
            self.soltar.wait(60)
        with self._cerrojo:
            if self.fallar > 0:
                self.fallar -= 1
                return 500, {"error": {"message": "servidor caído"}}
        if cabeceras.get("authorization") != f"Bearer {self.clave}":
            return 401, {"error": {"message": "clave incorrecta"}}
        return 200, self.respuesta(audio)

    def __enter__(self) -> "ServidorTranscripcionFalso":
        servidor = self

        class Manejador(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (nombre de la API de http.server)
                cuerpo = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                cabeceras = {k.lower(): v for k, v in self.headers.items()}
                estado, datos = servidor._atender(self.path, cabeceras, cuerpo)
                salida = json.dumps(datos).encode()
                self.send_response(estado)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(salida)))
                self.end_headers()
                self.wfile.write(salida)

            def log_message(self, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        assert self._http is not None
        self._http.shutdown()
        self._http.server_close()
