"""Importación por lotes: todo o nada, y las fotos de los días tocados se publican con las
llamadas (las métricas de esos días no pasan a sumarse en vivo)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from esquemas.importacion import IMPORTACION_DIAS_MAXIMOS, IMPORTACION_MAXIMO
from modelos.llamada import Llamada
from modelos.metrica import Metrica
from modelos.sumas import VENTANA_PRIMER_CONTACTO
from servicios.calendario import UN_DIA, dia_local, medianoche
from test.ayudas_api import campos_con_error, crear_llamada, id_usuario

IMPORTAR = "/api/llamadas/importar"
DIAS = 10  # periodo de la prueba: los 10 días cerrados hasta ayer
DIAS_MAXIMOS = IMPORTACION_DIAS_MAXIMOS * UN_DIA


def _fila(agente: int, instante: datetime, cliente: str, **cambios) -> dict:
    return {
        "usuario_id": agente,
        "numero_cliente": cliente,
        "duracion_segundos": 120,
        "tipo": "soporte",
        "resultado": "resuelta",
        "fecha_hora": instante.isoformat(),
        **cambios,
    }


@pytest.fixture
def periodo(app):
    """(zona, primer día, hoy) del periodo: los DIAS días locales cerrados hasta ayer."""
    zona = app.state.ajustes.zona
    hoy = dia_local(datetime.now(UTC), zona)
    return zona, hoy - DIAS * UN_DIA, hoy


def _metricas(cliente, cabeceras, zona, primero, hoy) -> dict:
    params = {
        "desde": medianoche(primero, zona).isoformat(),
        "hasta": (medianoche(hoy, zona) - timedelta(microseconds=1)).isoformat(),
    }
    respuesta = cliente.get("/api/metricas/", params=params, headers=cabeceras)
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.json()


def _recalcular(cliente, cabeceras, primero, hoy) -> None:
    """Fotos vigentes desde una ventana de primer contacto antes del periodo hasta ayer."""
    desde = primero - VENTANA_PRIMER_CONTACTO
    cuerpo = {"desde": desde.isoformat(), "hasta": (hoy - UN_DIA).isoformat()}
    respuesta = cliente.post("/api/metricas/diarias/recalcular", json=cuerpo, headers=cabeceras)
    assert respuesta.status_code == 200, respuesta.text


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_el_lote_se_publica_con_sus_fotos(cliente, cabeceras, motor_bd, periodo):
    zona, primero, hoy = periodo
    sup, agente = cabeceras("supervisor"), cabeceras("agente")
    id_agente = id_usuario(cliente, agente)
    dia = primero + 5 * UN_DIA
    mediodia = medianoche(dia, zona) + timedelta(hours=12)
    # Una llamada anterior del mismo cliente, dos días antes: deja de ser primer contacto.
    anterior = mediodia - 2 * UN_DIA
    crear_llamada(cliente, agente, numero_cliente="+34 600000001", fecha_hora=anterior.isoformat())
    _recalcular(cliente, cabeceras("admin"), primero, hoy)
    antes = _metricas(cliente, sup, zona, primero, hoy)
    assert antes["dias_desde_fotos"] == DIAS and antes["total_llamadas"] == 1

    lote = [
        _fila(id_agente, mediodia, "+34 600000001"),
        _fila(id_agente, mediodia + timedelta(hours=1), "+34 600000002", satisfaccion=4),
        _fila(id_agente, mediodia + UN_DIA, "+34 600000003", resultado="escalada"),
    ]
    respuesta = cliente.post(IMPORTAR, json={"llamadas": lote}, headers=sup)
    assert respuesta.status_code == 201, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["importadas"] == len(lote)
    instantes = [datetime.fromisoformat(f["fecha_hora"]) for f in lote]
    assert datetime.fromisoformat(cuerpo["desde"]) == min(instantes)
    assert datetime.fromisoformat(cuerpo["hasta"]) == max(instantes)
    # Los días de las llamadas y el de la anterior del mismo cliente (su primer contacto cambia).
    tocados = {dia_local(anterior, zona), dia, dia + UN_DIA}
    assert set(cuerpo["dias_recalculados"]) == {d.isoformat() for d in tocados}

    despues = _metricas(cliente, sup, zona, primero, hoy)
    assert despues["dias_desde_fotos"] == DIAS  # ningún día en vivo
    assert despues["total_llamadas"] == 1 + len(lote)
    # Lo mismo que sumar en vivo: se invalidan todas las fotos y se vuelve a pedir.
    with motor_bd.begin() as conexion:
        conexion.execute(update(Metrica).values(vigente=False))
    en_vivo = _metricas(cliente, sup, zona, primero, hoy)
    assert en_vivo["dias_desde_fotos"] == 0
    for campo in ("dias_desde_fotos", "comparacion"):
        despues.pop(campo), en_vivo.pop(campo)
    assert despues == en_vivo


def _contar(motor_bd) -> int:
    with motor_bd.connect() as conexion:
        return conexion.scalar(select(func.count(Llamada.id)))


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_un_lote_con_un_fallo_no_deja_nada(cliente, cabeceras, motor_bd, periodo):
    zona, primero, hoy = periodo
    sup = cabeceras("supervisor")
    id_agente = id_usuario(cliente, cabeceras("agente"))
    instante = medianoche(primero, zona) + timedelta(hours=10)
    buenas = [_fila(id_agente, instante + timedelta(minutes=m), "+34 611000000") for m in range(3)]
    casos = [
        ({1: {"duracion_segundos": -5}}, "llamadas.1.duracion_segundos"),
        ({2: {"usuario_id": 999_999}}, "llamadas.2.usuario_id"),
        ({0: {"tipo": "otro"}}, "llamadas.0.tipo"),
        (
            {2: {"fecha_hora": (instante - DIAS_MAXIMOS).isoformat()}},
            "llamadas",
        ),
    ]
    for cambios, campo in casos:
        lote = [{**fila, **cambios.get(i, {})} for i, fila in enumerate(buenas)]
        respuesta = cliente.post(IMPORTAR, json={"llamadas": lote}, headers=sup)
        assert campos_con_error(respuesta) == {campo}, respuesta.text
        # La misma ubicación que los errores de Pydantic: body, llamadas, posición, campo.
        assert respuesta.json()["detail"][0]["loc"] == ["body", *campo.split(".")]
        assert _contar(motor_bd) == 0
    vacio = cliente.post(IMPORTAR, json={"llamadas": []}, headers=sup)
    assert campos_con_error(vacio) == {"llamadas"}
    grande = {"llamadas": [buenas[0]] * (IMPORTACION_MAXIMO + 1)}
    assert campos_con_error(cliente.post(IMPORTAR, json=grande, headers=sup)) == {"llamadas"}
    assert _contar(motor_bd) == 0


def test_importar_es_de_supervision(cliente, cabeceras, motor_bd):
    agente = cabeceras("agente")
    fila = _fila(id_usuario(cliente, agente), datetime.now(UTC) - UN_DIA, "+34 622000000")
    assert cliente.post(IMPORTAR, json={"llamadas": [fila]}, headers=agente).status_code == 403
    assert cliente.post(IMPORTAR, json={"llamadas": [fila]}).status_code == 401
    assert _contar(motor_bd) == 0
    admin = cliente.post(IMPORTAR, json={"llamadas": [fila]}, headers=cabeceras("admin"))
    assert admin.status_code == 201, admin.text
    assert _contar(motor_bd) == 1


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_clasificar_una_importada_rehace_la_foto_de_su_dia(cliente, cabeceras, motor_bd, periodo):
    zona, primero, hoy = periodo
    sup = cabeceras("supervisor")
    dia = primero + 3 * UN_DIA
    instante = medianoche(dia, zona) + timedelta(hours=11)
    notas = "Quiere darse de baja: le cobraron dos veces la factura y exige la devolución."
    fila = _fila(id_usuario(cliente, cabeceras("agente")), instante, "+34 633000000")
    _recalcular(cliente, cabeceras("admin"), primero, hoy)
    importada = cliente.post(
        IMPORTAR, json={"llamadas": [{**fila, "descripcion": notas}]}, headers=sup
    )
    assert importada.status_code == 201, importada.text
    (llamada,) = cliente.get("/api/llamadas/cliente/+34 633000000", headers=sup).json()
    clasificada = cliente.post(
        "/api/clasificaciones-ia/", json={"llamada_id": llamada["id"]}, headers=sup
    )
    assert clasificada.status_code in (200, 201), clasificada.text
    categoria = clasificada.json()["categoria"]
    with motor_bd.connect() as conexion:
        vigente = conexion.scalar(select(Metrica.vigente).where(Metrica.fecha == dia))
    assert vigente is True  # la foto de su día se rehízo con la clasificación
    con_fotos = _metricas(cliente, sup, zona, primero, hoy)
    assert con_fotos["dias_desde_fotos"] == DIAS
    assert con_fotos["por_categoria"][categoria] == 1
    with motor_bd.begin() as conexion:
        conexion.execute(update(Metrica).values(vigente=False))
    en_vivo = _metricas(cliente, sup, zona, primero, hoy)
    for campo in ("dias_desde_fotos", "comparacion"):
        con_fotos.pop(campo), en_vivo.pop(campo)
    assert con_fotos == en_vivo


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_un_lote_de_hoy_no_rehace_ninguna_foto(cliente, cabeceras, periodo):
    """Llamadas de hoy (día abierto) de clientes nuevos con todas las fotos vigentes: no hay
    ningún día que rehacer, y el lote entra igual."""
    zona, primero, hoy = periodo
    _recalcular(cliente, cabeceras("admin"), primero, hoy)
    inicio = medianoche(hoy, zona)
    instante = inicio + (datetime.now(UTC) - inicio) / 2  # hoy y en el pasado
    fila = _fila(id_usuario(cliente, cabeceras("agente")), instante, "+34 644000000")
    respuesta = cliente.post(IMPORTAR, json={"llamadas": [fila]}, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 201, respuesta.text
    assert respuesta.json()["dias_recalculados"] == []
