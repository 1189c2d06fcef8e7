"""Ficheros de las grabaciones en GRABACIONES_DIR: se reciben a un temporal contando bytes y
calculando el sha256, y solo un audio válido pasa a su nombre definitivo."""

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

TROZO = 1024 * 1024
PREFIJO_TEMPORAL = ".subida-"


class DemasiadoGrande(Exception):
    """La subida pasa del máximo; el temporal ya se borró."""


@dataclass(frozen=True, slots=True)
class Recibido:
    ruta: Path
    sha256: str
    tamano: int


def carpeta(directorio: str) -> Path:
    """La carpeta de las grabaciones, creada si falta."""
    ruta = Path(directorio).resolve()
    ruta.mkdir(parents=True, exist_ok=True)
    return ruta


def recibir(origen: BinaryIO, destino: Path, maximo: int) -> Recibido:
    """Copia el origen a un temporal sin extensión (FFmpeg no puede guiarse por el nombre);
    en cuanto pasa de `maximo` bytes lo borra y lanza DemasiadoGrande."""
    temporal = destino / f"{PREFIJO_TEMPORAL}{uuid.uuid4().hex}"
    resumen = hashlib.sha256()
    tamano = 0
    try:
        with temporal.open("wb") as salida:
            while trozo := origen.read(TROZO):
                tamano += len(trozo)
                if tamano > maximo:
                    raise DemasiadoGrande
                resumen.update(trozo)
                salida.write(trozo)
    except BaseException:
        temporal.unlink(missing_ok=True)
        raise
    return Recibido(ruta=temporal, sha256=resumen.hexdigest(), tamano=tamano)


def colocar(temporal: Path, destino: Path, nombre: str) -> Path:
    """Pasa el temporal a su nombre definitivo (atómico dentro de la misma carpeta)."""
    final = destino / nombre
    os.replace(temporal, final)
    return final


def ruta(directorio: str, nombre: str) -> Path:
    """Ruta del fichero de una grabación; el nombre lo puso el servicio, nunca el cliente."""
    return Path(directorio).resolve() / Path(nombre).name


def borrar(directorio: str, nombre: str) -> None:
    ruta(directorio, nombre).unlink(missing_ok=True)
