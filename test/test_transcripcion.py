"""Transcripción de punta a punta por HTTP (SQLite y PostgreSQL): subida de un WAV estéreo de
8 kHz -> motor remoto (servidor compatible con OpenAI en loopback) -> segmentos por hablante
redactados -> analítica de voz -> clasificación con lo dicho; reintentos y respaldo."""

import time

import pytest
from sqlalchemy import select

from modelos.grabacion import Transcripcion
from test.audio_prueba import wav
from test.ayudas_api import crear_llamada
from test.conftest import esperar_trabajos
from test.servidor_transcripcion_falso import MODELO, ServidorTranscripcionFalso

TARJETA, CORREO = "4111 1111 1111 1111", "ana.perez@example.com"
# (canal, inicio, fin, texto): el agente en el canal 0; interrumpe al cliente en 7,2 s.
GUION = [
    (0, 0.5, 3.0, "Buenas tardes, le atiende Laura, en qué puedo ayudarle"),
    (1, 3.5, 8.0, f"Me cobraron dos veces la factura, exijo el reembolso a la tarjeta {TARJETA}"),
    (0, 7.2, 9.0, "Lo siento mucho, lo reviso ahora mismo"),
    (1, 10.5, 13.0, f"Es un abuso, escríbame a {CORREO} con la solución"),
    (0, 13.5, 15.0, "Se lo envío hoy mismo"),
]
DURACION = 16.0
HABLANTE = {0: "agente", 1: "cliente"}


def _redactado(texto: str) -> str:
    return texto.replace(TARJETA, "[TARJETA]").replace(CORREO, "[EMAIL]")


@pytest.fixture
def remoto(cambiar_ajustes, tmp_path):
    with ServidorTranscripcionFalso(GUION) as servidor:
        cambiar_ajustes(
            transcripcion_motor="remoto",
            transcripcion_remota_url=servidor.url,
            transcripcion_remota_clave=servidor.clave,
            transcripcion_remota_modelo=MODELO,
            # Sin modelo local a mano: el respaldo falla con un error claro, sin descargar nada.
            transcripcion_modelo=str(tmp_path / "sin-modelo"),
        )
        yield servidor


def _subir(cliente, cabeceras, ruta, **llamada):
    llamada = crear_llamada(cliente, cabeceras, **llamada)
    archivo = {"archivo": ("llamada.wav", ruta.read_bytes(), "audio/wav")}
    respuesta = cliente.post(
        f"/api/llamadas/{llamada['id']}/grabacion", files=archivo, headers=cabeceras
    )
    assert respuesta.status_code == 201, respuesta.text
    return llamada["id"]


def _transcripcion(cliente, cabeceras, llamada_id: int, plazo: float = 30.0) -> dict:
    """La transcripción cuando su trabajo termina (lista o fallida; los reintentos esperan)."""
    limite = time.monotonic() + plazo
    while True:
        respuesta = cliente.get(f"/api/llamadas/{llamada_id}/transcripcion", headers=cabeceras)
        assert respuesta.status_code == 200, respuesta.text
        if respuesta.json()["estado"] in ("lista", "fallida"):
            esperar_trabajos(cliente.app)  # y la clasificación que encola al terminar
            return respuesta.json()
        assert time.monotonic() < limite, respuesta.json()
        time.sleep(0.1)


def test_flujo_remoto_completo_con_analitica_y_clasificacion(
    cliente, cabeceras, sesion_bd, remoto, tmp_path
):
    ruta = wav(tmp_path / "llamada.wav", GUION, canales=2, frecuencia=8000, duracion=DURACION)
    llamada_id = _subir(cliente, cabeceras("agente"), ruta, descripcion=None)
    cuerpo = _transcripcion(cliente, cabeceras("agente"), llamada_id)
    assert cuerpo["estado"] == "lista", cuerpo
    assert (cuerpo["motor"], cuerpo["idioma"], cuerpo["mono"]) == ("remoto", "es", False)
    esperados = [
        {"inicio": i, "fin": f, "hablante": HABLANTE[c], "texto": _redactado(t)}
        for c, i, f, t in sorted(GUION, key=lambda g: g[1])
    ]
    assert cuerpo["segmentos"] == esperados
    assert cuerpo["texto"].splitlines()[0] == f"Agente: {_redactado(GUION[0][3])}"
    # Un canal por petición, con lo que pide la API de OpenAI.
    assert len(remoto.peticiones) == 2
    for peticion in remoto.peticiones:
        campos = peticion["campos"]
        assert campos["model"] == [MODELO] and campos["language"] == ["es"]
        assert campos["response_format"] == ["verbose_json"]
        assert campos["timestamp_granularities[]"] == ["segment", "word"]
        assert peticion["cabeceras"]["authorization"] == f"Bearer {remoto.clave}"
    # Nada sin redactar, ni en la respuesta ni en la base.
    guardada = sesion_bd.scalar(select(Transcripcion).where(Transcripcion.llamada_id == llamada_id))
    for texto in (str(cuerpo), str(guardada.segmentos), guardada.texto):
        assert TARJETA not in texto and CORREO not in texto
        assert "[TARJETA]" in texto and "[EMAIL]" in texto
    _comprobar_analitica(cuerpo["analitica"])
    clasificacion = cliente.get(
        f"/api/clasificaciones-ia/llamada/{llamada_id}", headers=cabeceras("agente")
    )
    assert clasificacion.status_code == 200, clasificacion.text
    assert clasificacion.json()["categoria"] == "reclamo"
    assert cuerpo["sentimiento_llamada"] == clasificacion.json()["sentimiento"]
    assert set(cuerpo["sentimiento_por_hablante"]) == {"agente", "cliente"}
    # Los KPIs del periodo ganan la analítica de voz media.
    voz = cliente.get("/api/metricas/", headers=cabeceras("supervisor")).json()["voz"]
    assert voz["transcritas"] == 1
    assert voz["cuota_habla_media"] == pytest.approx(cuerpo["analitica"]["cuota_habla"])
    assert voz["cuota_silencio_media"] == pytest.approx(cuerpo["analitica"]["cuota_silencio"])
    assert voz["solape_medio_segundos"] == pytest.approx(cuerpo["analitica"]["solape"], abs=0.01)


def _comprobar_analitica(analitica: dict) -> None:
    agente = (3.0 - 0.5) + (9.0 - 7.2) + (15.0 - 13.5)
    cliente = (8.0 - 3.5) + (13.0 - 10.5)
    solape = 8.0 - 7.2
    habla = agente + cliente - solape
    assert analitica["duracion"] == DURACION
    assert analitica["hablantes"]["agente"]["tiempo_habla"] == pytest.approx(agente)
    assert analitica["hablantes"]["cliente"]["tiempo_habla"] == pytest.approx(cliente)
    assert analitica["hablantes"]["agente"]["cuota_habla"] == pytest.approx(
        agente / DURACION, abs=1e-4
    )
    assert analitica["solape"] == pytest.approx(solape)
    assert analitica["silencio"] == pytest.approx(DURACION - habla)
    assert analitica["cuota_silencio"] == pytest.approx((DURACION - habla) / DURACION, abs=1e-4)
    assert analitica["interrupciones"] == 1
    assert analitica["hablantes"]["agente"]["interrupciones"] == 1
    assert analitica["silencio_mas_largo"] == {"inicio": 9.0, "fin": 10.5, "segundos": 1.5}
    monologo = analitica["monologo_mas_largo"]
    assert (monologo["hablante"], monologo["segundos"]) == ("cliente", pytest.approx(8.0 - 3.5))
    palabras_agente = sum(len(t.split()) for c, _, _, t in GUION if c == 0)
    ppm = analitica["hablantes"]["agente"]["palabras_por_minuto"]
    assert ppm == pytest.approx(palabras_agente / (agente / 60), abs=0.1)


def test_con_el_agente_en_el_canal_1_los_hablantes_se_cruzan(
    cliente, cabeceras, cambiar_ajustes, remoto, tmp_path
):
    cambiar_ajustes(grabacion_canal_agente=1)
    ruta = wav(tmp_path / "cruzada.wav", GUION, canales=2, duracion=DURACION)
    llamada_id = _subir(cliente, cabeceras("agente"), ruta)
    segmentos = _transcripcion(cliente, cabeceras("agente"), llamada_id)["segmentos"]
    cruzado = {0: "cliente", 1: "agente"}
    assert [s["hablante"] for s in segmentos] == [
        cruzado[c] for c, *_ in sorted(GUION, key=lambda g: g[1])
    ]


def test_una_grabacion_mono_tiene_un_solo_hablante_desconocido_y_lo_dice(
    cliente, cabeceras, remoto, tmp_path
):
    mono = [(0, i, f, t) for _, i, f, t in GUION if f < 7]  # sin solapes: un solo canal
    remoto.guion = mono
    ruta = wav(tmp_path / "mono.wav", mono, canales=1, duracion=DURACION)
    llamada_id = _subir(cliente, cabeceras("agente"), ruta)
    cuerpo = _transcripcion(cliente, cabeceras("agente"), llamada_id)
    assert cuerpo["estado"] == "lista" and cuerpo["mono"] is True
    assert "mono" in cuerpo["aviso"]
    assert {s["hablante"] for s in cuerpo["segmentos"]} == {"desconocido"}
    assert cuerpo["texto"] == " ".join(_redactado(t) for *_, t in mono)
    assert len(remoto.peticiones) == 1


def test_un_fallo_del_remoto_se_reintenta_y_al_agotarse_queda_fallida(
    cliente, cabeceras, remoto, tmp_path
):
    ruta = wav(tmp_path / "r.wav", GUION, canales=2, duracion=DURACION)
    remoto.fallar = 1  # el primer canal del primer intento: 500
    primera = _subir(cliente, cabeceras("agente"), ruta)
    cuerpo = _transcripcion(cliente, cabeceras("agente"), primera)
    assert (cuerpo["estado"], cuerpo["intentos"], cuerpo["error"]) == ("lista", 2, None)

    remoto.fallar = 1000
    segunda = _subir(cliente, cabeceras("agente"), ruta)
    cuerpo = _transcripcion(cliente, cabeceras("agente"), segunda)
    assert (cuerpo["estado"], cuerpo["intentos"]) == ("fallida", 3)
    assert "remoto: el servidor de transcripción respondió 500" in cuerpo["error"]
    assert "local:" in cuerpo["error"]
    assert cuerpo["segmentos"] == [] and cuerpo["analitica"] is None
