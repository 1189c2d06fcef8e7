"""Transcripción real con el motor local sobre llamadas que sintetiza la propia prueba.

El guion de `test/audio_sintetico.py` se dice con espeak-ng, sox monta el estéreo y los tiempos
esperados de cada turno salen de las muestras de cada frase y de los silencios que se insertan.
El modelo (Whisper base de PyPI) se carga una vez para todas las pruebas.
"""

import struct
import wave
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from grabaciones.motores import audio
from grabaciones.motores.base import ErrorTranscripcion, SegmentoCanal, TranscripcionCanal
from grabaciones.motores.bucles import REPETICIONES_BUCLE, texto_sin_bucles
from grabaciones.motores.local import MotorLocal, modelo_cargado
from grabaciones.motores.tramos import ajustar_a_voz, partir, regiones_de_voz
from test import audio_sintetico as sintetico

# WER medido sobre el guion (los dos canales, Whisper base int8): 0,15 en PCM de 16 kHz y
# 0,30-0,36 en μ-law de 8 kHz según el ruido de dither de sox; con la semilla fija de
# audio_sintetico (sox -R) el audio y la transcripción son los mismos en cada pasada.
UMBRAL_WER = {"pcm16k": 0.25, "mulaw8k": 0.40}
TOLERANCIA_SEGUNDOS = 0.3
HABLANTES = ("agente", "cliente")

requiere_sintesis = pytest.mark.skipif(
    sintetico.motivo_para_saltar() is not None, reason=sintetico.motivo_para_saltar() or ""
)


@pytest.fixture(scope="session")
def motor_local() -> MotorLocal:
    motor = MotorLocal(modelo="pypi", hilos=2)
    modelo_cargado(motor.modelo, motor.hilos)
    return motor


@pytest.fixture(scope="session")
def llamada(tmp_path_factory) -> sintetico.LlamadaSintetica:
    if motivo := sintetico.motivo_para_saltar():
        pytest.skip(motivo)
    return sintetico.construir_llamada(tmp_path_factory.mktemp("llamada"))


@pytest.fixture(scope="session")
def transcripciones(llamada, motor_local, tmp_path_factory):
    """Por formato, la transcripción de cada canal (se calcula la primera vez que se pide)."""
    carpeta = tmp_path_factory.mktemp("canales")
    fuentes = {
        "pcm16k": lambda: llamada.ruta,
        "mulaw8k": lambda: sintetico.a_mulaw_8k(llamada.ruta, carpeta / "mulaw.wav"),
    }
    hechas: dict[str, dict[str, TranscripcionCanal]] = {}

    def de(formato: str) -> dict[str, TranscripcionCanal]:
        if formato not in hechas:
            fuente = fuentes[formato]()
            hechas[formato] = {
                h: motor_local.transcribir(
                    sintetico.extraer_canal(fuente, h, carpeta / f"{formato}-{h}.wav")
                )
                for h in HABLANTES
            }
        return hechas[formato]

    return de


def _texto(segmentos) -> str:
    return " ".join(s.texto for s in segmentos)


@requiere_sintesis
@pytest.mark.parametrize("formato", ["pcm16k", "mulaw8k"])
def test_wer_del_guion_por_debajo_del_umbral(formato, llamada, transcripciones):
    canales = transcripciones(formato)
    referencia = " ".join(_texto(llamada.de(h)) for h in HABLANTES)
    hipotesis = " ".join(_texto(canales[h].segmentos) for h in HABLANTES)
    wer = sintetico.tasa_error_palabras(referencia, hipotesis)
    assert wer < UMBRAL_WER[formato], f"WER {wer:.2f}: {hipotesis}"
    for canal in canales.values():
        assert canal.idioma == "es"
        assert canal.duracion == pytest.approx(llamada.duracion, abs=0.01)


@requiere_sintesis
@pytest.mark.parametrize("formato", ["pcm16k", "mulaw8k"])
@pytest.mark.parametrize("hablante", HABLANTES)
def test_turnos_a_menos_de_tres_decimas_del_guion(formato, hablante, llamada, transcripciones):
    segmentos = transcripciones(formato)[hablante].segmentos
    turnos = llamada.de(hablante)
    for turno in turnos:
        suyos = [s for s in segmentos if s.fin > turno.inicio and s.inicio < turno.fin]
        assert suyos, f"nada transcrito en el turno {turno}"
        assert min(s.inicio for s in suyos) == pytest.approx(turno.inicio, abs=TOLERANCIA_SEGUNDOS)
        assert max(s.fin for s in suyos) == pytest.approx(turno.fin, abs=TOLERANCIA_SEGUNDOS)
    # Nada fuera de los turnos del hablante (ni en los silencios ni en los turnos del otro).
    for segmento in segmentos:
        assert any(segmento.fin > t.inicio and segmento.inicio < t.fin for t in turnos), segmento
        assert all(segmento.inicio <= p.inicio <= p.fin <= segmento.fin for p in segmento.palabras)


@requiere_sintesis
def test_silencios_entre_turnos_como_en_el_guion(llamada, transcripciones):
    """Los silencios entre turnos (nadie habla), medidos con los dos canales, contra el guion."""
    canales = transcripciones("pcm16k")
    voz = _unir(sorted((s.inicio, s.fin) for h in HABLANTES for s in canales[h].segmentos))
    esperada = _unir(sorted((t.inicio, t.fin) for t in llamada.turnos))
    for (_, fin_antes), (inicio_despues, _) in pairwise(esperada):
        assert any(
            abs(a - fin_antes) <= TOLERANCIA_SEGUNDOS
            and abs(b - inicio_despues) <= TOLERANCIA_SEGUNDOS
            for a, b in _huecos(voz)
        ), f"falta el silencio de {fin_antes:.2f} a {inicio_despues:.2f} s: {_huecos(voz)}"
    # Y al revés: todo silencio largo medido es uno del guion, no una pausa dentro de un turno.
    for inicio, fin in _huecos(voz):
        if fin - inicio > 0.6:
            assert any(
                abs(inicio - fin_antes) <= TOLERANCIA_SEGUNDOS
                and abs(fin - inicio_despues) <= TOLERANCIA_SEGUNDOS
                for (_, fin_antes), (inicio_despues, _) in pairwise(esperada)
            ), f"silencio de {inicio:.2f} a {fin:.2f} s que no está en el guion"


def _unir(tramos: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Tramos de voz solapados o pegados, unidos."""
    unidos: list[tuple[float, float]] = []
    for inicio, fin in tramos:
        if unidos and inicio <= unidos[-1][1]:
            unidos[-1] = (unidos[-1][0], max(unidos[-1][1], fin))
        else:
            unidos.append((inicio, fin))
    return unidos


def _huecos(tramos: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(antes[1], despues[0]) for antes, despues in pairwise(tramos)]


@requiere_sintesis
def test_regiones_de_voz_del_vad_coinciden_con_el_guion(llamada, tmp_path):
    from faster_whisper.audio import decode_audio

    for hablante in HABLANTES:
        canal = sintetico.extraer_canal(llamada.ruta, hablante, tmp_path / f"{hablante}.wav")
        regiones = regiones_de_voz(decode_audio(str(canal)))
        turnos = llamada.de(hablante)
        assert len(regiones) == len(turnos)
        for (inicio, fin), turno in zip(regiones, turnos, strict=True):
            assert inicio == pytest.approx(turno.inicio, abs=0.15)
            assert fin == pytest.approx(turno.fin, abs=0.15)


def _wav(ruta: Path, muestras: np.ndarray) -> Path:
    with wave.open(str(ruta), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(struct.pack(f"<{len(muestras)}h", *muestras.astype(int)))
    return ruta


def test_un_canal_en_silencio_no_da_segmentos(motor_local, tmp_path):
    silencio = _wav(tmp_path / "silencio.wav", np.zeros(16_000 * 4))
    resultado = motor_local.transcribir(silencio)
    assert resultado.segmentos == []
    assert resultado.duracion == pytest.approx(4.0)


def test_un_fichero_que_no_es_audio_da_error_de_transcripcion(motor_local, tmp_path):
    texto = tmp_path / "notas.wav"
    texto.write_text("esto no es audio\n" * 100, encoding="utf-8")
    with pytest.raises(ErrorTranscripcion, match="notas.wav"):
        motor_local.transcribir(texto)


def test_el_modelo_se_carga_una_vez_por_proceso(motor_local):
    otro = MotorLocal(modelo="pypi", hilos=2)
    assert modelo_cargado(otro.modelo, otro.hilos) is modelo_cargado(
        motor_local.modelo, motor_local.hilos
    )


def test_ajustar_a_voz_lleva_los_bordes_a_la_region():
    segmentos = [
        SegmentoCanal(1.2, 2.0, "uno"),
        SegmentoCanal(2.1, 2.7, "dos"),
        SegmentoCanal(5.3, 6.0, "tres"),
        SegmentoCanal(9.0, 9.5, "lejos"),
    ]
    regiones = [(1.0, 3.0), (5.0, 6.2), (7.0, 7.5)]
    ajustados = ajustar_a_voz(segmentos, regiones)
    assert [(s.inicio, s.fin) for s in ajustados] == [
        (1.0, 2.0),
        (2.1, 3.0),
        (5.0, 6.2),
        (9.0, 9.5),
    ]


def test_partir_corta_donde_las_palabras_cambian_de_region():
    palabra = SimpleNamespace
    segmento = SimpleNamespace(
        start=1.0,
        end=6.0,
        text=" Hola, buenos días. Sí, dígame.",
        words=[
            palabra(start=1.0, end=1.4, word=" Hola,"),
            palabra(start=1.5, end=2.0, word=" buenos"),
            palabra(start=2.1, end=2.6, word=" días."),
            palabra(start=4.9, end=5.2, word=" Sí,"),
            palabra(start=5.3, end=6.0, word=" dígame."),
        ],
    )
    tramos = partir(segmento, [(0.9, 2.7), (4.8, 6.1)])
    assert [(t.inicio, t.fin, t.texto) for t in tramos] == [
        (1.0, 2.6, "Hola, buenos días."),
        (4.9, 6.0, "Sí, dígame."),
    ]
    assert [p.texto for p in tramos[1].palabras] == ["Sí,", "dígame."]
    entero = partir(segmento, [(0.9, 6.1)])
    assert [(t.inicio, t.fin, t.texto) for t in entero] == [
        (1.0, 6.0, "Hola, buenos días. Sí, dígame.")
    ]


@pytest.mark.parametrize("bucle", [["huevo,"], ["a", "un", "álbum"], ["de", "nada."]])
def test_partir_quita_los_bucles_de_repeticion_de_whisper(bucle):
    """Whisper a veces cierra un turno repitiendo una palabra o frase corta hasta llenar la
    ventana: se queda la primera vez y el tiempo del bucle no cuenta como habla."""
    dicho = ["Le", "devolvemos", "el", "importe."]
    textos = dicho + bucle * (REPETICIONES_BUCLE + 3)
    palabras = [
        SimpleNamespace(start=1.0 + k * 0.5, end=1.4 + k * 0.5, word=f" {t}")
        for k, t in enumerate(textos)
    ]
    segmento = SimpleNamespace(
        start=1.0, end=palabras[-1].end, text="".join(p.word for p in palabras), words=palabras
    )
    (tramo,) = partir(segmento, [(0.9, palabras[-1].end + 0.1)])
    quedan = len(dicho) + len(bucle)
    assert tramo.texto == " ".join(textos[:quedan])
    assert tramo.fin == palabras[quedan - 1].end
    # Sin marcas de palabra, igual sobre el texto; lo que se repite menos veces se queda.
    sin_marcas = SimpleNamespace(start=1.0, end=9.0, text=segmento.text, words=None)
    assert partir(sin_marcas, [])[0].texto == " ".join(textos[:quedan])
    legitimo = " ".join(dicho + bucle * (REPETICIONES_BUCLE - 1))
    assert texto_sin_bucles(legitimo) == legitimo


def test_bloques_cortan_en_silencio_y_cubren_todo(monkeypatch):
    monkeypatch.setattr(audio, "BLOQUE_SEGUNDOS", 10)
    monkeypatch.setattr(audio, "BUSQUEDA_SEGUNDOS", 4)
    generador = np.random.default_rng(9)
    senal = generador.uniform(-0.5, 0.5, 16_000 * 25).astype(np.float32)
    silencios = [(7.5, 8.5), (16.0, 17.0)]  # dentro de [6, 10] y de [~14, ~18]
    for inicio, fin in silencios:
        senal[int(inicio * 16_000) : int(fin * 16_000)] = 0.0
    partes = list(audio.bloques(senal))
    assert len(partes) == 3
    assert np.concatenate([p for _, p in partes]).tobytes() == senal.tobytes()
    for (inicio, parte), (silencio_inicio, silencio_fin) in zip(partes, silencios, strict=False):
        corte = inicio + len(parte) / 16_000
        assert silencio_inicio <= corte <= silencio_fin
    assert partes[0][0] == 0.0


@requiere_sintesis
def test_por_bloques_los_turnos_siguen_en_su_sitio(llamada, motor_local, tmp_path, monkeypatch):
    """Una llamada partida en bloques de ~25 s da los turnos en su sitio.

    El WER sube algo (0,26 medido frente a 0,20 del canal entero): cada bloque llega a Whisper
    con menos voz de contexto. Con los bloques de cinco minutos de verdad, eso solo pasa en
    los bordes.
    """
    monkeypatch.setattr(audio, "BLOQUE_SEGUNDOS", 25)
    monkeypatch.setattr(audio, "BUSQUEDA_SEGUNDOS", 8)
    canal = sintetico.extraer_canal(llamada.ruta, "agente", tmp_path / "agente.wav")
    assert len(list(audio.bloques(audio.leer_audio(canal)))) >= 2
    segmentos = motor_local.transcribir(canal).segmentos
    for turno in llamada.de("agente"):
        suyos = [s for s in segmentos if s.fin > turno.inicio and s.inicio < turno.fin]
        assert min(s.inicio for s in suyos) == pytest.approx(turno.inicio, abs=TOLERANCIA_SEGUNDOS)
        assert max(s.fin for s in suyos) == pytest.approx(turno.fin, abs=TOLERANCIA_SEGUNDOS)
    wer = sintetico.tasa_error_palabras(_texto(llamada.de("agente")), _texto(segmentos))
    assert wer < UMBRAL_WER["mulaw8k"], f"WER {wer:.2f}"
