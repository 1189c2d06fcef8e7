"""Reentrenamiento con correcciones: fuera la evaluación, y nunca un modelo peor."""

import json

import pytest

from data import reentrenar_con_correcciones as reentreno


@pytest.fixture
def rutas(tmp_path, monkeypatch):
    """Modelos y fichero de correcciones en una carpeta temporal."""
    modelos = (tmp_path / "lexico.npz", tmp_path / "semantico.npz")
    for ruta in modelos:
        ruta.write_bytes(b"viejo")
    monkeypatch.setattr(reentreno, "MODELOS", modelos)
    monkeypatch.setattr(reentreno, "CORRECCIONES", tmp_path / "correcciones.jsonl")
    return modelos


def _entrenar(modelos):
    def entrenar() -> None:
        for ruta in modelos:
            ruta.write_bytes(b"nuevo")

    return entrenar


def _medidas(*valores: float):
    pendientes = list(valores)
    return lambda: pendientes.pop(0)


def test_correcciones_sin_textos_de_evaluacion_ni_repetidos():
    correcciones = [
        ("Quiero la BAJA ya", "reclamo"),
        ("quiero la baja, ya", "reclamo"),
        ("No me anda el wifi", "soporte"),
        ("   ", "venta"),
    ]
    filas = reentreno.filas_de_correcciones(correcciones, ["no me anda el WiFi"])
    assert [(f["texto"], f["categoria"]) for f in filas] == [("Quiero la BAJA ya", "reclamo")]
    assert filas[0]["sentimiento"] == "negativo" and filas[0]["fuente"].startswith("correccion:")


def test_modelo_mejor_se_guarda_con_sus_correcciones(rutas):
    filas = [{"texto": "t", "categoria": "venta", "sentimiento": "neutral", "fuente": "c:0"}]
    aceptado, antes, despues = reentreno.reentrenar(filas, _entrenar(rutas), _medidas(0.9, 0.92))
    assert (aceptado, antes, despues) == (True, 0.9, 0.92)
    assert all(r.read_bytes() == b"nuevo" for r in rutas)
    escritas = reentreno.CORRECCIONES.read_text(encoding="utf-8").splitlines()
    assert [json.loads(linea) for linea in escritas] == filas


def test_modelo_peor_se_rechaza_y_todo_vuelve_como_estaba(rutas):
    filas = [{"texto": "t", "categoria": "venta", "sentimiento": "neutral", "fuente": "c:0"}]
    aceptado, antes, despues = reentreno.reentrenar(filas, _entrenar(rutas), _medidas(0.9, 0.85))
    assert (aceptado, antes, despues) == (False, 0.9, 0.85)
    assert all(r.read_bytes() == b"viejo" for r in rutas)
    assert not reentreno.CORRECCIONES.exists()


def test_rechazo_conserva_las_correcciones_anteriores(rutas):
    reentreno.CORRECCIONES.write_text("anterior\n", encoding="utf-8")
    aceptado, *_ = reentreno.reentrenar([], _entrenar(rutas), _medidas(0.9, 0.5))
    assert not aceptado
    assert reentreno.CORRECCIONES.read_text(encoding="utf-8") == "anterior\n"
