"""Reportes desde la consola (generar y descargar los tres formatos) y la documentación
interactiva (/docs y /redoc) cargada sin salir de 127.0.0.1, con Authorize funcionando."""

import httpx
import pytest

from test.ayudas_api import datos_llamada
from test.conftest import EMAILS
from test.navegador import Vigilancia, comprobar, entrar, nuevo_contexto, vigilar

FIRMAS = {"csv": b"", "xlsx": b"PK", "pdf": b"%PDF"}


def _sembrar_llamadas(servidor, cuantas: int) -> None:
    with httpx.Client(base_url=servidor.url) as http:
        token = http.post(
            "/api/usuarios/login", json={"email": EMAILS["agente"], "password": "123456"}
        ).json()["access_token"]
        for i in range(cuantas):
            respuesta = http.post(
                "/api/llamadas/",
                json=datos_llamada(numero_cliente=f"60000000{i}"),
                headers={"Authorization": f"Bearer {token}"},
            )
            assert respuesta.status_code == 201, respuesta.text


def test_supervisora_genera_un_reporte_y_descarga_csv_xlsx_y_pdf(abrir_pagina, servidor, tmp_path):
    pagina = abrir_pagina()
    _sembrar_llamadas(servidor, 3)
    entrar(pagina, "supervisor")
    pagina.click(".navegacion a:has-text('Reportes')")
    pagina.wait_for_selector("#tarjeta-reportes :text('Todavía no hay reportes')")
    pagina.fill("#reporte-descripcion", "Semana de prueba")
    pagina.click("#reporte-generar")
    aviso = pagina.wait_for_selector("#reportes-mensajes .aviso.ok")
    assert "con 3 llamadas" in aviso.inner_text()
    fila = pagina.wait_for_selector("#reportes tr[data-id]")
    assert "Semana de prueba" in fila.inner_text()
    reporte_id = fila.get_attribute("data-id")
    for formato, firma in FIRMAS.items():
        with pagina.expect_download() as espera:
            pagina.click(f"button[data-reporte='{reporte_id}'][data-formato='{formato}']")
        descarga = espera.value
        assert descarga.suggested_filename.endswith(f".{formato}")
        destino = tmp_path / descarga.suggested_filename
        descarga.save_as(destino)
        contenido = destino.read_bytes()
        assert contenido.startswith(firma) and len(contenido) > 20
        if formato == "csv":
            assert contenido.decode("utf-8-sig").count("600000") == 3


def test_reporte_con_fechas_al_reves_muestra_el_error(abrir_pagina, vigilancia):
    pagina = abrir_pagina()
    entrar(pagina, "admin")
    pagina.click(".navegacion a:has-text('Reportes')")
    pagina.fill("#reporte-desde", "2026-03-10")
    pagina.fill("#reporte-hasta", "2026-03-01")
    pagina.click("#reporte-generar")
    pagina.wait_for_selector("#reportes-mensajes .aviso.error:has-text('desde')")
    assert not [p for p in vigilancia.peticiones if "POST" in p and "/api/reportes" in p]


def test_docs_y_redoc_cargan_sin_internet_y_authorize_funciona(chromium, servidor, request):
    servidor.reiniciar_datos()
    html = httpx.get(f"{servidor.url}/docs").text
    if "cdn.jsdelivr.net" in html:
        request.applymarker(
            pytest.mark.xfail(reason="/docs aún carga Swagger UI desde un CDN", strict=False)
        )
    vigilancia = Vigilancia()
    contexto = nuevo_contexto(chromium, servidor)
    vigilar(contexto, vigilancia)
    try:
        pagina = contexto.new_page()
        pagina.goto("/docs")
        pagina.click("button.authorize", timeout=10_000)
        pagina.fill("#oauth_username", EMAILS["supervisor"])
        pagina.fill("#oauth_password", "123456")
        with pagina.expect_response("**/api/usuarios/login") as login:
            pagina.click(".auth-btn-wrapper button.authorize")
        assert login.value.status == 200
        pagina.wait_for_selector(".auth-btn-wrapper button:has-text('Logout')")
        pagina.click("button.btn-done")
        operacion = pagina.locator(
            ".opblock:has(.opblock-summary-path[data-path='/api/usuarios/me'])"
        )
        operacion.locator(".opblock-summary").first.click()
        operacion.locator("button.try-out__btn").click()
        with pagina.expect_request("**/api/usuarios/me") as peticion:
            operacion.locator("button.execute").click()
        assert peticion.value.headers["authorization"].startswith("Bearer ")
        operacion.locator(".live-responses-table .response-col_status:text-is('200')").wait_for()

        redoc = contexto.new_page()
        redoc.goto("/redoc")
        redoc.wait_for_selector("h1:has-text('API de Call Center')", timeout=10_000)
        redoc.wait_for_selector(".api-content h2")
        assert redoc.locator(".api-content h2").count() >= 10
    finally:
        contexto.close()
    comprobar(vigilancia)


def test_mes_pasado_rellena_el_mes_natural_anterior_en_la_zona_del_centro(abrir_pagina, app):
    from calendar import monthrange
    from datetime import datetime

    pagina = abrir_pagina()
    entrar(pagina, "supervisor")
    pagina.click(".navegacion a:has-text('Reportes')")
    zona = app.state.ajustes.zona_horaria
    pagina.wait_for_selector(f".zona:has-text('{zona}')")
    pagina.click("#reporte-mes-pasado")
    hoy = datetime.now(app.state.ajustes.zona).date()
    anio, mes = (hoy.year - 1, 12) if hoy.month == 1 else (hoy.year, hoy.month - 1)
    ultimo = monthrange(anio, mes)[1]
    assert pagina.input_value("#reporte-desde") == f"{anio}-{mes:02d}-01"
    assert pagina.input_value("#reporte-hasta") == f"{anio}-{mes:02d}-{ultimo:02d}"
