"""La fiabilidad de cada LLM (cuánto coincide con el offline seguro) con Redis es una sola para
todos los procesos: lo que anota un proceso lo ve otro; sin Redis o con Redis caído, memoria."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from servicios.clasificador import fiabilidad as modulo
from servicios.clasificador.fiabilidad import anotar_acuerdo, fiabilidad, reiniciar_fiabilidad

REDIS = os.environ.get("TEST_REDIS_URL")
RAIZ = Path(__file__).resolve().parents[1]
# Un proceso aparte que anota acuerdos de un modelo y termina.
ANOTADOR = """
import sys
from servicios.clasificador.fiabilidad import anotar_acuerdo
modelo, url = sys.argv[1], sys.argv[2]
for _ in range(int(sys.argv[3])):
    anotar_acuerdo(modelo, True, redis_url=url)
for _ in range(int(sys.argv[4])):
    anotar_acuerdo(modelo, False, redis_url=url)
"""


@pytest.mark.skipif(not REDIS, reason="sin TEST_REDIS_URL: no hay Redis")
def test_con_redis_lo_que_anota_un_proceso_lo_ven_los_demas():
    modelo = f"modelo-{uuid.uuid4().hex}"
    reparto = [(7, 1), (5, 3)]  # (coincidencias, desacuerdos) de cada proceso
    for coincidencias, desacuerdos in reparto:
        subprocess.run(
            [sys.executable, "-c", ANOTADOR, modelo, REDIS, str(coincidencias), str(desacuerdos)],
            cwd=RAIZ,
            check=True,
            timeout=60,
        )
    total = sum(c + d for c, d in reparto)
    esperada = sum(c for c, _ in reparto) / total
    assert fiabilidad(modelo, redis_url=REDIS) == (pytest.approx(esperada), total)
    assert fiabilidad(modelo) == (0.0, 0)  # nada quedó en la memoria de este proceso
    anotar_acuerdo(modelo, True, redis_url=REDIS)
    assert fiabilidad(modelo, redis_url=REDIS)[1] == total + 1


def test_sin_redis_o_con_redis_caido_cuenta_en_memoria(monkeypatch):
    reiniciar_fiabilidad()
    modelo = f"modelo-{uuid.uuid4().hex}"
    caido = "redis://127.0.0.1:1/0"  # nadie escucha: falla al conectar y se pausa
    monkeypatch.setattr(modulo, "PLAZO_REDIS_SEGUNDOS", 0.2)
    anotar_acuerdo(modelo, True, redis_url=caido)
    anotar_acuerdo(modelo, False, redis_url=None)
    assert fiabilidad(modelo, redis_url=caido) == (0.5, 2)
    assert fiabilidad(modelo) == (0.5, 2)
    reiniciar_fiabilidad()
    assert fiabilidad(modelo) == (0.0, 0)
