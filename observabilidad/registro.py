"""Registro: texto o JSON (LOG_FORMATO), con el id de petición en cada línea y sin ruido ajeno."""

import json
import logging
import sys
from datetime import UTC, datetime

from config import Ajustes
from observabilidad.contexto import contexto_actual

# Bibliotecas que a nivel INFO escriben decenas de líneas por PDF o al arrancar.
RUIDOSOS = (
    "fontTools",
    "alembic",
    "matplotlib",
    "PIL",
    "httpx",
    "httpx2",
    "httpcore",
    "multipart",
    "faster_whisper",
    "procrastinate",
)
CAMPOS_ESTANDAR = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
    "color_message",
}
SIN_ID = "-"
FORMATO_TEXTO = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class FormatoTexto(logging.Formatter):
    """Línea legible con el id de petición entre corchetes ('-' fuera de una petición)."""

    def __init__(self) -> None:
        super().__init__(FORMATO_TEXTO)

    def format(self, record: logging.LogRecord) -> str:
        record.__dict__.setdefault("request_id", SIN_ID)
        return super().format(record)


class FormatoJSON(logging.Formatter):
    """Un objeto JSON por línea; los campos de `extra=` van como claves propias."""

    def format(self, record: logging.LogRecord) -> str:
        id_peticion = getattr(record, "request_id", SIN_ID)
        datos = {
            "fecha": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "nivel": record.levelname,
            "logger": record.name,
            "mensaje": record.getMessage(),
            "request_id": None if id_peticion == SIN_ID else id_peticion,
        }
        datos.update({k: v for k, v in record.__dict__.items() if k not in CAMPOS_ESTANDAR})
        if record.exc_info:
            datos["excepcion"] = self.formatException(record.exc_info)
        return json.dumps(datos, ensure_ascii=False, default=str)


class ManejadorStderr(logging.StreamHandler):
    """Escribe en el sys.stderr de cada momento (no en el que había al crearse)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def _instalar_fabrica_de_registros() -> None:
    """Cada registro nace con el request_id de la petición en curso (también para caplog)."""
    anterior = logging.getLogRecordFactory()
    if getattr(anterior, "con_request_id", False):
        return

    def fabrica(*args, **kwargs) -> logging.LogRecord:
        registro = anterior(*args, **kwargs)
        contexto = contexto_actual()
        registro.request_id = contexto.request_id if contexto else SIN_ID
        return registro

    fabrica.con_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(fabrica)


def configurar_registro(ajustes: Ajustes) -> None:
    """Un único manejador en la raíz (idempotente); uvicorn escribe por él y sin su acceso."""
    _instalar_fabrica_de_registros()
    # Ningún formato del proyecto usa desde dónde se llamó: sin buscarlo en la pila, cada
    # línea (una por petición) cuesta menos (apartado «Optimization» del Logging HOWTO). Hilo y
    # proceso sí se recogen: una configuración propia (--log-config) puede pedir %(process)d.
    logging._srcfile = None  # noqa: SLF001
    raiz = logging.getLogger()
    for manejador in [h for h in raiz.handlers if getattr(h, "del_callcenter", False)]:
        raiz.removeHandler(manejador)
    manejador = ManejadorStderr()
    manejador.del_callcenter = True  # type: ignore[attr-defined]
    manejador.setFormatter(FormatoJSON() if ajustes.log_formato == "json" else FormatoTexto())
    raiz.addHandler(manejador)
    raiz.setLevel(ajustes.log_nivel)
    for nombre in RUIDOSOS:
        logging.getLogger(nombre).setLevel(logging.WARNING)
    # Una línea por petición: la del proyecto (con ruta, usuario e id), no el acceso de uvicorn.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    for nombre in ("uvicorn", "uvicorn.error"):
        registro_uvicorn = logging.getLogger(nombre)
        registro_uvicorn.handlers.clear()
        registro_uvicorn.propagate = True
