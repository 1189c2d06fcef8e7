"""Límite de intentos fallidos de inicio de sesión por cuenta y por dirección (429)."""

from test.ayudas_api import PASSWORD_NUEVA

LOGIN = "/api/usuarios/login"
INTENTOS = 5  # login_intentos de los ajustes de prueba
POR_DIRECCION = INTENTOS * 4


def _entrar(cliente, email: str, password: str):
    return cliente.post(LOGIN, json={"email": email, "password": password})


def _fallar(cliente, email: str, veces: int) -> None:
    for _ in range(veces):
        respuesta = _entrar(cliente, email, "clave-equivocada")
        assert respuesta.status_code == 401, respuesta.text


def _afirmar_bloqueado(respuesta, ventana: int) -> None:
    assert respuesta.status_code == 429
    assert respuesta.json()["detail"].startswith("Demasiados intentos fallidos")
    assert 1 <= int(respuesta.headers["Retry-After"]) <= ventana + 1


def test_login_tras_n_fallos_da_429_con_retry_after(cliente, app):
    _fallar(cliente, "agente1@example.com", INTENTOS)
    respuesta = _entrar(cliente, "agente1@example.com", "clave-equivocada")
    _afirmar_bloqueado(respuesta, app.state.ajustes.login_ventana_segundos)


def test_login_bloqueado_rechaza_tambien_la_password_correcta(cliente, app):
    _fallar(cliente, "agente1@example.com", INTENTOS)
    respuesta = _entrar(cliente, "agente1@example.com", PASSWORD_NUEVA)
    _afirmar_bloqueado(respuesta, app.state.ajustes.login_ventana_segundos)


def test_login_bloqueado_no_distingue_mayusculas_del_correo(cliente, app):
    _fallar(cliente, "agente1@example.com", INTENTOS)
    respuesta = _entrar(cliente, "AGENTE1@example.com", PASSWORD_NUEVA)
    _afirmar_bloqueado(respuesta, app.state.ajustes.login_ventana_segundos)


def test_un_fallo_menos_del_limite_aun_deja_entrar(cliente):
    _fallar(cliente, "agente1@example.com", INTENTOS - 1)
    respuesta = _entrar(cliente, "agente1@example.com", PASSWORD_NUEVA)
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario"]["email"] == "agente1@example.com"


def test_otro_correo_desde_la_misma_direccion_sigue_entrando(cliente):
    _fallar(cliente, "agente1@example.com", INTENTOS)
    respuesta = _entrar(cliente, "sup@example.com", PASSWORD_NUEVA)
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario"]["email"] == "sup@example.com"


def test_la_direccion_se_bloquea_al_llegar_a_su_limite(cliente, app):
    correos = [f"intruso{n}@example.com" for n in range(POR_DIRECCION // INTENTOS)]
    for correo in correos[:-1]:
        _fallar(cliente, correo, INTENTOS)
    _fallar(cliente, correos[-1], INTENTOS - 1)
    assert _entrar(cliente, "sup@example.com", PASSWORD_NUEVA).status_code == 200
    _fallar(cliente, correos[-1], 1)
    respuesta = _entrar(cliente, "sup@example.com", PASSWORD_NUEVA)
    _afirmar_bloqueado(respuesta, app.state.ajustes.login_ventana_segundos)


def test_login_correcto_borra_los_fallos_de_la_cuenta(cliente):
    _fallar(cliente, "agente1@example.com", INTENTOS - 1)
    assert _entrar(cliente, "agente1@example.com", PASSWORD_NUEVA).status_code == 200
    _fallar(cliente, "agente1@example.com", INTENTOS - 1)
    respuesta = _entrar(cliente, "agente1@example.com", PASSWORD_NUEVA)
    assert respuesta.status_code == 200
    assert respuesta.json()["usuario"]["email"] == "agente1@example.com"


def test_correo_desconocido_tambien_se_bloquea(cliente, app):
    _fallar(cliente, "nadie@example.com", INTENTOS)
    respuesta = _entrar(cliente, "nadie@example.com", "clave-equivocada")
    _afirmar_bloqueado(respuesta, app.state.ajustes.login_ventana_segundos)
