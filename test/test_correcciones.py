"""Correcciones humanas, acuerdo con el clasificador y marca `revisar` por la API."""

import pytest
from sqlalchemy import text

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Sentimiento
from test.ayudas_api import campos_con_error, crear_llamada, crear_usuario, id_usuario

API = "/api/clasificaciones-ia"


def _clasificacion(sesion_bd, llamada_id: int, categoria: Categoria, confianza: float) -> int:
    """Guarda una clasificación con la confianza dada y devuelve su id."""
    fila = ClasificacionIA(
        llamada_id=llamada_id,
        categoria=categoria,
        confianza=confianza,
        recomendacion_agente="Paso concreto",
        sentimiento=Sentimiento.neutral,
        motor=MotorIA.local,
        modelo="prueba",
        latencia_ms=1.0,
    )
    sesion_bd.add(fila)
    sesion_bd.commit()
    return fila.id


@pytest.fixture
def clasificadas(cliente, cabeceras, sesion_bd, sin_clasificacion_automatica) -> dict:
    """Tres llamadas del agente clasificadas (venta 0.9, soporte 0.3, reclamo 0.55)."""
    datos = [(Categoria.venta, 0.9), (Categoria.soporte, 0.3), (Categoria.reclamo, 0.55)]
    ids = {}
    for categoria, confianza in datos:
        llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=f"notas {categoria}")
        ids[categoria.value] = _clasificacion(sesion_bd, llamada["id"], categoria, confianza)
    return ids


def test_supervisora_corrige_y_la_original_queda_visible(cliente, cabeceras, clasificadas):
    supervisora = cabeceras("supervisor")
    cid = clasificadas["soporte"]
    respuesta = cliente.patch(
        f"{API}/{cid}",
        json={"categoria": "Reclamo", "nota": "  pedía la baja  "},
        headers=supervisora,
    )
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert (cuerpo["categoria"], cuerpo["categoria_modelo"]) == ("reclamo", "soporte")
    assert cuerpo["corregida_por_id"] == id_usuario(cliente, supervisora)
    assert cuerpo["corregida_en"] and cuerpo["nota_correccion"] == "pedía la baja"
    otra = cliente.patch(f"{API}/{cid}", json={"categoria": "venta"}, headers=supervisora).json()
    assert (otra["categoria"], otra["categoria_modelo"]) == ("venta", "soporte")
    assert otra["nota_correccion"] is None
    leida = cliente.get(f"{API}/{cid}", headers=supervisora).json()
    assert leida["categoria"] == "venta" and leida["categoria_modelo"] == "soporte"


def test_kpis_cuentan_la_categoria_corregida(cliente, cabeceras, clasificadas):
    supervisora = cabeceras("supervisor")
    antes = cliente.get("/api/metricas/", headers=supervisora).json()["por_categoria"]
    cliente.patch(
        f"{API}/{clasificadas['venta']}", json={"categoria": "reclamo"}, headers=supervisora
    )
    despues = cliente.get("/api/metricas/", headers=supervisora).json()["por_categoria"]
    assert despues["venta"] == antes["venta"] - 1
    assert despues["reclamo"] == antes["reclamo"] + 1


def test_agente_corrige_las_suyas_pero_no_las_de_otro(cliente, cabeceras, clasificadas, sesion_bd):
    propia = cliente.patch(
        f"{API}/{clasificadas['venta']}", json={"categoria": "venta"}, headers=cabeceras("agente")
    )
    assert propia.status_code == 200
    assert propia.json()["categoria_modelo"] == "venta"  # confirmada
    otro = crear_usuario(cliente, cabeceras("admin"), email="otro@example.com")
    ajena = crear_llamada(cliente, cabeceras("supervisor"), usuario_id=otro["id"])
    cid = _clasificacion(sesion_bd, ajena["id"], Categoria.soporte, 0.8)
    respuesta = cliente.patch(
        f"{API}/{cid}", json={"categoria": "venta"}, headers=cabeceras("agente")
    )
    assert respuesta.status_code == 403
    assert "otro agente" in respuesta.json()["detail"]


def test_correccion_invalida_da_4xx_claros(cliente, cabeceras, clasificadas):
    supervisora = cabeceras("supervisor")
    cid = clasificadas["venta"]
    mala = cliente.patch(f"{API}/{cid}", json={"categoria": "spam"}, headers=supervisora)
    assert campos_con_error(mala) == {"categoria"}
    larga = cliente.patch(
        f"{API}/{cid}", json={"categoria": "venta", "nota": "x" * 501}, headers=supervisora
    )
    assert campos_con_error(larga) == {"nota"}
    assert (
        cliente.patch(f"{API}/999999", json={"categoria": "venta"}, headers=supervisora).status_code
        == 404
    )
    assert cliente.patch(f"{API}/{cid}", json={"categoria": "venta"}).status_code == 401


def test_acuerdo_por_categoria_sale_de_las_correcciones(cliente, cabeceras, clasificadas):
    supervisora = cabeceras("supervisor")
    cambios = {"venta": "venta", "soporte": "reclamo"}  # una confirmada, una corregida
    for categoria, nueva in cambios.items():
        cliente.patch(
            f"{API}/{clasificadas[categoria]}", json={"categoria": nueva}, headers=supervisora
        )
    respuesta = cliente.get(f"{API}/acuerdo", headers=supervisora)
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["revisadas"] == 2 and cuerpo["acuerdo"] == 0.5
    filas = {f["categoria"]: f for f in cuerpo["por_categoria"]}
    assert filas["venta"] == {
        "categoria": "venta",
        "revisadas": 1,
        "confirmadas": 1,
        "acuerdo": 1.0,
        "corregidas_a": {},
    }
    assert filas["soporte"]["acuerdo"] == 0.0
    assert filas["soporte"]["corregidas_a"] == {"reclamo": 1}
    assert filas["reclamo"]["revisadas"] == 0 and filas["reclamo"]["acuerdo"] is None
    futuro = cliente.get(f"{API}/acuerdo", params={"desde": "2999-01-01"}, headers=supervisora)
    assert futuro.json()["revisadas"] == 0


def test_acuerdo_es_de_supervision_y_valida_el_periodo(cliente, cabeceras):
    assert cliente.get(f"{API}/acuerdo", headers=cabeceras("agente")).status_code == 403
    malo = cliente.get(
        f"{API}/acuerdo",
        params={"desde": "2025-02-01", "hasta": "2025-01-01"},
        headers=cabeceras("supervisor"),
    )
    assert malo.status_code == 422 and "desde" in str(malo.json()["detail"])


def test_revisar_marca_y_filtra_por_confianza_baja(
    cliente, cabeceras, clasificadas, cambiar_ajustes
):
    supervisora = cabeceras("supervisor")
    todas = cliente.get(f"{API}/", headers=supervisora).json()
    esperadas = {c["id"] for c in todas if c["confianza"] < 0.6}
    assert esperadas == {clasificadas["soporte"], clasificadas["reclamo"]}
    assert all(c["revisar"] == (c["id"] in esperadas) for c in todas)
    solo = cliente.get(f"{API}/", params={"revisar": "true"}, headers=supervisora)
    assert {c["id"] for c in solo.json()} == esperadas
    assert solo.headers["X-Total-Count"] == "2"
    seguras = cliente.get(f"{API}/", params={"revisar": "false"}, headers=supervisora).json()
    assert {c["id"] for c in seguras} == {clasificadas["venta"]}
    cambiar_ajustes(confianza_revisar=0.5)
    solo = cliente.get(f"{API}/", params={"revisar": "true"}, headers=supervisora).json()
    assert {c["id"] for c in solo} == {clasificadas["soporte"]}


def test_texto_dudoso_sale_con_revisar(cliente, cabeceras):
    respuesta = cliente.post(f"{API}/texto", json={"texto": "asdf"}, headers=cabeceras("agente"))
    cuerpo = respuesta.json()
    assert cuerpo["confianza"] < 0.6 and cuerpo["revisar"] is True
    clara = cliente.post(
        f"{API}/texto",
        json={"texto": "Quiero contratar la fibra de 600 megas, ¿cuánto cuesta?"},
        headers=cabeceras("agente"),
    ).json()
    assert clara["revisar"] is False and clara["confianza"] >= 0.6


def test_migracion_conserva_los_disparadores_de_metricas(motor_bd):
    if motor_bd.dialect.name != "sqlite":
        pytest.skip("los disparadores recreados son cosa de SQLite")
    with motor_bd.connect() as conexion:
        nombres = (
            conexion.execute(
                text(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name = 'clasificacion_ia'"
                )
            )
            .scalars()
            .all()
        )
    assert len(nombres) == 3
