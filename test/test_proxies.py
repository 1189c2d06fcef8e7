"""X-Forwarded-For solo cuenta si viene de un proxy de TRUSTED_PROXIES (ninguno por defecto)."""

import httpx
import pytest

from test.conftest import EMAILS, ajustes_de_prueba
from test.servidor_real import servidor_real

LOGIN = "/api/usuarios/login"
MALA = {"email": EMAILS["supervisor"], "password": "clave-equivocada"}
BUENA = {"email": EMAILS["supervisor"], "password": "123456"}


def _intentar(cliente: httpx.Client, credenciales: dict, reenviada: str) -> int:
    respuesta = cliente.post(LOGIN, json=credenciales, headers={"X-Forwarded-For": reenviada})
    return respuesta.status_code


@pytest.mark.parametrize(
    "opciones",
    [{}, {"proxy_headers": True, "forwarded_allow_ips": "127.0.0.1"}],
    ids=["opciones_de_main", "uvicorn_a_mano_con_sus_valores_por_defecto"],
)
def test_x_forwarded_for_falso_no_desbloquea_una_cuenta_bloqueada(tmp_path, opciones):
    ajustes = ajustes_de_prueba(database_url=f"sqlite:///{tmp_path / 'cc.db'}")
    with servidor_real(ajustes, **opciones) as (_, puerto):
        with httpx.Client(base_url=f"http://127.0.0.1:{puerto}", timeout=10) as cliente:
            fallos = [_intentar(cliente, MALA, f"203.0.113.{i}") for i in range(5)]
            assert fallos == [401] * 5
            falsas = [_intentar(cliente, BUENA, f"198.51.100.{i}") for i in range(5)]
            assert falsas == [429] * 5
            if not opciones:
                # Con las opciones de main.py la cabecera ni se mira: todo cuenta como 127.0.0.1.
                sin_cabecera = cliente.post(LOGIN, json=BUENA)
                assert sin_cabecera.status_code == 429
                assert int(sin_cabecera.headers["Retry-After"]) >= 1


def test_con_un_proxy_de_confianza_cuenta_la_ip_que_el_proxy_anota(tmp_path):
    ajustes = ajustes_de_prueba(
        database_url=f"sqlite:///{tmp_path / 'cc.db'}", trusted_proxies=["127.0.0.1"]
    )
    with servidor_real(ajustes) as (_, puerto):
        with httpx.Client(base_url=f"http://127.0.0.1:{puerto}", timeout=10) as cliente:
            # El cliente antepone valores falsos; el proxy añade al final la IP real.
            fallos = [_intentar(cliente, MALA, f"10.9.9.{i}, 203.0.113.7") for i in range(5)]
            assert fallos == [401] * 5
            assert _intentar(cliente, BUENA, "1.2.3.4, 203.0.113.7") == 429
            assert _intentar(cliente, BUENA, "203.0.113.8") == 200
