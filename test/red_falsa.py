"""Red de pruebas en 127.0.0.1: puertos cerrados, servidores mudos, un proxy que se cuelga
y un uvicorn real en un subproceso."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]


def puerto_cerrado() -> int:
    """Un puerto de loopback en el que nadie escucha: conectar da 'connection refused'."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def puerto_libre() -> int:
    return puerto_cerrado()


def _cerrar_escucha(escucha: socket.socket) -> None:
    """Cierra de verdad un socket en escucha: en Linux, close() solo no despierta a accept()."""
    try:
        escucha.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    escucha.close()


class ServidorMudo:
    """Acepta conexiones TCP y nunca contesta (ni cierra) mientras vive."""

    def __init__(self) -> None:
        self._escucha = socket.socket()
        self._escucha.bind(("127.0.0.1", 0))
        self._escucha.listen(512)
        self.puerto = self._escucha.getsockname()[1]
        self.conexiones: list[socket.socket] = []
        self._vivo = True
        threading.Thread(target=self._aceptar, daemon=True).start()

    def _aceptar(self) -> None:
        while self._vivo:
            try:
                conexion, _ = self._escucha.accept()
            except OSError:
                return
            self.conexiones.append(conexion)

    def cerrar(self) -> None:
        self._vivo = False
        _cerrar_escucha(self._escucha)
        for conexion in self.conexiones:
            conexion.close()

    def __enter__(self) -> "ServidorMudo":
        return self

    def __exit__(self, *_: object) -> None:
        self.cerrar()


class ProxyTCP:
    """Reenvía a un servidor real; `colgar()` deja de reenviar (la base 'se cuelga') y
    `caer()` cierra todo y deja el puerto cerrado (la base 'se cae')."""

    def __init__(self, destino: tuple[str, int]) -> None:
        self.destino = destino
        self._escucha = socket.socket()
        self._escucha.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._escucha.bind(("127.0.0.1", 0))
        self._escucha.listen(512)
        self.puerto = self._escucha.getsockname()[1]
        self._fluye = threading.Event()
        self._fluye.set()
        self._caido = False
        self._abiertos: list[socket.socket] = []
        threading.Thread(target=self._aceptar, daemon=True).start()

    def _aceptar(self) -> None:
        while True:
            try:
                cliente, _ = self._escucha.accept()
            except OSError:
                return
            self._abiertos.append(cliente)
            threading.Thread(target=self._unir, args=(cliente,), daemon=True).start()

    def _unir(self, cliente: socket.socket) -> None:
        self._fluye.wait()
        if self._caido:
            cliente.close()
            return
        try:
            servidor = socket.create_connection(self.destino)
        except OSError:
            cliente.close()
            return
        self._abiertos.append(servidor)
        threading.Thread(target=self._copiar, args=(servidor, cliente), daemon=True).start()
        self._copiar(cliente, servidor)

    def _copiar(self, origen: socket.socket, destino: socket.socket) -> None:
        try:
            while datos := origen.recv(65536):
                self._fluye.wait()
                if self._caido:
                    return
                destino.sendall(datos)
        except OSError:
            pass
        finally:
            for s in (origen, destino):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def colgar(self) -> None:
        self._fluye.clear()

    def reanudar(self) -> None:
        self._fluye.set()

    def caer(self) -> None:
        self._caido = True
        _cerrar_escucha(self._escucha)
        for s in self._abiertos:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self._fluye.set()


class ServidorUvicorn:
    """`uvicorn main:app` real en un subproceso, con el entorno dado; espera a /salud."""

    def __init__(self, entorno: dict[str, str], *, registro: Path, raiz: Path = RAIZ) -> None:
        self.puerto = puerto_libre()
        self.url = f"http://127.0.0.1:{self.puerto}"
        base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REDIS_"))}
        orden = [sys.executable, "-m", "uvicorn", "main:app", "--host", "127.0.0.1"]
        orden += ["--port", str(self.puerto), "--log-level", "warning"]
        self._registro = open(registro, "wb")  # noqa: SIM115 (vive lo que el proceso)
        self.proceso = subprocess.Popen(
            orden,
            cwd=raiz,
            env={**base, **entorno},
            stdout=self._registro,
            stderr=subprocess.STDOUT,
        )
        self._esperar_arranque()

    def _esperar_arranque(self, plazo: float = 60.0) -> None:
        limite = time.monotonic() + plazo
        while time.monotonic() < limite:
            assert self.proceso.poll() is None, "uvicorn terminó al arrancar"
            try:
                if httpx.get(f"{self.url}/salud", timeout=1).status_code in (200, 503):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("uvicorn no arrancó a tiempo")

    def detener(self) -> None:
        self.proceso.terminate()
        try:
            self.proceso.wait(10)
        except subprocess.TimeoutExpired:
            self.proceso.kill()
            self.proceso.wait()
        self._registro.close()

    def __enter__(self) -> "ServidorUvicorn":
        return self

    def __exit__(self, *_: object) -> None:
        self.detener()
