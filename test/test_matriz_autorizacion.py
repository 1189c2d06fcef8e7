"""Matriz de autorización: recorre la tabla de rutas de la app; una ruta sin regla falla aquí."""

import pytest
from fastapi.routing import APIRoute

PUBLICO = "publico"
TODOS = ("agente", "supervisor", "admin")
SUPERVISION = ("supervisor", "admin")
ADMIN = ("admin",)
ID = "999999"

# (método, ruta) -> quién puede entrar; las reglas de propiedad (un agente y sus llamadas)
# se prueban en los ficheros de cada recurso.
REGLAS: dict[tuple[str, str], str | tuple[str, ...]] = {
    ("GET", "/"): PUBLICO,
    ("GET", "/salud"): PUBLICO,
    ("POST", "/api/usuarios/login"): PUBLICO,
    ("GET", "/api/usuarios/me"): TODOS,
    ("GET", "/api/usuarios/"): SUPERVISION,
    ("POST", "/api/usuarios/"): ADMIN,
    # Admin, o el propio usuario (la matriz pide un id ajeno: el agente recibe 403).
    ("GET", "/api/usuarios/{usuario_id}"): ADMIN,
    ("PUT", "/api/usuarios/{usuario_id}"): ADMIN,
    ("PATCH", "/api/usuarios/{usuario_id}"): ADMIN,
    ("DELETE", "/api/usuarios/{usuario_id}"): ADMIN,
    ("GET", "/api/llamadas/"): TODOS,
    ("POST", "/api/llamadas/"): TODOS,
    ("POST", "/api/llamadas/importar"): SUPERVISION,
    # Supervisión, o el propio agente (id ajeno en la matriz: 403).
    ("GET", "/api/llamadas/usuario/{usuario_id}"): SUPERVISION,
    ("GET", "/api/llamadas/cliente/{numero_cliente}"): TODOS,
    ("GET", "/api/llamadas/{llamada_id}"): TODOS,
    ("PUT", "/api/llamadas/{llamada_id}"): TODOS,
    ("PATCH", "/api/llamadas/{llamada_id}"): TODOS,
    ("DELETE", "/api/llamadas/{llamada_id}"): SUPERVISION,
    # Grabaciones: las reglas de propiedad de la llamada (test_grabaciones.py).
    ("POST", "/api/llamadas/{llamada_id}/grabacion"): TODOS,
    ("GET", "/api/llamadas/{llamada_id}/grabacion"): TODOS,
    ("DELETE", "/api/llamadas/{llamada_id}/grabacion"): TODOS,
    ("GET", "/api/llamadas/{llamada_id}/transcripcion"): TODOS,
    ("POST", "/api/clasificaciones-ia/"): TODOS,
    ("POST", "/api/clasificaciones-ia/texto"): TODOS,
    ("POST", "/api/clasificaciones-ia/clasificar-texto"): TODOS,
    ("GET", "/api/clasificaciones-ia/"): TODOS,
    ("GET", "/api/clasificaciones-ia/{clasificacion_id}"): TODOS,
    ("GET", "/api/clasificaciones-ia/llamada/{llamada_id}"): TODOS,
    ("PATCH", "/api/clasificaciones-ia/{clasificacion_id}"): TODOS,
    ("GET", "/api/clasificaciones-ia/acuerdo"): SUPERVISION,
    # Un agente ve sus propios KPIs; el equipo, supervisión.
    ("GET", "/api/metricas/"): TODOS,
    ("GET", "/api/metricas/diarias"): SUPERVISION,
    ("POST", "/api/metricas/diarias/recalcular"): ADMIN,
    ("GET", "/api/reportes/"): SUPERVISION,
    ("POST", "/api/reportes/"): SUPERVISION,
    ("GET", "/api/reportes/{reporte_id}"): SUPERVISION,
    ("GET", "/api/reportes/{reporte_id}/descargar"): SUPERVISION,
    ("GET", "/api/trabajos/"): SUPERVISION,
    ("GET", "/api/trabajos/{trabajo_id}"): SUPERVISION,
    ("GET", "/api/estados-agente/me"): TODOS,
    ("PUT", "/api/estados-agente/me"): TODOS,
    ("GET", "/api/estados-agente/"): SUPERVISION,
    ("GET", "/api/tablero/"): SUPERVISION,
    ("GET", "/api/tablero/agente"): TODOS,
    ("GET", "/api/eventos"): TODOS,
    ("GET", "/api/auditoria/"): ADMIN,
    ("GET", "/api/auditoria/exportar"): ADMIN,
}
# Flujos que no terminan: su 401 se prueba aquí; qué recibe cada rol, en test_eventos.py.
FLUJOS = {("GET", "/api/eventos")}
DOCUMENTACION = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/favicon.ico"}


def _rutas_api(rutas) -> list[APIRoute]:
    """Rutas de la app, bajando por los routers incluidos."""
    encontradas = []
    for ruta in rutas:
        if isinstance(ruta, APIRoute):
            encontradas.append(ruta)
        elif getattr(ruta, "original_router", None) is not None:
            encontradas.extend(_rutas_api(ruta.original_router.routes))
    return encontradas


def _rutas(app) -> set[tuple[str, str]]:
    return {
        (metodo, ruta.path)
        for ruta in _rutas_api(app.routes)
        if ruta.path not in DOCUMENTACION
        for metodo in ruta.methods - {"HEAD", "OPTIONS"}
    }


def test_la_matriz_ve_las_rutas_de_los_routers_incluidos(app):
    assert ("GET", "/api/llamadas/") in _rutas(app)


def _url(ruta: str) -> str:
    parametros = ("{usuario_id}", "{llamada_id}", "{id}", "{reporte_id}", "{clasificacion_id}")
    for parametro in (*parametros, "{trabajo_id}"):
        ruta = ruta.replace(parametro, ID)
    return ruta.replace("{numero_cliente}", "600000000").replace("{", "").replace("}", "")


def test_cada_ruta_de_la_app_tiene_una_regla(app):
    sin_regla = _rutas(app) - set(REGLAS)
    assert not sin_regla, f"Rutas sin regla de autorización: {sorted(sin_regla)}"


def test_cada_regla_corresponde_a_una_ruta_existente(app):
    sobrantes = set(REGLAS) - _rutas(app)
    assert not sobrantes, f"Reglas de rutas que ya no existen: {sorted(sobrantes)}"


@pytest.mark.parametrize(("metodo", "ruta"), sorted(k for k, v in REGLAS.items() if v != PUBLICO))
def test_ruta_protegida_sin_token_da_401(cliente, metodo, ruta):
    respuesta = cliente.request(metodo, _url(ruta), json={})
    assert respuesta.status_code == 401, respuesta.text
    assert respuesta.headers["www-authenticate"] == "Bearer"
    assert respuesta.json()["detail"].startswith("Falta el token")


@pytest.mark.parametrize(("metodo", "ruta"), sorted(k for k, v in REGLAS.items() if v != PUBLICO))
def test_ruta_protegida_con_token_invalido_da_401(cliente, metodo, ruta):
    cabecera = {"Authorization": "Bearer no.es.un-token"}
    respuesta = cliente.request(metodo, _url(ruta), json={}, headers=cabecera)
    assert respuesta.status_code == 401, respuesta.text
    assert respuesta.json()["detail"] == "Token inválido"


@pytest.mark.parametrize(
    ("metodo", "ruta"), sorted(k for k, v in REGLAS.items() if v != PUBLICO and k not in FLUJOS)
)
def test_cada_rol_recibe_403_solo_donde_no_tiene_permiso(cliente, cabeceras, metodo, ruta):
    for rol in TODOS:
        respuesta = cliente.request(metodo, _url(ruta), json={}, headers=cabeceras(rol))
        if rol in REGLAS[(metodo, ruta)]:
            assert respuesta.status_code not in (401, 403), (rol, respuesta.text)
        else:
            assert respuesta.status_code == 403, (rol, respuesta.text)
            assert respuesta.json()["detail"].startswith("Permiso denegado")


@pytest.mark.parametrize(("metodo", "ruta"), sorted(k for k, v in REGLAS.items() if v == PUBLICO))
def test_rutas_publicas_no_piden_token(cliente, metodo, ruta):
    respuesta = cliente.request(metodo, _url(ruta), json={})
    assert respuesta.status_code not in (401, 403), respuesta.text
