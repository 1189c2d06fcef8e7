"""Importar llamadas desde la consola en un navegador real: un CSV con la hora del centro, los
errores por línea del fichero y nada importado cuando un lote falla."""

from datetime import UTC, datetime, timedelta

import httpx

from test.conftest import EMAILS
from test.navegador import entrar

CABECERA = "agente;numero_cliente;fecha_hora;duracion_segundos;tipo;resultado;satisfaccion"


def _csv(ruta, filas: list[tuple]) -> str:
    lineas = [CABECERA, *(";".join(str(v) for v in fila) for fila in filas)]
    ruta.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    return str(ruta)


def _de_cliente(servidor, numero: str) -> list[dict]:
    with httpx.Client(base_url=servidor.url) as http:
        token = http.post(
            "/api/usuarios/login", json={"email": EMAILS["supervisor"], "password": "123456"}
        ).json()["access_token"]
        respuesta = http.get(
            f"/api/llamadas/cliente/{numero}", headers={"Authorization": f"Bearer {token}"}
        )
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.json()


def _importar(pagina, ruta: str) -> str:
    pagina.set_input_files("#importar-archivo", ruta)
    pagina.click("#importar-enviar")  # desactiva el botón hasta que acaba
    pagina.wait_for_selector("#importar-enviar:enabled")
    return pagina.inner_text("#importar-mensajes .aviso")


def test_supervisora_importa_un_csv_y_ve_los_errores_por_linea(
    abrir_pagina, servidor, vigilancia, tmp_path
):
    vigilancia.esperar_estado(422)
    zona = servidor.app.state.ajustes.zona
    ayer = (datetime.now(zona) - timedelta(days=1)).date()
    horas = ["09:15", "11:40", "17:05"]
    agente = EMAILS["agente"]
    filas = [
        (agente, "+34 699000001", f"{ayer} {h}", 60 * (i + 1), "soporte", "resuelta", 4)
        for i, h in enumerate(horas)
    ]
    pagina = abrir_pagina()
    entrar(pagina, "supervisor")
    pagina.click(".navegacion a:has-text('Importar')")
    pagina.wait_for_selector("#form-importar")
    # La zona del centro llega con el tablero (hasta entonces, la del navegador).
    pagina.wait_for_selector(f"#importar-zona:has-text('{zona.key}')")

    # Una duración negativa en la tercera línea del fichero (la segunda llamada): nada entra.
    mala = [filas[0], (*filas[1][:3], -5, *filas[1][4:]), filas[2]]
    texto = _importar(pagina, _csv(tmp_path / "mala.csv", mala))
    assert "línea 3" in texto and "duracion_segundos" in texto, texto
    assert _de_cliente(servidor, "+34 699000001") == []

    # Un correo que no es de un agente: se dice antes de enviar nada.
    ajena = [filas[0], ("nadie@example.com", *filas[1][1:])]
    texto = _importar(pagina, _csv(tmp_path / "ajena.csv", ajena))
    assert "Línea 3" in texto and "nadie@example.com" in texto, texto

    texto = _importar(pagina, _csv(tmp_path / "buena.csv", filas))
    assert f"Importadas {len(filas)} llamadas" in texto, texto
    importadas = _de_cliente(servidor, "+34 699000001")
    esperadas = sorted(
        datetime.combine(ayer, datetime.strptime(h, "%H:%M").time(), zona).astimezone(UTC)
        for h in horas
    )
    leidas = sorted(datetime.fromisoformat(c["fecha_hora"]) for c in importadas)
    assert leidas == esperadas
    assert sorted(c["duracion_segundos"] for c in importadas) == [60, 120, 180]


def test_la_pantalla_de_importar_cabe_en_un_movil(abrir_pagina):
    pagina = abrir_pagina(390, 844)
    entrar(pagina, "admin")  # el rol con más pestañas
    pagina.goto("/panel/#/importar")
    pagina.wait_for_selector("#form-importar")
    ancho = pagina.evaluate("document.documentElement.scrollWidth")
    assert ancho <= 390
    assert pagina.locator("#salir").is_visible()
    assert pagina.locator("#importar-enviar").is_visible()
