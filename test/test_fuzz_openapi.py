"""Fuzz del OpenAPI entero con schemathesis, como cada rol y contra la app real: ninguna
respuesta 5xx, y cada respuesta cumple lo documentado (código, tipo de contenido, cuerpo y
cabeceras). Acotado y determinista: pocos casos por operación, semillas fijas."""

import inspect
import os
import time
from collections import Counter

import pytest
import requests
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from servicios.excepciones import DatoInvalido

# Por operación, rol y modo (ejemplos, válidos, no válidos); FUZZ_CASOS=200 para una pasada larga.
CASOS_POR_MODO = int(os.environ.get("FUZZ_CASOS", "5"))
COMPROBACIONES = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Mientras DatoInvalido no lleve el campo, sus 422 responden detail en texto y no la lista
# documentada: se cuentan aparte. Cuando DatoInvalido(campo=...) exista, deja de tolerarse.
TOLERAR_422_EN_TEXTO = "campo" not in inspect.signature(DatoInvalido).parameters
AJUSTES_HYPOTHESIS = settings(
    max_examples=CASOS_POR_MODO,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


# Un flujo SSE no termina nunca: su 401 está en la matriz de autorización y su 422 y sus
# roles en test_eventos.py, contra un uvicorn real.
FLUJOS = {"/api/eventos"}


@pytest.fixture(scope="module")
def esquema(app):
    return schemathesis.openapi.from_dict(app.openapi())


def _enviar(cliente, caso, cabeceras: dict[str, str]):
    """Envía el caso tal como lo codificaría schemathesis (requests) por el cliente de la app."""
    datos = caso.as_transport_kwargs(base_url="http://testserver", headers=cabeceras)
    preparada = requests.Request(
        method=datos["method"],
        url=datos["url"],
        headers=datos["headers"],
        params=datos.get("params"),
        json=datos.get("json"),
        data=datos.get("data"),
        files=datos.get("files"),
    ).prepare()
    return cliente.request(
        preparada.method, preparada.url, headers=dict(preparada.headers), content=preparada.body
    )


def _resumen(error: BaseException) -> str:
    """Las líneas que dicen qué falló (sin el curl ni el cuerpo entero)."""
    lineas = [linea.strip() for linea in str(error).splitlines() if linea.strip()]
    return " | ".join(lineas[1:4])[:300]


def _es_422_en_texto(respuesta) -> bool:
    return respuesta.status_code == 422 and isinstance(respuesta.json().get("detail"), str)


def _estrategias(esquema, operacion):
    """Los ejemplos del OpenAPI y datos generados válidos y no válidos."""
    ejemplos = esquema.get_strategies_from_examples(operacion)
    yield "ejemplos", st.one_of(ejemplos) if ejemplos else None
    for modo in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        yield modo.value, operacion.as_strategy(generation_mode=modo)


def _fuzz(cliente, autorizacion, etiqueta: str, estrategia, estados: Counter, fallos: list) -> None:
    """Corre una estrategia: cada caso se envía y se valida; los fallos se reúnen."""

    @AJUSTES_HYPOTHESIS
    @given(caso=estrategia)
    def probar(caso):
        respuesta = _enviar(cliente, caso, autorizacion)
        estados[respuesta.status_code] += 1
        if TOLERAR_422_EN_TEXTO and _es_422_en_texto(respuesta):
            return
        try:
            caso.validate_response(respuesta, checks=COMPROBACIONES)
        except (AssertionError, BaseExceptionGroup) as error:  # se reúnen para verlos juntos
            fallos.append(f"{etiqueta} {respuesta.status_code}: {_resumen(error)}")

    try:
        probar()
    except Unsatisfiable:  # p. ej. datos no válidos para una ruta sin parámetros
        pass


@pytest.fixture
def robusto(app, cliente) -> TestClient:
    """Cliente sobre los datos frescos de la prueba que devuelve los 500 como respuesta."""
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("rol", ["agente", "supervisor", "admin"])
def test_fuzz_del_openapi_sin_5xx_y_conforme(robusto, cabeceras, esquema, rol):
    autorizacion = cabeceras(rol)
    fallos: list[str] = []
    estados: Counter[int] = Counter()
    inicio = time.perf_counter()
    for resultado in esquema.get_all_operations():
        operacion = resultado.ok()
        if operacion.path in FLUJOS:
            continue
        for modo, estrategia in _estrategias(esquema, operacion):
            if estrategia is not None:
                etiqueta = f"{operacion.method.upper()} {operacion.path} [{modo}]"
                _fuzz(robusto, autorizacion, etiqueta, estrategia, estados, fallos)
    duracion = time.perf_counter() - inicio
    print(f"\n{rol}: {sum(estados.values())} casos en {duracion:.1f} s; estados {dict(estados)}")
    assert not fallos, "\n\n".join(sorted(set(fallos))[:30])
