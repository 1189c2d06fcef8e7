"""Consola web en un navegador real: inicio de sesión por rol, permisos y páginas de admin."""

import re

from servicios.semilla import PASSWORD_INICIAL
from test.navegador import entrar

VISTA_POR_ROL = {"agente": "#tarjeta-llamada", "supervisor": "#kpis", "admin": "#kpis"}


def test_cada_rol_entra_y_aterriza_en_su_vista(abrir_pagina):
    for rol, selector in VISTA_POR_ROL.items():
        pagina = abrir_pagina()
        entrar(pagina, rol)
        pagina.wait_for_selector(selector)
        assert (
            pagina.locator("#quien")
            .inner_text()
            .startswith(
                {"agente": "Agente Uno", "supervisor": "Supervisora", "admin": "Administración"}[
                    rol
                ]
            )
        )
        enlaces = pagina.locator(".navegacion a").all_inner_texts()
        esperados = {
            "agente": ["Mi puesto"],
            "supervisor": ["Tablero", "Reportes", "Importar"],
            "admin": ["Tablero", "Reportes", "Importar", "Usuarios"],
        }[rol]
        assert enlaces == esperados
        token = pagina.evaluate("sessionStorage.getItem('cc.token')")
        assert token and token not in pagina.url


def test_login_con_clave_mala_muestra_el_error_en_espanol(abrir_pagina, vigilancia):
    vigilancia.esperar_estado(401)
    pagina = abrir_pagina()
    pagina.goto("/panel/")
    pagina.fill("#login-email", "sup@example.com")
    pagina.fill("#login-password", "no-es-la-clave")
    pagina.click("#form-login button[type=submit]")
    pagina.wait_for_selector("#login-error:has-text('incorrectos')")
    assert pagina.evaluate("sessionStorage.getItem('cc.token')") is None


def test_salir_borra_el_token_y_vuelve_al_login(abrir_pagina):
    pagina = abrir_pagina()
    entrar(pagina, "supervisor")
    pagina.click("#salir")
    pagina.wait_for_selector("#form-login")
    assert pagina.evaluate("sessionStorage.length") == 0


def test_un_agente_no_puede_abrir_el_tablero(abrir_pagina, vigilancia):
    pagina = abrir_pagina()
    entrar(pagina, "agente")
    pagina.goto("/panel/#/tablero")
    pagina.wait_for_selector("#acceso-denegado")
    assert "Acceso denegado" in pagina.inner_text("#acceso-denegado")
    assert pagina.locator("#kpis").count() == 0
    assert not [p for p in vigilancia.peticiones if re.search(r"/api/tablero/(\?|$)", p)]
    pagina.goto("/panel/#/usuarios")
    pagina.wait_for_selector("#acceso-denegado")


def test_la_raiz_lleva_al_panel_y_sirve_la_csp(abrir_pagina, servidor):
    pagina = abrir_pagina()
    respuesta = pagina.goto("/")
    assert pagina.url == f"{servidor.url}/panel/"
    csp = respuesta.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    pagina.wait_for_selector("#form-login")


def test_admin_crea_un_usuario_que_luego_entra(abrir_pagina):
    pagina = abrir_pagina()
    entrar(pagina, "admin")
    pagina.click(".navegacion a:has-text('Usuarios')")
    pagina.fill("#usuario-nombre", "Marta Ruiz")
    pagina.fill("#usuario-email", "marta@example.com")
    pagina.fill("#usuario-password", PASSWORD_INICIAL)
    pagina.select_option("#usuario-rol", "supervisor")
    pagina.click("#usuario-crear")
    pagina.wait_for_selector("#usuarios-mensajes:has-text('Marta Ruiz')")
    pagina.wait_for_selector("tr[data-email='marta@example.com']")

    otra = abrir_pagina()
    entrar(otra, "marta@example.com")
    otra.wait_for_selector("#kpis")
    assert otra.inner_text("#quien").startswith("Marta Ruiz")


def test_admin_ve_el_error_de_campo_de_la_api(abrir_pagina, vigilancia):
    vigilancia.esperar_estado(422)
    pagina = abrir_pagina()
    entrar(pagina, "admin")
    pagina.click(".navegacion a:has-text('Usuarios')")
    pagina.fill("#usuario-nombre", "Repetido")
    pagina.fill("#usuario-email", "sup@example.com")
    pagina.fill("#usuario-password", "corta")
    pagina.click("#usuario-crear")
    mensaje = pagina.wait_for_selector("#usuarios-mensajes .aviso.error")
    assert "password" in mensaje.inner_text()
    assert pagina.get_attribute("#usuario-password", "aria-invalid") == "true"


def test_admin_cambia_el_rol_y_desactiva(abrir_pagina):
    pagina = abrir_pagina()
    entrar(pagina, "admin")
    pagina.click(".navegacion a:has-text('Usuarios')")
    fila = pagina.locator("tr[data-email='agente1@example.com']")
    fila.locator("select").select_option("supervisor")
    pagina.wait_for_selector("#usuarios-mensajes:has-text('rol cambiado a Supervisor')")
    fila.locator("button:has-text('Desactivar')").click()
    pagina.wait_for_selector("#usuarios-mensajes:has-text('desactivado')")
    pagina.wait_for_selector("tr[data-email='agente1@example.com'].inactivo")


def test_la_vigilancia_bloquea_lo_que_sale_de_127_y_anota_errores_de_consola(
    abrir_pagina, vigilancia
):
    pagina = abrir_pagina()
    pagina.set_content('<img src="http://ejemplo.invalid/logo.png">')
    pagina.evaluate("console.error('fallo de prueba')")
    assert vigilancia.externas == ["http://ejemplo.invalid/logo.png"]
    assert "consola: fallo de prueba" in vigilancia.errores
    # Comprobado que se detectan, se vacían para que la prueba no falle en su cierre.
    vigilancia.externas.clear()
    vigilancia.errores.clear()
