"""De punta a punta con el motor local de verdad (SQLite y PostgreSQL): una llamada que
espeak-ng dice y sox deja como grabación de centralita (estéreo, 8 kHz, μ-law) se sube por la
API, faster-whisper la transcribe en segundo plano y de ahí salen turnos, analítica de voz y
clasificación; todo se compara con el guion de la propia prueba."""

import itertools
import socket

import pytest

from test import audio_sintetico as sintetico
from test.ayudas_api import crear_llamada
from test.test_transcripcion import _transcripcion

TOLERANCIA_SEGUNDOS = 0.3
# Medido con el Whisper base de PyPI sobre μ-law 8 kHz: 0,34 el canal del agente con la semilla
# fija de sox, entre 0,32 y 0,36 con otras semillas de dither (ver README).
WER_MAXIMO = 0.40
# Dos tramos del mismo hablante separados por menos que esto son un turno (espeak-ng calla
# ~0,4 s en cada coma); la prueba comprueba que el guion no separa turnos propios por menos.
UNION_SEGUNDOS = 1.0


@pytest.fixture(scope="module")
def grabacion(tmp_path_factory):
    if motivo := sintetico.motivo_para_saltar():
        pytest.skip(motivo)
    carpeta = tmp_path_factory.mktemp("local")
    llamada = sintetico.construir_llamada(carpeta)
    return llamada, sintetico.a_mulaw_8k(llamada.ruta, carpeta / "centralita.wav").read_bytes()


def _subir(cliente, agente, archivo: tuple[str, bytes, str]) -> tuple[int, dict]:
    """Una llamada nueva del agente con esa grabación; devuelve su id y la respuesta."""
    llamada_id = crear_llamada(cliente, agente, descripcion=None)["id"]
    subida = cliente.post(
        f"/api/llamadas/{llamada_id}/grabacion", files={"archivo": archivo}, headers=agente
    )
    assert subida.status_code == 201, subida.text
    return llamada_id, subida.json()


def _tramos(pares: list[tuple[float, float]]) -> list[tuple[float, float]]:
    unidos: list[tuple[float, float]] = []
    for inicio, fin in sorted(pares):
        if unidos and inicio - unidos[-1][1] < UNION_SEGUNDOS:
            unidos[-1] = (unidos[-1][0], max(fin, unidos[-1][1]))
        else:
            unidos.append((inicio, fin))
    return unidos


def test_subida_transcripcion_local_analitica_y_clasificacion(
    cliente, cabeceras, cambiar_ajustes, grabacion
):
    llamada, audio = grabacion
    cambiar_ajustes(transcripcion_motor="local", transcripcion_modelo="pypi")
    agente = cabeceras("agente")
    llamada_id, subida = _subir(
        cliente, agente, ("centralita.bin", audio, "application/octet-stream")
    )
    assert (subida["canales"], subida["frecuencia_hz"]) == (2, 8000)

    cuerpo = _transcripcion(cliente, agente, llamada_id, plazo=240)
    assert (cuerpo["estado"], cuerpo["motor"], cuerpo["idioma"]) == ("lista", "local", "es")
    for hablante in sintetico.CANALES:
        oidos = [(s["inicio"], s["fin"]) for s in cuerpo["segmentos"] if s["hablante"] == hablante]
        dichos = [(t.inicio, t.fin) for t in llamada.de(hablante)]
        assert all(b[0] - a[1] > UNION_SEGUNDOS for a, b in itertools.pairwise(dichos))
        assert len(_tramos(oidos)) == len(_tramos(dichos)), (hablante, oidos, dichos)
        for (inicio, fin), (esperado_inicio, esperado_fin) in zip(
            _tramos(oidos), _tramos(dichos), strict=True
        ):
            assert inicio == pytest.approx(esperado_inicio, abs=TOLERANCIA_SEGUNDOS)
            assert fin == pytest.approx(esperado_fin, abs=TOLERANCIA_SEGUNDOS)
        texto = " ".join(s["texto"] for s in cuerpo["segmentos"] if s["hablante"] == hablante)
        referencia = " ".join(t.texto for t in llamada.de(hablante))
        assert sintetico.tasa_error_palabras(referencia, texto) < WER_MAXIMO, texto

    # La analítica sale de los segmentos oídos (las pausas dentro de una frase son silencio), y
    # no pasa del habla del guion ni se queda en mucho menos.
    for hablante in sintetico.CANALES:
        oido = sum(s["fin"] - s["inicio"] for s in cuerpo["segmentos"] if s["hablante"] == hablante)
        dicho = sum(t.fin - t.inicio for t in llamada.de(hablante))
        medido = cuerpo["analitica"]["hablantes"][hablante]["tiempo_habla"]
        assert medido == pytest.approx(oido, abs=0.01)
        assert 0.7 * dicho <= medido <= dicho + TOLERANCIA_SEGUNDOS * len(llamada.de(hablante))
    assert cuerpo["analitica"]["duracion"] == pytest.approx(llamada.duracion, abs=0.05)

    # La llamada queda clasificada desde lo dicho: lo mismo que el clasificador da al texto.
    clasificada = cliente.get(f"/api/clasificaciones-ia/llamada/{llamada_id}", headers=agente)
    assert clasificada.status_code == 200, clasificada.text
    directo = cliente.post(
        "/api/clasificaciones-ia/texto", json={"texto": cuerpo["texto"]}, headers=agente
    )
    assert directo.status_code == 200, directo.text
    assert clasificada.json()["categoria"] == directo.json()["categoria"]


def test_con_el_remoto_caido_transcribe_el_motor_local(
    cliente, cabeceras, cambiar_ajustes, grabacion
):
    llamada, audio = grabacion
    with socket.socket() as libre:  # un puerto en el que nadie escucha: conexión rechazada
        libre.bind(("127.0.0.1", 0))
        caido = f"http://127.0.0.1:{libre.getsockname()[1]}"
    cambiar_ajustes(
        transcripcion_motor="remoto",
        transcripcion_remota_url=caido,
        transcripcion_remota_timeout_segundos=2,
        transcripcion_modelo="pypi",
    )
    agente = cabeceras("agente")
    llamada_id, _ = _subir(cliente, agente, ("centralita.wav", audio, "audio/wav"))
    cuerpo = _transcripcion(cliente, agente, llamada_id, plazo=240)
    assert (cuerpo["estado"], cuerpo["motor"]) == ("lista", "local"), cuerpo
    oidos = {s["hablante"] for s in cuerpo["segmentos"]}
    assert oidos == set(sintetico.CANALES)
