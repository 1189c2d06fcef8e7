"""Prueba el clasificador desde la terminal: `python test/prueba_llm.py [textos...] [--url ...]`."""

import argparse
import logging
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

RAIZ = Path(__file__).resolve().parent.parent
if str(RAIZ) not in sys.path:
    sys.path.insert(0, str(RAIZ))

from config import Ajustes, obtener_ajustes  # noqa: E402
from servicios.clasificador import clasificar_texto  # noqa: E402

EJEMPLOS = [
    "Hola, quiero contratar el plan de fibra de 600 megas, ¿qué promociones tienen este mes?",
    "Me cobraron dos veces la factura y nadie me da solución, exijo el reembolso ya.",
    "No me funciona el router desde ayer, ya lo reinicié y sigue sin internet.",
    "No quiero comprar nada, quiero cancelar porque el servicio es pésimo.",
    "Buenas, ¿cómo configuro el correo en el celular? No me sincroniza.",
    "Agente: ¿en qué le ayudo? Cliente: me interesa agregar una línea adicional a mi plan.",
]


class _Avisos(logging.Handler):
    """Guarda los avisos del clasificador (p. ej. por qué falló el LLM) para mostrarlos."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.mensajes: list[str] = []

    def emit(self, registro: logging.LogRecord) -> None:
        self.mensajes.append(registro.getMessage())


def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    analizador = argparse.ArgumentParser(
        description="Clasifica textos de llamadas con el servidor LLM configurado o el local.",
    )
    analizador.add_argument("textos", nargs="*", help="textos a clasificar; '-' lee de stdin")
    analizador.add_argument("--url", help="OPENAI_BASE_URL a usar ('' = sin servidor)")
    analizador.add_argument("--modelo", help="OPENAI_MODEL a usar")
    analizador.add_argument("--timeout", type=float, help="plazo en segundos para el LLM")
    argumentos = analizador.parse_args(argv)
    if argumentos.timeout is not None and not 0 < argumentos.timeout <= 120:
        analizador.error("--timeout debe estar entre 0 y 120 segundos")
    return argumentos


def _textos(argumentos: argparse.Namespace) -> list[str]:
    """Textos de los argumentos, de stdin ('-' o tubería) o los de ejemplo."""
    textos = [t for t in argumentos.textos if t != "-"]
    if "-" in argumentos.textos or (not textos and not sys.stdin.isatty()):
        textos += [linea.strip() for linea in sys.stdin if linea.strip()]
    return textos or EJEMPLOS


def _ajustes(argumentos: argparse.Namespace) -> Ajustes:
    cambios: dict[str, object] = {}
    if argumentos.url is not None:
        cambios["openai_base_url"] = argumentos.url or None
    if argumentos.modelo:
        cambios["openai_model"] = argumentos.modelo
    if argumentos.timeout is not None:
        cambios["llm_timeout_segundos"] = argumentos.timeout
    return obtener_ajustes().model_copy(update=cambios)


def _alcanzable(url: str, plazo: float) -> str | None:
    """None si hay algo escuchando en el host y puerto de la URL; si no, el motivo."""
    partes = urlsplit(url)
    if partes.scheme not in ("http", "https") or not partes.hostname:
        return f"URL no válida: {url!r}"
    puerto = partes.port or (443 if partes.scheme == "https" else 80)
    try:
        with socket.create_connection((partes.hostname, puerto), timeout=min(plazo, 3.0)):
            return None
    except OSError as error:
        return f"no se pudo conectar con {partes.hostname}:{puerto} ({error})"


def _recortar(texto: str, ancho: int) -> str:
    texto = " ".join(texto.split())
    return texto if len(texto) <= ancho else texto[: ancho - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    """Clasifica e imprime la tabla; 0 salvo error real (argumentos inválidos: 2)."""
    argumentos = _argumentos(argv)
    ajustes = _ajustes(argumentos)
    avisos = _Avisos()
    logging.getLogger("servicios.clasificador").addHandler(avisos)
    if ajustes.openai_base_url is None:
        print("Sin servidor LLM configurado (OPENAI_BASE_URL): se usa el clasificador local.")
    else:
        print(f"Servidor LLM: {ajustes.openai_base_url}  modelo: {ajustes.openai_model}")
        motivo = _alcanzable(ajustes.openai_base_url, ajustes.llm_timeout_segundos)
        if motivo:
            print(f"Servidor inalcanzable: {motivo}; responderá el clasificador local.")
    print()
    print(f"{'Texto':<52} {'Categoría':<10} {'Confianza':>9} {'Motor':<6} {'ms':>8}  Modelo")
    print("-" * 100)
    for texto in _textos(argumentos):
        resultado = clasificar_texto(texto, ajustes=ajustes)
        print(
            f"{_recortar(texto, 52):<52} {resultado.categoria:<10} {resultado.confianza:>9.2f} "
            f"{resultado.motor:<6} {resultado.latencia_ms:>8.1f}  {resultado.modelo}"
        )
    if avisos.mensajes:
        print()
        for mensaje in dict.fromkeys(avisos.mensajes):
            print(f"Aviso: {mensaje}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
