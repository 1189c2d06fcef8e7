"""La herramienta `python test/prueba_llm.py` ejecutada de verdad, como la usaría una persona."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from test.servidor_llm_falso import MODELO, ServidorLLMFalso

RAIZ = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def servidor() -> Iterator[ServidorLLMFalso]:
    with ServidorLLMFalso() as servidor:
        yield servidor


def _correr(*argumentos: str, entrada: str | None = None) -> subprocess.CompletedProcess[str]:
    entorno = {**os.environ, "OPENAI_BASE_URL": "", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "test/prueba_llm.py", *argumentos],
        cwd=RAIZ,
        env=entorno,
        input=entrada if entrada is not None else "",
        capture_output=True,
        text=True,
        timeout=60,
    )


def _filas(salida: str) -> list[str]:
    lineas = salida.splitlines()
    inicio = next(i for i, linea in enumerate(lineas) if linea.startswith("---")) + 1
    return [linea for linea in lineas[inicio:] if linea.strip() and not linea.startswith("Aviso")]


def test_sin_servidor_lo_dice_y_clasifica_los_ejemplos_con_el_local() -> None:
    resultado = _correr()
    assert resultado.returncode == 0, resultado.stderr
    assert "Sin servidor LLM configurado" in resultado.stdout
    filas = _filas(resultado.stdout)
    assert len(filas) == 6
    assert all(" local " in fila for fila in filas)
    assert all(any(c in fila for c in ("venta", "soporte", "reclamo")) for fila in filas)


def test_con_servidor_clasifica_con_el_llm(servidor: ServidorLLMFalso) -> None:
    servidor.programar("bueno")
    resultado = _correr("--url", servidor.url, "--modelo", "otro", "Me cobraron de más")
    assert resultado.returncode == 0, resultado.stderr
    assert f"Servidor LLM: {servidor.url}  modelo: otro" in resultado.stdout
    (fila,) = _filas(resultado.stdout)
    assert fila.startswith("Me cobraron de más")
    assert " reclamo " in fila and " llm " in fila and fila.endswith(MODELO)
    assert servidor.peticiones[0]["cuerpo"]["model"] == "otro"


def test_lee_textos_de_stdin(servidor: ServidorLLMFalso) -> None:
    servidor.programar("bueno")
    resultado = _correr("--url", servidor.url, "-", entrada="uno\n\ndos\n")
    assert resultado.returncode == 0, resultado.stderr
    assert [fila.split()[0] for fila in _filas(resultado.stdout)] == ["uno", "dos"]


def test_servidor_inalcanzable_lo_dice_y_usa_el_local() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]
    resultado = _correr("--url", f"http://127.0.0.1:{puerto}/v1", "--timeout", "1", "hola")
    assert resultado.returncode == 0, resultado.stderr
    assert "Servidor inalcanzable" in resultado.stdout
    (fila,) = _filas(resultado.stdout)
    assert " local " in fila
    assert "Aviso: Clasificación LLM fallida" in resultado.stdout


def test_servidor_que_responde_basura_avisa_del_motivo(servidor: ServidorLLMFalso) -> None:
    servidor.programar("fuera")
    resultado = _correr("--url", servidor.url, "quiero una consulta")
    assert resultado.returncode == 0, resultado.stderr
    assert " local " in _filas(resultado.stdout)[0]
    assert "categoría fuera del contrato" in resultado.stdout


@pytest.mark.parametrize("argumentos", [["--timeout", "abc"], ["--timeout", "0"], ["--nada"]])
def test_argumentos_invalidos_salen_con_error(argumentos: list[str]) -> None:
    resultado = _correr(*argumentos)
    assert resultado.returncode == 2
    assert "error" in resultado.stderr
