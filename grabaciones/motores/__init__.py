"""Motores de transcripción (local con faster-whisper, remoto compatible con OpenAI) y la
elección entre ellos según los ajustes, con respaldo al local si el remoto falla."""

import logging
import threading
from pathlib import Path
from typing import Any

from grabaciones.motores.base import ErrorTranscripcion, MotorTranscripcion, TranscripcionCanal

registro = logging.getLogger("callcenter.grabaciones")

_locales: dict[str, Any] = {}
_cerrojo = threading.Lock()


def motor_local(modelo: str, hilos: int | None = None) -> MotorTranscripcion:
    """El motor local de este proceso (se carga una vez por modelo; importación perezosa)."""
    with _cerrojo:
        if modelo not in _locales:
            try:
                from grabaciones.motores.local import MotorLocal
            except ImportError as error:
                raise ErrorTranscripcion(
                    "el motor local de transcripción (faster-whisper) no está disponible en "
                    f"esta instalación: {error}"
                ) from error
            try:
                _locales[modelo] = MotorLocal(modelo, hilos)
            except Exception as error:
                raise ErrorTranscripcion(
                    f"no se pudo cargar el modelo local {modelo!r}: {error}"
                ) from error
        return _locales[modelo]


class ConRespaldo:
    """El motor remoto y, si falla, el local; `usados` dice quién transcribió cada canal."""

    def __init__(self, principal: MotorTranscripcion, modelo_local: str, hilos: int) -> None:
        self.principal = principal
        self.modelo_local = modelo_local
        self.hilos = hilos
        self.nombre = principal.nombre
        self.usados: list[str] = []

    def transcribir(self, ruta: Path) -> TranscripcionCanal:
        try:
            resultado = self.principal.transcribir(ruta)
            self.usados.append(self.principal.nombre)
            return resultado
        except ErrorTranscripcion as error:
            registro.warning("Transcripción remota fallida (%s); se usa el motor local", error)
            try:
                resultado = motor_local(self.modelo_local, self.hilos).transcribir(ruta)
            except ErrorTranscripcion as local:
                raise ErrorTranscripcion(f"remoto: {error}; local: {local}") from local
            self.usados.append("local")
            return resultado


def crear_motor(ajustes: Any) -> ConRespaldo | MotorTranscripcion:
    """El motor que piden TRANSCRIPCION_MOTOR y compañía."""
    if ajustes.transcripcion_motor == "remoto":
        if not ajustes.transcripcion_remota_url:
            raise ErrorTranscripcion("TRANSCRIPCION_MOTOR=remoto sin TRANSCRIPCION_REMOTA_URL")
        from grabaciones.motores.remoto import MotorRemoto

        remoto = MotorRemoto(
            url=ajustes.transcripcion_remota_url,
            clave=ajustes.transcripcion_remota_clave,
            modelo=ajustes.transcripcion_remota_modelo,
            plazo_segundos=ajustes.transcripcion_remota_timeout_segundos,
        )
        return ConRespaldo(remoto, ajustes.transcripcion_modelo, ajustes.transcripcion_hilos)
    return motor_local(ajustes.transcripcion_modelo, ajustes.transcripcion_hilos)
