"""Excepciones de dominio: cada una lleva su estado HTTP; main.py las traduce a {"detail": ...}."""


class ErrorDominio(Exception):
    """Error de negocio con mensaje en español y estado HTTP."""

    estado = 400

    def __init__(self, mensaje: str, *, cabeceras: dict[str, str] | None = None) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.cabeceras = cabeceras or {}


class NoAutenticado(ErrorDominio):
    estado = 401

    def __init__(self, mensaje: str = "No autenticado: token ausente, inválido o caducado") -> None:
        super().__init__(mensaje, cabeceras={"WWW-Authenticate": "Bearer"})


class SinPermiso(ErrorDominio):
    estado = 403


class NoEncontrado(ErrorDominio):
    estado = 404


class YaExiste(ErrorDominio):
    estado = 409


class Conflicto(ErrorDominio):
    estado = 409


class DatoInvalido(ErrorDominio):
    """422 de una regla de negocio; se publica como un error de validación que nombra el campo."""

    estado = 422

    def __init__(
        self, mensaje: str, *, campo: str, ubicacion: str = "body", tipo: str = "value_error"
    ) -> None:
        super().__init__(f"{campo}: {mensaje}")
        self.campo = campo
        # «llamadas.3.usuario_id» se publica como los errores de Pydantic: body, llamadas, 3, …
        self.loc = [ubicacion, *campo.split(".")]
        self.tipo = tipo


class DemasiadosIntentos(ErrorDominio):
    estado = 429

    def __init__(self, mensaje: str, *, reintentar_en: int) -> None:
        super().__init__(mensaje, cabeceras={"Retry-After": str(max(1, reintentar_en))})


class ServicioNoDisponible(ErrorDominio):
    """Sin capacidad ahora mismo (saturación o dependencia caída): reintentar más tarde."""

    estado = 503

    def __init__(self, mensaje: str, *, reintentar_en: int) -> None:
        super().__init__(mensaje, cabeceras={"Retry-After": str(max(1, reintentar_en))})


class DemasiadoGrande(ErrorDominio):
    """Un fichero subido pasa del máximo permitido."""

    estado = 413


class RangoNoSatisfacible(ErrorDominio):
    """Range pide bytes fuera del fichero; Content-Range dice su tamaño."""

    estado = 416

    def __init__(self, mensaje: str, *, tamano: int) -> None:
        super().__init__(mensaje, cabeceras={"Content-Range": f"bytes */{tamano}"})
