"""Login con REDIS_URL y Redis caído o mudo: sigue el límite en memoria, sin 500 ni bucle parado."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from servicios import limitador as modulo_limitador
from servicios.limitador import LimitadorLogin
from test.conftest import ajustes_de_prueba
from test.red_falsa import ServidorMudo, ServidorUvicorn, puerto_cerrado

PLAZO_REDIS = 0.3
INTENTOS = 3


def _limitador(url: str) -> LimitadorLogin:
    ajustes = ajustes_de_prueba(
        redis_url=url, redis_timeout_segundos=PLAZO_REDIS, login_intentos=INTENTOS
    )
    return LimitadorLogin(ajustes)


def _avisos(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "Redis no responde" in r.getMessage()]


@pytest.fixture(params=["caido", "mudo"])
def redis_roto(request: pytest.FixtureRequest):
    """URL de un Redis que rechaza conexiones o que las acepta y nunca contesta."""
    if request.param == "caido":
        yield f"redis://127.0.0.1:{puerto_cerrado()}/0"
        return
    with ServidorMudo() as mudo:
        yield f"redis://127.0.0.1:{mudo.puerto}/0"


def test_redis_roto_cuenta_en_memoria_con_un_solo_aviso(redis_roto, caplog):
    limitador = _limitador(redis_roto)
    with caplog.at_level(logging.WARNING, logger="callcenter.limitador"):
        inicio = time.monotonic()
        for _ in range(INTENTOS):
            assert limitador.segundos_bloqueado("a@example.com", "10.0.0.1") == 0
            limitador.registrar_fallo("a@example.com", "10.0.0.1")
        bloqueo = limitador.segundos_bloqueado("a@example.com", "10.0.0.1")
        transcurrido = time.monotonic() - inicio
    assert bloqueo > 0  # los fallos se contaron en memoria
    assert not limitador.usando_redis
    assert transcurrido < PLAZO_REDIS * 3 + 0.5  # solo la primera operación esperó a Redis
    assert len(_avisos(caplog)) == 1


def test_tras_la_pausa_se_vuelve_a_probar_redis(redis_roto, monkeypatch, caplog):
    monkeypatch.setattr(modulo_limitador, "PAUSA_REDIS_SEGUNDOS", 0.2)
    limitador = _limitador(redis_roto)
    with caplog.at_level(logging.WARNING, logger="callcenter.limitador"):
        limitador.registrar_fallo("a@example.com", "10.0.0.1")
        assert not limitador.usando_redis
        time.sleep(0.25)
        assert limitador.usando_redis  # pasada la pausa, la próxima operación prueba Redis
        limitador.registrar_fallo("a@example.com", "10.0.0.1")
    assert not limitador.usando_redis
    assert len(_avisos(caplog)) == 2  # un aviso por caída detectada, no por petición


def test_redis_de_verdad_cuenta_y_se_comparte(monkeypatch):
    url = "redis://127.0.0.1:6379/2"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        pytest.skip("sin Redis en 127.0.0.1:6379")
    uno, otro = _limitador(url), _limitador(url)
    uno.reiniciar()
    for _ in range(INTENTOS):
        uno.registrar_fallo("b@example.com", "10.0.0.2")
    assert uno.usando_redis
    assert otro.segundos_bloqueado("b@example.com", "10.0.0.2") > 0  # otro proceso lo ve
    uno.reiniciar()


ENTORNO = {
    "ENTORNO": "pruebas",
    "SECRET_KEY": "clave-solo-para-pruebas-0123456789abcdef",
    "BCRYPT_RONDAS": "4",
    "SEMBRAR_DEMO": "false",
    "PROGRAMADOR_ACTIVO": "false",
    "LOGIN_INTENTOS": str(INTENTOS),
    "REDIS_TIMEOUT_SEGUNDOS": str(PLAZO_REDIS),
}


def _login(url: str, password: str) -> tuple[int, float]:
    inicio = time.monotonic()
    cuerpo = {"email": "agente1@example.com", "password": password}
    respuesta = httpx.post(f"{url}/api/usuarios/login", json=cuerpo, timeout=10)
    return respuesta.status_code, time.monotonic() - inicio


def test_login_con_redis_roto_no_da_500_ni_para_el_bucle(redis_roto, tmp_path):
    # Plazo de Redis largo a propósito: si sus llamadas corrieran en el bucle, la bienvenida
    # esperaría esos 2 s; corriendo en hilos, responde al momento.
    entorno = {**ENTORNO, "REDIS_URL": redis_roto, "REDIS_TIMEOUT_SEGUNDOS": "2"}
    entorno["LOGIN_MAX_CONCURRENTES"] = "8"
    entorno["DATABASE_URL"] = f"sqlite:///{tmp_path}/cc.db"
    with ServidorUvicorn(entorno, registro=tmp_path / "uvicorn.log") as servidor:
        with ThreadPoolExecutor(8) as hilos:
            logins = [hilos.submit(_login, servidor.url, "123456") for _ in range(6)]
            inicio = time.monotonic()
            bienvenida = httpx.get(f"{servidor.url}/", timeout=10)
            latencia_bienvenida = time.monotonic() - inicio
            resultados = [f.result() for f in logins]
        assert bienvenida.status_code == 200
        assert latencia_bienvenida < 1.5  # el bucle no espera a Redis
        assert [estado for estado, _ in resultados] == [200] * 6
        assert max(duracion for _, duracion in resultados) < 6  # a lo sumo un plazo de Redis
        fallos = [_login(servidor.url, "mala")[0] for _ in range(INTENTOS + 1)]
        assert fallos == [401] * INTENTOS + [429]  # el límite sigue, en memoria
    registro = (tmp_path / "uvicorn.log").read_text()
    assert registro.count("Redis no responde") == 1
    assert "Traceback" not in registro
