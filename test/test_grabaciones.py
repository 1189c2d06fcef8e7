"""Grabaciones por HTTP (SQLite y, con TEST_DATABASE_URL, PostgreSQL): formatos reconocidos por
el contenido, 422 de lo que no es audio, 413 sin guardar nada, Range, borrado, propiedad y
retención. La transcripción se prueba en test_transcripcion.py."""

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from modelos.grabacion import Grabacion, Transcripcion
from servicios import programador
from test.audio_prueba import HAY_SOX, codificar, sin_sox, sox, wav
from test.ayudas_api import campos_con_error, crear_llamada, crear_usuario
from test.conftest import iniciar_sesion

GUION = [(0, 0.2, 1.0, "hola"), (1, 1.2, 1.8, "buenas")]
TIPOS = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "m4a": "audio/mp4"}
TIPOS["flac"] = "audio/flac"


@pytest.fixture
def sin_transcriptor(cambiar_ajustes):
    """La transcripción falla al momento (motor remoto sin URL): estas pruebas miran la subida."""
    cambiar_ajustes(transcripcion_motor="remoto", transcripcion_remota_url=None)


@pytest.fixture
def carpeta(app) -> Path:
    return Path(app.state.ajustes.grabaciones_dir)


def url(llamada_id: int) -> str:
    return f"/api/llamadas/{llamada_id}/grabacion"


def subir(cliente, cabeceras, llamada_id: int, datos: bytes, nombre: str = "llamada.wav"):
    archivo = {"archivo": (nombre, datos, "application/octet-stream")}
    return cliente.post(url(llamada_id), files=archivo, headers=cabeceras)


def ficheros(carpeta: Path) -> list[str]:
    return sorted(p.name for p in carpeta.iterdir()) if carpeta.exists() else []


@pytest.mark.parametrize("canales", [1, 2])
def test_subir_un_wav_guarda_fichero_y_metadatos(
    cliente, cabeceras, carpeta, sin_transcriptor, tmp_path, canales
):
    datos = wav(tmp_path / "a.wav", GUION[:canales], canales=canales, duracion=2.5).read_bytes()
    llamada = crear_llamada(cliente, cabeceras("agente"))
    respuesta = subir(cliente, cabeceras("agente"), llamada["id"], datos)
    assert respuesta.status_code == 201, respuesta.text
    cuerpo = respuesta.json()
    esperado = {"formato": "wav", "codec": "pcm_s16le", "canales": canales, "frecuencia_hz": 8000}
    assert {k: cuerpo[k] for k in esperado} == esperado
    assert cuerpo["duracion_segundos"] == 2.5
    assert cuerpo["tamano_bytes"] == len(datos)
    assert cuerpo["sha256"] == hashlib.sha256(datos).hexdigest()
    (guardado,) = ficheros(carpeta)
    assert (carpeta / guardado).read_bytes() == datos
    otra = subir(cliente, cabeceras("agente"), llamada["id"], datos)
    assert otra.status_code == 409 and "ya tiene grabación" in otra.json()["detail"]


def _formatos(tmp_path: Path) -> list[tuple[Path, str, str, int]]:
    base = wav(tmp_path / "base.wav", GUION, duracion=2.0)
    return [
        (sox(base, tmp_path / "ulaw.wav", "-e", "u-law"), "wav", "pcm_mulaw", 8000),
        (sox(base, tmp_path / "alaw.wav", "-e", "a-law"), "wav", "pcm_alaw", 8000),
        (sox(base, tmp_path / "a.mp3"), "mp3", "mp3float", 8000),
        (sox(base, tmp_path / "a.ogg"), "ogg", "vorbis", 8000),
        (sox(base, tmp_path / "a.flac"), "flac", "flac", 8000),
        (sox(base, tmp_path / "a48.wav", "-r", "48000"), "wav", "pcm_s16le", 48000),
        (codificar(tmp_path / "a.opus", "ogg", "libopus", frecuencia=48000), "ogg", "opus", 48000),
        (codificar(tmp_path / "a.m4a", "ipod", "aac", frecuencia=16000), "m4a", "aac", 16000),
    ]


@sin_sox
def test_cada_formato_se_reconoce_por_el_contenido_y_no_por_el_nombre(
    cliente, cabeceras, sin_transcriptor, tmp_path
):
    for ruta, formato, codec, frecuencia in _formatos(tmp_path):
        llamada = crear_llamada(cliente, cabeceras("agente"))
        # Un nombre engañoso: cuenta lo que hay dentro.
        respuesta = subir(cliente, cabeceras("agente"), llamada["id"], ruta.read_bytes(), "x.txt")
        assert respuesta.status_code == 201, (ruta.name, respuesta.text)
        cuerpo = respuesta.json()
        assert (cuerpo["formato"], cuerpo["codec"]) == (formato, codec), ruta.name
        assert (cuerpo["canales"], cuerpo["frecuencia_hz"]) == (2, frecuencia), ruta.name
        audio = cliente.get(url(llamada["id"]), headers=cabeceras("agente"))
        assert audio.content == ruta.read_bytes()
        assert audio.headers["content-type"] == TIPOS[formato]


def _no_audio(tmp_path: Path) -> dict[str, bytes]:
    bueno = wav(tmp_path / "b.wav", GUION, duracion=2.0).read_bytes()
    flac = sox(tmp_path / "b.wav", tmp_path / "b.flac").read_bytes() if HAY_SOX else b""
    casos = {
        "texto renombrado": b"Hola, esto es texto y no audio.\n" * 50,
        "bytes al azar": bytes(range(256)) * 40,
        "vacío": b"",
        "wav truncado": bueno[: len(bueno) // 3],
        "solo cabecera": bueno[:44],
        "cabecera rota": b"RIFF\x00\x00\x00\x00WAVEfmt " + bueno[16:400],
        "pdf": b"%PDF-1.4\n" + b"0" * 2000,
    }
    if flac:
        casos["flac truncado"] = flac[: len(flac) // 2]
    return casos


def test_lo_que_no_es_audio_o_esta_cortado_da_422_y_no_deja_nada(
    cliente, cabeceras, carpeta, sesion_bd, sin_transcriptor, tmp_path
):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    for caso, datos in _no_audio(tmp_path).items():
        respuesta = subir(cliente, cabeceras("agente"), llamada["id"], datos)
        assert respuesta.status_code == 422, (caso, respuesta.text)
        assert campos_con_error(respuesta) == {"archivo"}, caso
        assert ficheros(carpeta) == [], caso
    assert sesion_bd.scalar(select(func.count(Grabacion.id))) == 0
    sin_archivo = cliente.post(url(llamada["id"]), headers=cabeceras("agente"))
    assert sin_archivo.status_code == 422 and campos_con_error(sin_archivo) == {"archivo"}


def test_una_subida_de_101_mb_se_rechaza_sin_guardar_nada(
    cliente, cabeceras, carpeta, sesion_bd, sin_transcriptor, tmp_path
):
    llamada = crear_llamada(cliente, cabeceras("agente"))
    cabecera_wav = wav(tmp_path / "cabecera.wav", GUION, duracion=2.0).read_bytes()[:44]
    enorme = cabecera_wav + bytes(101 * 1024 * 1024 - 44)
    respuesta = subir(cliente, cabeceras("agente"), llamada["id"], enorme)
    assert respuesta.status_code == 413, respuesta.text
    assert "supera el máximo" in respuesta.json()["detail"]
    assert ficheros(carpeta) == []
    assert sesion_bd.scalar(select(func.count(Grabacion.id))) == 0


def test_un_fichero_justo_por_encima_del_maximo_se_corta_al_copiarlo(
    cliente, cabeceras, carpeta, sesion_bd, cambiar_ajustes, sin_transcriptor, tmp_path
):
    cambiar_ajustes(grabacion_max_mb=1)
    llamada = crear_llamada(cliente, cabeceras("agente"))
    # Cabe en el cuerpo (el margen del multipart) pero el fichero pasa de 1 MB.
    datos = wav(tmp_path / "x.wav", GUION, duracion=2.0).read_bytes()
    datos += bytes(1024 * 1024 + 10 - len(datos))
    respuesta = subir(cliente, cabeceras("agente"), llamada["id"], datos)
    assert respuesta.status_code == 413, respuesta.text
    assert respuesta.json()["detail"] == "La grabación supera el máximo de 1 MB"
    assert ficheros(carpeta) == []
    assert sesion_bd.scalar(select(func.count(Grabacion.id))) == 0


def test_range_sirve_tramos_para_saltar_y_416_fuera_del_fichero(
    cliente, cabeceras, sin_transcriptor, tmp_path
):
    datos = wav(tmp_path / "r.wav", GUION, duracion=3.0).read_bytes()
    llamada = crear_llamada(cliente, cabeceras("agente"))
    subir(cliente, cabeceras("agente"), llamada["id"], datos)
    tamano = len(datos)

    def pedir(rango: str | None):
        extra = {"Range": rango} if rango else {}
        return cliente.get(url(llamada["id"]), headers={**cabeceras("agente"), **extra})

    entero = pedir(None)
    assert entero.status_code == 200 and entero.content == datos
    assert entero.headers["accept-ranges"] == "bytes"
    casos = {
        "bytes=0-99": (0, 99),
        "bytes=1000-": (1000, tamano - 1),
        "bytes=-500": (tamano - 500, tamano - 1),
        f"bytes=10-{tamano + 50}": (10, tamano - 1),
    }
    for rango, (primero, ultimo) in casos.items():
        tramo = pedir(rango)
        assert tramo.status_code == 206, rango
        assert tramo.content == datos[primero : ultimo + 1], rango
        assert tramo.headers["content-range"] == f"bytes {primero}-{ultimo}/{tamano}"
        assert tramo.headers["content-length"] == str(ultimo - primero + 1)
    for rango in (f"bytes={tamano}-", "bytes=-0", "bytes=50-10"):
        fuera = pedir(rango)
        assert fuera.status_code == 416, rango
        assert fuera.headers["content-range"] == f"bytes */{tamano}"
    # Varios tramos o un Range ilegible: el RFC permite ignorarlo y dar el fichero entero.
    assert pedir("bytes=0-1,5-9").content == datos
    assert pedir("elementos=0-1").status_code == 200


def test_borrar_quita_fichero_y_fila_y_deja_la_transcripcion(
    cliente, cabeceras, carpeta, sesion_bd, sin_transcriptor, tmp_path
):
    datos = wav(tmp_path / "d.wav", GUION, duracion=2.0).read_bytes()
    llamada = crear_llamada(cliente, cabeceras("agente"))
    subir(cliente, cabeceras("agente"), llamada["id"], datos)
    assert len(ficheros(carpeta)) == 1
    borrado = cliente.delete(url(llamada["id"]), headers=cabeceras("agente"))
    assert borrado.status_code == 204
    assert ficheros(carpeta) == []
    assert cliente.get(url(llamada["id"]), headers=cabeceras("agente")).status_code == 404
    assert cliente.delete(url(llamada["id"]), headers=cabeceras("agente")).status_code == 404
    transcripcion = cliente.get(
        f"/api/llamadas/{llamada['id']}/transcripcion", headers=cabeceras("agente")
    )
    assert transcripcion.status_code == 200
    # Se puede volver a subir; y borrar la llamada borra también su audio.
    assert subir(cliente, cabeceras("agente"), llamada["id"], datos).status_code == 201
    borrar_llamada = cliente.delete(f"/api/llamadas/{llamada['id']}", headers=cabeceras("admin"))
    assert borrar_llamada.status_code == 204
    assert ficheros(carpeta) == []
    assert sesion_bd.scalar(select(func.count(Transcripcion.id))) == 0


def test_un_agente_solo_con_sus_llamadas_y_supervision_con_todas(
    cliente, cabeceras, sin_transcriptor, tmp_path
):
    datos = wav(tmp_path / "p.wav", GUION, duracion=2.0).read_bytes()
    crear_usuario(cliente, cabeceras("admin"), email="otro@example.com", rol="agente")
    otro = {"Authorization": f"Bearer {iniciar_sesion(cliente, 'otro@example.com')}"}
    ajena = crear_llamada(cliente, cabeceras("agente"))["id"]
    assert subir(cliente, otro, ajena, datos).status_code == 403
    assert subir(cliente, cabeceras("agente"), ajena, datos).status_code == 201
    for metodo, ruta in (
        ("GET", url(ajena)),
        ("GET", f"/api/llamadas/{ajena}/transcripcion"),
        ("DELETE", url(ajena)),
    ):
        respuesta = cliente.request(metodo, ruta, headers=otro)
        assert respuesta.status_code == 403, (metodo, ruta)
        assert respuesta.json()["detail"].startswith("Permiso denegado")
    assert cliente.get(url(ajena), headers=cabeceras("supervisor")).content == datos
    assert subir(cliente, cabeceras("agente"), 999_999, datos).status_code == 404
    assert cliente.delete(url(ajena), headers=cabeceras("supervisor")).status_code == 204


def test_la_retencion_borra_los_audios_viejos_y_deja_las_transcripciones(
    app, cliente, cabeceras, carpeta, sesion_bd, sin_transcriptor, tmp_path
):
    ids = []
    for i in range(2):
        datos = wav(tmp_path / f"{i}.wav", GUION, duracion=1.0 + i).read_bytes()
        ids.append(crear_llamada(cliente, cabeceras("agente"))["id"])
        subir(cliente, cabeceras("agente"), ids[-1], datos)
    ahora = datetime.now(UTC)
    vieja = update(Grabacion).where(Grabacion.llamada_id == ids[0])
    sesion_bd.execute(vieja.values(creado_en=ahora - timedelta(days=31)))
    sesion_bd.commit()
    for dias, borradas in ((None, 0), (0, 0), (40, 0), (30, 1), (30, 0)):
        ajustes = app.state.ajustes.model_copy(update={"grabaciones_retencion_dias": dias})
        resultado = programador.ejecutar(
            fabrica=app.state.fabrica_sesiones, ajustes=ajustes, ahora=ahora
        )
        assert resultado.grabaciones_borradas == borradas, dias
    assert cliente.get(url(ids[0]), headers=cabeceras("agente")).status_code == 404
    assert cliente.get(url(ids[1]), headers=cabeceras("agente")).status_code == 200
    assert len(ficheros(carpeta)) == 1
    assert sesion_bd.scalar(select(func.count(Transcripcion.id))) == 2
