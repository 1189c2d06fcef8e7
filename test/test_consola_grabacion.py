"""Consola en Chromium: al pulsar una llamada del historial se ven su reproductor (el audio,
pedido con Authorization, carga y dura lo que la grabación) y la transcripción por turnos."""

import time

import httpx
import pytest

from test.audio_prueba import wav
from test.navegador import entrar
from test.servidor_transcripcion_falso import MODELO, ServidorTranscripcionFalso

GUION = [
    (0, 0.3, 1.5, "Buenos días, le atiende Marta"),
    (1, 1.8, 3.2, "Quiero cambiar mi tarifa"),
    (0, 3.5, 4.5, "Ahora mismo se la cambio"),
]
DURACION = 5.0
QUIEN = {0: "Agente", 1: "Cliente"}


@pytest.fixture
def con_transcripcion(servidor, tmp_path):
    """El servidor de la consola transcribe con un motor remoto falso y guarda en tmp_path."""
    originales = servidor.app.state.ajustes
    with ServidorTranscripcionFalso(GUION) as remoto:
        servidor.app.state.ajustes = originales.model_copy(
            update={
                "grabaciones_dir": str(tmp_path / "grabaciones"),
                "transcripcion_motor": "remoto",
                "transcripcion_remota_url": remoto.url,
                "transcripcion_remota_clave": remoto.clave,
                "transcripcion_remota_modelo": MODELO,
            }
        )
        yield
    servidor.app.state.ajustes = originales


def _llamada_transcrita(url: str, ruta) -> int:
    login = {"email": "agente1@example.com", "password": "123456"}
    token = httpx.post(f"{url}/api/usuarios/login", json=login).json()["access_token"]
    cabeceras = {"Authorization": f"Bearer {token}"}
    datos = {"numero_cliente": "600123123", "duracion_segundos": 5, "tipo": "venta"}
    llamada = httpx.post(
        f"{url}/api/llamadas/", json={**datos, "resultado": "atendida"}, headers=cabeceras
    ).json()
    archivo = {"archivo": ("l.wav", ruta.read_bytes(), "audio/wav")}
    subida = httpx.post(
        f"{url}/api/llamadas/{llamada['id']}/grabacion", files=archivo, headers=cabeceras
    )
    assert subida.status_code == 201, subida.text
    limite = time.monotonic() + 30
    while (
        httpx.get(f"{url}/api/llamadas/{llamada['id']}/transcripcion", headers=cabeceras).json()[
            "estado"
        ]
        != "lista"
    ):
        assert time.monotonic() < limite
        time.sleep(0.1)
    return llamada["id"]


def test_la_llamada_muestra_reproductor_y_turnos(
    abrir_pagina, servidor, con_transcripcion, tmp_path
):
    ruta = wav(tmp_path / "consola.wav", GUION, canales=2, duracion=DURACION)
    llamada_id = _llamada_transcrita(servidor.url, ruta)
    pagina = abrir_pagina()
    entrar(pagina, "agente")
    pagina.click(f"#historial tr[data-id='{llamada_id}']")
    pagina.wait_for_selector("#detalle-grabacion .turno")
    turnos = pagina.locator("#detalle-grabacion .turno")
    assert turnos.count() == len(GUION)
    for i, (canal, _, _, texto) in enumerate(GUION):
        assert turnos.nth(i).locator(".turno-quien").inner_text() == QUIEN[canal]
        assert turnos.nth(i).locator("p").inner_text() == texto
    assert pagina.get_attribute("#reproductor", "src").startswith("blob:")
    duracion = pagina.evaluate(
        """() => new Promise((listo) => {
            const audio = document.querySelector('#reproductor');
            if (audio.readyState >= 1) return listo(audio.duration);
            audio.addEventListener('loadedmetadata', () => listo(audio.duration));
        })"""
    )
    assert duracion == pytest.approx(DURACION, abs=0.05)
