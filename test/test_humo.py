"""Prueba mínima del arnés: la app arranca y el login real funciona."""


def test_salud_responde_ok(cliente):
    respuesta = cliente.get("/salud")
    assert respuesta.status_code == 200
    assert respuesta.json()["base_datos"] == "ok"


def test_me_devuelve_el_usuario_del_token(cliente, cabeceras):
    respuesta = cliente.get("/api/usuarios/me", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    assert respuesta.json()["email"] == "sup@example.com"
    assert "password_hash" not in respuesta.json()
