"""El documento OpenAPI, recorrido entero: resúmenes en español, operationId limpios, errores
declarados con su cuerpo real, ejemplos válidos en cada cuerpo y X-Total-Count en las listas."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from test.audio_prueba import wav
from test.ayudas_api import crear_llamada, crear_usuario, id_usuario
from test.test_matriz_autorizacion import PUBLICO, REGLAS, TODOS

METODOS = {"get", "post", "put", "patch", "delete"}
# Palabras que en un resumen deberían llevar tilde.
SIN_TILDE = re.compile(
    r"\b(sesion|clasificacion|metricas?|pagina|informacion|telefono|numero|estadisticas?|"
    r"ultim[oa]s?|cliente s)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def documento(app):
    return app.openapi()


def _operaciones(documento):
    for ruta, operaciones in documento["paths"].items():
        for metodo, operacion in operaciones.items():
            if metodo in METODOS:
                yield metodo.upper(), ruta, operacion


def _esquema_error(operacion, codigo: str) -> str | None:
    respuesta = operacion["responses"].get(codigo)
    if respuesta is None:
        return None
    return respuesta["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_cada_operacion_tiene_un_resumen_en_español(documento):
    for metodo, ruta, operacion in _operaciones(documento):
        resumen = operacion.get("summary", "")
        automatico = operacion["operationId"].replace("_", " ").title()
        assert resumen and resumen != automatico, (metodo, ruta, resumen)
        assert not SIN_TILDE.search(resumen), (metodo, ruta, resumen)
        assert resumen[0].isupper() and not resumen.endswith("."), resumen


def test_operation_ids_limpios_y_sin_repetir(documento):
    ids = [operacion["operationId"] for _, _, operacion in _operaciones(documento)]
    assert len(ids) == len(set(ids))
    for _, ruta, operacion in _operaciones(documento):
        etiqueta = operacion["tags"][0].replace("-", "_")
        assert re.fullmatch(rf"{etiqueta}_[a-z]+(_[a-z]+)*", operacion["operationId"]), ruta
        assert not operacion["operationId"].endswith(("_get", "_post", "_put", "_patch")), ruta
    assert "llamadas_listar" in ids and "usuarios_login" in ids


def _es_lista(operacion) -> bool:
    correcta = operacion["responses"].get("200", {})
    esquema = correcta.get("content", {}).get("application/json", {}).get("schema", {})
    return esquema.get("type") == "array"


def test_cada_operacion_declara_sus_errores_con_el_cuerpo_real(documento):
    for metodo, ruta, operacion in _operaciones(documento):
        regla = REGLAS.get((metodo, ruta))
        if regla is None:
            continue  # ruta nueva sin regla: la matriz de autorización ya la señala
        if regla != PUBLICO:
            assert _esquema_error(operacion, "401") == "Error", (metodo, ruta)
            assert _esquema_error(operacion, "503") == "Error", (metodo, ruta)
        if regla not in (PUBLICO, TODOS) or "{usuario_id}" in ruta:
            assert _esquema_error(operacion, "403") == "Error", (metodo, ruta)
        if operacion.get("parameters") or operacion.get("requestBody"):
            assert _esquema_error(operacion, "422") == "ErrorValidacion", (metodo, ruta)
        if re.search(r"\{\w+_id\}", ruta) and not _es_lista(operacion):
            assert _esquema_error(operacion, "404") == "Error", (metodo, ruta)
    login = documento["paths"]["/api/usuarios/login"]["post"]
    assert _esquema_error(login, "429") == "Error"
    assert "Retry-After" in login["responses"]["429"]["headers"]
    assert _esquema_error(documento["paths"]["/api/usuarios/"]["post"], "409") == "Error"


def test_el_422_documentado_es_el_que_responde_la_api(cliente, cabeceras, documento):
    esquema = documento["components"]["schemas"]
    campo = esquema["ErrorCampo"]
    assert set(campo["required"]) == {"loc", "campo", "msg", "type"}
    respuesta = cliente.post(
        "/api/llamadas/", json={"duracion_segundos": -1}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 422
    for error in respuesta.json()["detail"]:
        assert set(error) == set(campo["properties"])


def test_las_listas_declaran_x_total_count(documento):
    listas = 0
    for metodo, ruta, operacion in _operaciones(documento):
        if _es_lista(operacion):
            listas += 1
            cabecera = operacion["responses"]["200"].get("headers", {}).get("X-Total-Count")
            assert cabecera and cabecera["schema"]["type"] == "integer", (metodo, ruta)
            assert cabecera["required"] is True, (metodo, ruta)
    assert listas >= 7


def test_ningun_texto_publica_el_patron_del_caracter_nulo(documento):
    assert "\\x00" not in str(documento) and "\x00" not in str(documento)


def test_cada_cuerpo_tiene_ejemplos(documento):
    for metodo, ruta, operacion in _operaciones(documento):
        cuerpo = operacion.get("requestBody")
        if cuerpo is None:
            continue
        for tipo, medio in cuerpo["content"].items():
            assert medio.get("examples"), (metodo, ruta, tipo)
            for nombre, ejemplo in medio["examples"].items():
                assert ejemplo["summary"] and ejemplo["value"], (ruta, nombre)


def _con_agente(valor: Any, agente: int) -> Any:
    """El ejemplo con el id de un agente que existe (los ejemplos dicen 1, el de una
    instalación recién sembrada; aquí los ids no se reutilizan entre pruebas)."""
    if isinstance(valor, dict):
        return {
            k: agente if k == "usuario_id" and isinstance(v, int) else _con_agente(v, agente)
            for k, v in valor.items()
        }
    if isinstance(valor, list):
        return [_con_agente(v, agente) for v in valor]
    return valor


def test_cada_ejemplo_es_un_cuerpo_que_la_api_acepta(cliente, cabeceras, documento, tmp_path):
    admin = cabeceras("admin")
    audio = wav(tmp_path / "ejemplo.wav", [(0, 0.1, 0.5, "hola")], canales=1, duracion=1.0)
    audio = audio.read_bytes()
    ids = {
        "{llamada_id}": crear_llamada(cliente, cabeceras("agente"))["id"],
        "{usuario_id}": crear_usuario(cliente, admin, email="otra@example.com")["id"],
    }
    con_notas = crear_llamada(cliente, cabeceras("agente"), descripcion="Quiero contratar fibra")
    clasificada = cliente.get(
        f"/api/clasificaciones-ia/llamada/{con_notas['id']}", headers=admin
    ).json()
    ids["{clasificacion_id}"] = clasificada["id"]
    agente = id_usuario(cliente, cabeceras("agente"))
    for metodo, ruta, operacion in _operaciones(documento):
        for tipo, medio in operacion.get("requestBody", {}).get("content", {}).items():
            url = ruta
            for parametro, valor in ids.items():
                url = url.replace(parametro, str(valor))
            for nombre, ejemplo in medio.get("examples", {}).items():
                valor = _con_agente(ejemplo["value"], agente)
                envio = {"json": valor} if tipo == "application/json" else {}
                envio = envio or {"data": ejemplo["value"]}
                if tipo == "multipart/form-data":  # el ejemplo nombra el fichero: se envía uno
                    envio = {
                        "files": {c: (n, audio, "audio/wav") for c, n in ejemplo["value"].items()}
                    }
                respuesta = cliente.request(metodo, url, headers=admin, **envio)
                # 404/409: la llamada 1 puede no existir y un correo de ejemplo ya estar dado.
                assert respuesta.status_code in (200, 201, 204, 404, 409), (
                    ruta,
                    nombre,
                    respuesta.text,
                )


def test_el_ejemplo_del_reporte_cubre_la_ultima_semana_con_datos(cliente, cabeceras, documento):
    ayer = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    ayer -= timedelta(days=1)
    crear_llamada(cliente, cabeceras("agente"), fecha_hora=ayer.isoformat())
    medio = documento["paths"]["/api/reportes/"]["post"]["requestBody"]["content"]
    primero = next(iter(medio["application/json"]["examples"].values()))["value"]
    respuesta = cliente.post("/api/reportes/", json=primero, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 201, respuesta.text
    assert respuesta.json()["contenido"]["total_llamadas"] == 1


def test_reporte_de_un_usuario_inexistente_da_el_404_documentado(cliente, cabeceras, documento):
    respuestas = documento["paths"]["/api/reportes/"]["post"]["responses"]
    respuesta = cliente.post(
        "/api/reportes/", json={"usuario_id": 999_999}, headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Usuario 999999 no encontrado"}
    assert _esquema_error({"responses": respuestas}, "404") == "Error"
