"""API de clasificaciones IA por HTTP: clasificar llamadas y texto, listar, leer y permisos."""

from datetime import UTC, datetime, timedelta

import pytest

from test.ayudas_api import campos_con_error, crear_llamada, crear_usuario, mensaje_422

API = "/api/clasificaciones-ia"
VENTA = "Quiero contratar el plan de fibra de 600 megas, ¿qué precio tiene este mes?"
RECLAMO = "Me cobraron dos veces la factura y exijo el reembolso, el servicio es pésimo."
SOPORTE = "No me funciona el router desde ayer, ya lo reinicié y sigo sin internet."
CAMPOS = {
    "categoria",
    "confianza",
    "recomendacion_agente",
    "sentimiento",
    "resumen",
    "motor",
    "modelo",
    "latencia_ms",
    "revisar",
}


@pytest.fixture
def sin_automatica(cambiar_ajustes):
    """Sin clasificación automática, para crear la primera clasificación a mano."""
    return cambiar_ajustes(clasificacion_automatica=False)


@pytest.fixture
def otro_agente(cliente, cabeceras) -> dict:
    """Un segundo agente y una llamada suya registrada por la supervisora."""
    agente = crear_usuario(cliente, cabeceras("admin"), email="agente2@example.com")
    llamada = crear_llamada(
        cliente, cabeceras("supervisor"), usuario_id=agente["id"], descripcion=RECLAMO
    )
    return {"agente": agente, "llamada": llamada}


def _clasificar(cliente, cabeceras, llamada_id: int):
    return cliente.post(f"{API}/", json={"llamada_id": llamada_id}, headers=cabeceras)


# POST /texto y /clasificar-texto


@pytest.mark.parametrize(
    ("texto", "categoria"), [(VENTA, "venta"), (RECLAMO, "reclamo"), (SOPORTE, "soporte")]
)
def test_clasificar_texto_da_categoria_y_consejo_sin_guardar(
    cliente, cabeceras, texto, categoria
) -> None:
    respuesta = cliente.post(f"{API}/texto", json={"texto": texto}, headers=cabeceras("agente"))
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert set(cuerpo) == CAMPOS
    assert cuerpo["categoria"] == categoria
    assert cuerpo["motor"] == "local" and cuerpo["modelo"]
    assert 0 <= cuerpo["confianza"] <= 1
    assert len(cuerpo["recomendacion_agente"]) > 20
    lista = cliente.get(f"{API}/", headers=cabeceras("supervisor"))
    assert lista.json() == [] and lista.headers["X-Total-Count"] == "0"


@pytest.mark.parametrize("campo", ["descripcion", "texto"])
def test_alias_clasificar_texto_acepta_descripcion_o_texto(cliente, cabeceras, campo) -> None:
    respuesta = cliente.post(
        f"{API}/clasificar-texto", json={campo: RECLAMO}, headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 200, respuesta.text
    assert respuesta.json()["categoria"] == "reclamo"


@pytest.mark.parametrize("ruta", ["/texto", "/clasificar-texto"])
def test_clasificar_texto_sin_token_da_401(cliente, ruta) -> None:
    respuesta = cliente.post(f"{API}{ruta}", json={"texto": VENTA})
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert "token" in respuesta.json()["detail"].lower()


@pytest.mark.parametrize(
    ("ruta", "cuerpo", "campo"),
    [
        ("/texto", {"texto": "   "}, "texto"),
        ("/texto", {}, "texto"),
        ("/texto", {"texto": 5}, "texto"),
        ("/texto", {"texto": "hola\x00"}, "texto"),
        ("/clasificar-texto", {}, "texto"),
        ("/clasificar-texto", {"descripcion": ""}, "descripcion"),
    ],
)
def test_clasificar_texto_vacio_o_invalido_da_422(cliente, cabeceras, ruta, cuerpo, campo) -> None:
    respuesta = cliente.post(f"{API}{ruta}", json=cuerpo, headers=cabeceras("agente"))
    assert campos_con_error(respuesta) == {campo}


@pytest.mark.parametrize(
    ("ruta", "campo"), [("/texto", "texto"), ("/clasificar-texto", "descripcion")]
)
def test_texto_demasiado_largo_da_422_que_nombra_el_campo(
    cliente, cabeceras, cambiar_ajustes, ruta, campo
) -> None:
    cambiar_ajustes(texto_max_caracteres=100)
    justo = cliente.post(f"{API}{ruta}", json={campo: "a" * 100}, headers=cabeceras("agente"))
    assert justo.status_code == 200, justo.text
    largo = cliente.post(f"{API}{ruta}", json={campo: "a" * 101}, headers=cabeceras("agente"))
    assert campos_con_error(largo) == {campo}
    assert largo.json()["detail"][0]["msg"] == f"{campo}: debe tener como máximo 100 caracteres"


# POST / (llamada guardada)


def test_clasificar_llamada_crea_201_y_reclasificar_reemplaza_200(
    cliente, cabeceras, sin_automatica
) -> None:
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA, tipo="soporte")
    primera = _clasificar(cliente, cabeceras("agente"), llamada["id"])
    assert primera.status_code == 201, primera.text
    cuerpo = primera.json()
    assert cuerpo["llamada_id"] == llamada["id"]
    assert cuerpo["categoria"] == "venta"  # por las notas, no por el tipo declarado
    assert cuerpo["motor"] == "local"
    segunda = _clasificar(cliente, cabeceras("supervisor"), llamada["id"])
    assert segunda.status_code == 200, segunda.text
    assert segunda.json()["id"] == cuerpo["id"]
    assert segunda.json()["creado_en"] >= cuerpo["creado_en"]
    lista = cliente.get(f"{API}/", headers=cabeceras("supervisor"))
    assert lista.headers["X-Total-Count"] == "1"


def test_clasificar_llamada_sin_token_da_401(cliente, cabeceras) -> None:
    llamada = crear_llamada(cliente, cabeceras("agente"))
    assert _clasificar(cliente, {}, llamada["id"]).status_code == 401


def test_agente_no_clasifica_llamadas_ajenas_403(cliente, cabeceras, otro_agente) -> None:
    respuesta = _clasificar(cliente, cabeceras("agente"), otro_agente["llamada"]["id"])
    assert respuesta.status_code == 403
    assert "otro agente" in respuesta.json()["detail"]


def test_clasificar_llamada_inexistente_da_404(cliente, cabeceras) -> None:
    respuesta = _clasificar(cliente, cabeceras("supervisor"), 999_999)
    assert respuesta.status_code == 404
    assert respuesta.json()["detail"] == "Llamada 999999 no encontrada"


@pytest.mark.parametrize("llamada_id", [0, -1, "abc", None, 2**40])
def test_clasificar_llamada_con_id_invalido_da_422(cliente, cabeceras, llamada_id) -> None:
    respuesta = _clasificar(cliente, cabeceras("supervisor"), llamada_id)
    assert campos_con_error(respuesta) == {"llamada_id"}


def test_clasificar_llamada_sin_notas_da_422(cliente, cabeceras) -> None:
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=None)
    respuesta = _clasificar(cliente, cabeceras("agente"), llamada["id"])
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta).startswith("descripcion: ")


# GET /, /{id}, /llamada/{id}


def test_listar_filtra_y_pagina_con_total(cliente, cabeceras, otro_agente) -> None:
    ayer = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA)
    crear_llamada(cliente, cabeceras("agente"), descripcion=SOPORTE, fecha_hora=ayer)
    sup = cabeceras("supervisor")
    todas = cliente.get(f"{API}/", headers=sup)
    assert todas.status_code == 200
    assert todas.headers["X-Total-Count"] == "3"
    assert [c["categoria"] for c in todas.json()] == ["venta", "reclamo", "soporte"]

    def categorias(**filtros) -> list[str]:
        respuesta = cliente.get(f"{API}/", params=filtros, headers=sup)
        assert respuesta.status_code == 200, respuesta.text
        assert respuesta.headers["X-Total-Count"] == str(len(respuesta.json()))
        return sorted(c["categoria"] for c in respuesta.json())

    assert categorias(categoria="Reclamo") == ["reclamo"]
    assert categorias(motor="local") == ["reclamo", "soporte", "venta"]
    assert categorias(motor="llm") == []
    assert categorias(confianza_minima=0) == ["reclamo", "soporte", "venta"]
    assert categorias(hasta=(datetime.now(UTC) - timedelta(hours=1)).isoformat()) == ["soporte"]
    assert categorias(desde=(datetime.now(UTC) - timedelta(hours=1)).isoformat()) == [
        "reclamo",
        "venta",
    ]
    assert categorias(usuario_id=otro_agente["agente"]["id"]) == ["reclamo"]
    pagina = cliente.get(f"{API}/", params={"skip": 1, "limit": 1}, headers=sup)
    assert len(pagina.json()) == 1 and pagina.headers["X-Total-Count"] == "3"


def test_agente_solo_lista_las_de_sus_llamadas(cliente, cabeceras, otro_agente) -> None:
    crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA)
    respuesta = cliente.get(f"{API}/", headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    assert [c["categoria"] for c in respuesta.json()] == ["venta"]
    ajeno = {"usuario_id": otro_agente["agente"]["id"]}
    assert cliente.get(f"{API}/", params=ajeno, headers=cabeceras("agente")).status_code == 403


def test_listar_sin_token_da_401(cliente) -> None:
    assert cliente.get(f"{API}/").status_code == 401


@pytest.mark.parametrize(
    ("filtros", "campo"),
    [
        ({"categoria": "spam"}, "categoria"),
        ({"motor": "gpt"}, "motor"),
        ({"confianza_minima": 2}, "confianza_minima"),
        ({"desde": "ayer"}, "desde"),
        ({"limit": 0}, "limit"),
    ],
)
def test_listar_con_filtros_invalidos_da_422(cliente, cabeceras, filtros, campo) -> None:
    respuesta = cliente.get(f"{API}/", params=filtros, headers=cabeceras("supervisor"))
    assert campos_con_error(respuesta) == {campo}


def test_listar_con_desde_posterior_a_hasta_da_422(cliente, cabeceras) -> None:
    filtros = {"desde": "2025-02-01T00:00:00Z", "hasta": "2025-01-01T00:00:00Z"}
    respuesta = cliente.get(f"{API}/", params=filtros, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta).startswith("desde: ")


def test_leer_por_id_y_por_llamada(cliente, cabeceras) -> None:
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=RECLAMO)
    por_llamada = cliente.get(f"{API}/llamada/{llamada['id']}", headers=cabeceras("agente"))
    assert por_llamada.status_code == 200, por_llamada.text
    clasificacion = por_llamada.json()
    assert clasificacion["categoria"] == "reclamo" and clasificacion["sentimiento"] == "negativo"
    por_id = cliente.get(f"{API}/{clasificacion['id']}", headers=cabeceras("supervisor"))
    assert por_id.status_code == 200
    assert por_id.json() == clasificacion
    detalle = cliente.get(f"/api/llamadas/{llamada['id']}", headers=cabeceras("agente"))
    assert detalle.json()["clasificacion"] == clasificacion


def test_leer_ajena_da_403(cliente, cabeceras, otro_agente) -> None:
    llamada_id = otro_agente["llamada"]["id"]
    sup = cliente.get(f"{API}/llamada/{llamada_id}", headers=cabeceras("supervisor"))
    clasificacion_id = sup.json()["id"]
    agente = cabeceras("agente")
    assert cliente.get(f"{API}/{clasificacion_id}", headers=agente).status_code == 403
    assert cliente.get(f"{API}/llamada/{llamada_id}", headers=agente).status_code == 403


def test_leer_inexistente_da_404(cliente, cabeceras) -> None:
    sup = cabeceras("supervisor")
    assert cliente.get(f"{API}/999999", headers=sup).json() == {
        "detail": "Clasificación 999999 no encontrada"
    }
    assert cliente.get(f"{API}/llamada/999999", headers=sup).status_code == 404
    sin_notas = crear_llamada(cliente, sup, descripcion=None)
    respuesta = cliente.get(f"{API}/llamada/{sin_notas['id']}", headers=sup)
    assert respuesta.status_code == 404
    assert "aún no tiene clasificación" in respuesta.json()["detail"]


@pytest.mark.parametrize("ruta", ["/0", "/abc", "/llamada/-3", "/llamada/x"])
def test_leer_con_id_invalido_da_422(cliente, cabeceras, ruta) -> None:
    respuesta = cliente.get(f"{API}{ruta}", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 422


@pytest.mark.parametrize("ruta", ["/1", "/llamada/1"])
def test_leer_sin_token_da_401(cliente, ruta) -> None:
    assert cliente.get(f"{API}{ruta}").status_code == 401


def test_borrar_la_llamada_borra_su_clasificacion(cliente, cabeceras) -> None:
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=VENTA)
    sup = cabeceras("supervisor")
    clasificacion = cliente.get(f"{API}/llamada/{llamada['id']}", headers=sup).json()
    assert cliente.delete(f"/api/llamadas/{llamada['id']}", headers=sup).status_code == 204
    assert cliente.get(f"{API}/{clasificacion['id']}", headers=sup).status_code == 404
