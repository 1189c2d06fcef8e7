"""/docs y /redoc se sirven solo con ficheros del proyecto: ninguna URL de fuera, sin scripts en
línea (cumplen una CSP con script-src 'self') y cada recurso responde 200 con su tipo."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

CARPETA_VENDOR = Path(__file__).resolve().parent.parent / "estaticos" / "vendor"
TIPOS = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".svg": ("image/svg+xml",),
    ".png": ("image/png",),
    ".json": ("application/json",),
}
# Lo que cargaría una CDN o las fuentes de Google si se colara en lo servido.
REMOTOS = re.compile(
    r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdn\.redoc\.ly|fastapi\.tiangolo"
)


class _Recursos(HTMLParser):
    """Reúne las URLs que carga una página y el texto de sus <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts_en_linea: list[str] = []
        self.config: dict = {}
        self._en_script = False

    def handle_starttag(self, etiqueta: str, atributos: list[tuple[str, str | None]]) -> None:
        datos = dict(atributos)
        for nombre in ("src", "href", "data-openapi", "data-worker"):
            if datos.get(nombre):
                self.urls.append(datos[nombre])
        if datos.get("data-config"):
            self.config = json.loads(datos["data-config"])
            self.urls += [self.config["url"], self.config["oauth2RedirectUrl"]]
        self._en_script = etiqueta == "script"

    def handle_endtag(self, etiqueta: str) -> None:
        self._en_script = False

    def handle_data(self, datos: str) -> None:
        if self._en_script and datos.strip():
            self.scripts_en_linea.append(datos)


def _recursos(cliente, ruta: str) -> _Recursos:
    respuesta = cliente.get(ruta)
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.headers["content-type"].startswith("text/html")
    lector = _Recursos()
    lector.feed(respuesta.text)
    return lector


@pytest.mark.parametrize("ruta", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_la_pagina_solo_referencia_urls_locales_sin_script_en_linea(cliente, ruta):
    recursos = _recursos(cliente, ruta)
    assert recursos.urls, "la página no carga nada"
    for url in recursos.urls:
        assert url.startswith("/") and not url.startswith("//"), url
    assert recursos.scripts_en_linea == []


@pytest.mark.parametrize("ruta", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_cada_recurso_de_la_pagina_se_sirve_con_su_tipo(cliente, ruta):
    for url in _recursos(cliente, ruta).urls:
        respuesta = cliente.get(url)
        assert respuesta.status_code == 200, url
        sufijo = Path(url).suffix
        if sufijo in TIPOS:
            assert respuesta.headers["content-type"].startswith(TIPOS[sufijo]), url
        elif url == "/openapi.json":
            assert respuesta.json()["openapi"].startswith("3.")
        else:  # la página de vuelta de OAuth2
            assert respuesta.headers["content-type"].startswith("text/html"), url
        if sufijo in (".js", ".css"):
            assert not REMOTOS.search(respuesta.text), url
            assert "sourceMappingURL=" not in respuesta.text[-300:], url


def test_swagger_ui_sin_validador_remoto(cliente):
    lector = _recursos(cliente, "/docs")
    assert lector.config["validatorUrl"] is None  # si no, pediría su insignia a swagger.io
    assert lector.config["persistAuthorization"] is True


def test_swagger_ui_tiene_authorize_contra_el_login(cliente):
    esquema = cliente.get("/openapi.json").json()["components"]["securitySchemes"]
    flujo = next(iter(esquema.values()))["flows"]["password"]
    assert flujo["tokenUrl"] == "/api/usuarios/login"
    token = cliente.post(
        flujo["tokenUrl"], data={"username": "sup@example.com", "password": "123456"}
    )
    assert token.status_code == 200, token.text
    assert token.json()["token_type"] == "bearer"


def test_redoc_no_carga_fuentes_ni_workers_de_fuera(cliente):
    codigo = cliente.get("/estaticos/vendor/redoc/redoc.standalone.js").text
    assert "createObjectURL(new Blob" not in codigo  # un worker blob: no pasa la CSP
    assert re.search(r"@import\s+url\(|<link[^>]+https?:", codigo) is None
    worker = cliente.get("/estaticos/vendor/redoc/redoc-busqueda.worker.js")
    assert worker.status_code == 200
    assert not REMOTOS.search(worker.text)
    assert re.search(r"https?://(?!www\.w3\.org)", worker.text) is None


def test_swagger_ui_css_no_pide_nada_de_fuera(cliente):
    css = cliente.get("/estaticos/vendor/swagger-ui/swagger-ui.css").text
    assert re.search(r"url\(\s*['\"]?(https?:)?//", css) is None
    assert "@import" not in css


def test_favicon_propio_en_la_raiz(cliente):
    respuesta = cliente.get("/favicon.ico")
    assert respuesta.status_code == 200
    assert respuesta.headers["content-type"] == "image/png"
    assert respuesta.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("carpeta", ["swagger-ui", "redoc"])
def test_cada_biblioteca_lleva_su_licencia(carpeta):
    licencia = (CARPETA_VENDOR / carpeta / "LICENSE").read_text()
    assert "License" in licencia
    assert (CARPETA_VENDOR / "README.md").read_text().count(carpeta) >= 1
