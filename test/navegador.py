"""Pruebas en navegador: un uvicorn real en 127.0.0.1 (SQLite nuevo y, con TEST_DATABASE_URL,
PostgreSQL) y el Chromium de Debian manejado con Playwright; cada página falla la prueba si
pide algo fuera de 127.0.0.1 o si escribe un error en la consola."""

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import text

from database import crear_motor
from main import crear_app
from servicios.semilla import PASSWORD_INICIAL, sembrar_usuarios
from test.conftest import EMAILS, MOTORES, ajustes_de_prueba, vaciar

RUTA_CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGUMENTOS_CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ESQUEMA_PG = "navegador"
ESPERA_MS = 5000


@dataclass
class Servidor:
    """Un uvicorn de verdad sirviendo la app en un hilo, con su base propia."""

    app: FastAPI
    url: str
    uvicorn: uvicorn.Server
    hilo: threading.Thread

    def reiniciar_datos(self) -> None:
        """Base vacía con los tres usuarios iniciales y el limitador de login a cero."""
        motor = self.app.state.fabrica_sesiones.kw["bind"]
        vaciar(motor)
        with self.app.state.fabrica_sesiones() as sesion:
            sembrar_usuarios(sesion=sesion, ajustes=self.app.state.ajustes)
        self.app.state.limitador_login.reiniciar()

    def detener(self) -> None:
        self.uvicorn.should_exit = True
        self.hilo.join(timeout=10)
        if self.hilo.is_alive():
            self.uvicorn.force_exit = True
            self.hilo.join(timeout=5)


def arrancar_servidor(app: FastAPI, espera_maxima: float = 180) -> Servidor:
    """Arranca uvicorn en un puerto libre de 127.0.0.1 y espera a que acepte conexiones."""
    enchufe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    enchufe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    enchufe.bind(("127.0.0.1", 0))
    puerto = enchufe.getsockname()[1]
    configuracion = uvicorn.Config(
        app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
    )
    servidor = uvicorn.Server(configuracion)
    hilo = threading.Thread(
        target=servidor.run, kwargs={"sockets": [enchufe]}, name="uvicorn", daemon=True
    )
    hilo.start()
    limite = time.monotonic() + espera_maxima
    while not servidor.started:
        if not hilo.is_alive() or time.monotonic() > limite:
            raise RuntimeError("uvicorn no arrancó")
        time.sleep(0.05)
    return Servidor(app=app, url=f"http://127.0.0.1:{puerto}", uvicorn=servidor, hilo=hilo)


def url_postgresql_aislada(url: str) -> str:
    """La base de TEST_DATABASE_URL en un esquema propio, para no chocar con las otras pruebas."""
    motor = crear_motor(url)
    with motor.begin() as conexion:
        conexion.execute(text(f"DROP SCHEMA IF EXISTS {ESQUEMA_PG} CASCADE"))
        conexion.execute(text(f"CREATE SCHEMA {ESQUEMA_PG}"))
    motor.dispose()
    separador = "&" if "?" in url else "?"
    return f"{url}{separador}options=-csearch_path%3D{ESQUEMA_PG}"


@pytest.fixture(scope="session", params=MOTORES)
def servidor(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servidor]:
    """Servidor real por motor: SQLite en un fichero nuevo; PostgreSQL si hay TEST_DATABASE_URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('navegador') / 'consola.db'}"
    else:
        url = url_postgresql_aislada(os.environ["TEST_DATABASE_URL"])
    app = crear_app(ajustes_de_prueba(database_url=url))
    arrancado = arrancar_servidor(app)
    yield arrancado
    arrancado.detener()


# Por módulo y no por sesión: la API síncrona de Playwright deja un bucle asyncio corriendo en
# el hilo principal, y las pruebas de otros módulos que llaman a asyncio.run() fallarían.
@pytest.fixture(scope="module")
def chromium():
    """El Chromium del sistema lanzado por Playwright (sin descargar navegadores)."""
    if not (os.path.exists(RUTA_CHROMIUM) or shutil.which("chromium")):
        pytest.skip("instala Chromium: sudo apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    ruta = RUTA_CHROMIUM if os.path.exists(RUTA_CHROMIUM) else shutil.which("chromium")
    with sync_api.sync_playwright() as playwright:
        navegador = playwright.chromium.launch(executable_path=ruta, args=ARGUMENTOS_CHROMIUM)
        yield navegador
        navegador.close()


def es_local(url: str) -> bool:
    """Solo 127.0.0.1 (y los esquemas que no salen a la red: data:, blob:, about:)."""
    partes = urlsplit(url)
    if partes.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return partes.hostname == "127.0.0.1"


@dataclass
class Vigilancia:
    """Lo que las páginas de una prueba pidieron fuera de 127.0.0.1 y los errores de consola."""

    externas: list[str] = field(default_factory=list)
    errores: list[str] = field(default_factory=list)
    peticiones: list[str] = field(default_factory=list)
    estados_esperados: set[int] = field(default_factory=set)

    def esperar_estado(self, *estados: int) -> None:
        """La prueba provoca a propósito estas respuestas de error (Chromium las anota en la
        consola como «Failed to load resource»): no cuentan como error de la página."""
        self.estados_esperados.update(estados)

    def anotar_consola(self, texto: str) -> None:
        fallo = re.search(
            r"Failed to load resource: the server responded with a status of (\d+)", texto
        )
        if fallo and int(fallo.group(1)) in self.estados_esperados:
            return
        self.errores.append(f"consola: {texto}")


@pytest.fixture
def vigilancia() -> Vigilancia:
    return Vigilancia()


def vigilar(contexto, vigilancia: Vigilancia) -> None:
    """Bloquea y anota lo que salga de 127.0.0.1 y anota cada petición del contexto."""

    def _bloquear(ruta) -> None:
        vigilancia.externas.append(ruta.request.url)
        ruta.abort()

    contexto.route(lambda url: not es_local(url), _bloquear)
    contexto.on("request", lambda p: vigilancia.peticiones.append(f"{p.method} {p.url}"))
    contexto.on("console", lambda m: m.type == "error" and vigilancia.anotar_consola(m.text))
    contexto.on("weberror", lambda e: vigilancia.errores.append(f"excepción: {e.error}"))


def nuevo_contexto(chromium, servidor: Servidor, ancho: int = 1440, alto: int = 900):
    """Contexto de navegador en español y en la zona del centro, con la URL del servidor."""
    contexto = chromium.new_context(
        viewport={"width": ancho, "height": alto},
        locale="es-ES",
        timezone_id="Europe/Madrid",
        accept_downloads=True,
        base_url=servidor.url,
    )
    contexto.set_default_timeout(ESPERA_MS)
    return contexto


def comprobar(vigilancia: Vigilancia) -> None:
    """Falla si algo salió de 127.0.0.1 o si hubo errores en la consola."""
    assert vigilancia.externas == [], f"peticiones fuera de 127.0.0.1: {vigilancia.externas}"
    assert vigilancia.errores == [], f"errores en la consola del navegador: {vigilancia.errores}"


@pytest.fixture
def abrir_pagina(
    chromium, servidor: Servidor, vigilancia: Vigilancia
) -> Iterator[Callable[..., object]]:
    """abrir_pagina(ancho, alto) -> página nueva (contexto propio) vigilada; datos frescos."""
    servidor.reiniciar_datos()
    contextos = []

    def _abrir(ancho: int = 1440, alto: int = 900):
        contexto = nuevo_contexto(chromium, servidor, ancho, alto)
        vigilar(contexto, vigilancia)
        contextos.append(contexto)
        return contexto.new_page()

    yield _abrir
    for contexto in contextos:
        contexto.close()
    comprobar(vigilancia)


def entrar(pagina, quien: str, password: str = PASSWORD_INICIAL) -> None:
    """Abre /panel/ e inicia sesión por el formulario como 'agente', 'supervisor', 'admin' o un
    correo."""
    pagina.goto("/panel/")
    pagina.fill("#login-email", EMAILS.get(quien, quien))
    pagina.fill("#login-password", password)
    pagina.click("#form-login button[type=submit]")
    pagina.wait_for_selector("#vista > *")
