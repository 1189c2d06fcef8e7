"""numero_cliente canónico: dígitos de cualquier escritura a ASCII, parecidos y fórmulas fuera."""

from urllib.parse import quote

import pytest

from test.ayudas_api import campos_con_error, crear_llamada, datos_llamada

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

LLAMADAS = "/api/llamadas/"
# Parecen dígitos pero no lo son: Cirílico З y О, letra O y l latinas, superíndice y fracción.
PARECIDOS = ["600111З22", "6ОО111222", "6OO111222", "600l11222", "600111²22", "600111½22"]
NO_NUMEROS = ["+SUM(1)", "=1+1", "@600111222", "600111222#12", "CLI-001", "+", "12", "6" * 21]


@pytest.mark.parametrize(
    ("escrito", "canonico"),
    [
        ("600111222", "600111222"),
        ("６００１１１２２２", "600111222"),  # ancho completo
        ("٦٠٠١١١٢٢٢", "600111222"),  # árabe-índicos
        ("۶۰۰۱۱۱۲۲۲", "600111222"),  # persas
        ("६००१११२२२", "600111222"),  # devanagari
        ("+34 600-111-222", "+34600111222"),
        ("(91) 555.12.34", "915551234"),
        ("  +34 600 111 222  ", "+34600111222"),
    ],
)
def test_el_numero_se_guarda_en_forma_canonica(cliente, cabeceras, escrito, canonico):
    llamada = crear_llamada(cliente, cabeceras("agente"), numero_cliente=escrito)
    assert llamada["numero_cliente"] == canonico
    leida = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=cabeceras("agente")).json()
    assert leida["numero_cliente"] == canonico


@pytest.mark.parametrize("numero", PARECIDOS + NO_NUMEROS)
def test_parecidos_y_no_numeros_dan_422_nombrando_el_campo(cliente, cabeceras, numero):
    agente = cabeceras("agente")
    alta = cliente.post(LLAMADAS, json=datos_llamada(numero_cliente=numero), headers=agente)
    assert campos_con_error(alta) == {"numero_cliente"}
    llamada = crear_llamada(cliente, agente)
    cambio = cliente.patch(
        f"{LLAMADAS}{llamada['id']}", json={"numero_cliente": numero}, headers=agente
    )
    assert campos_con_error(cambio) == {"numero_cliente"}
    reemplazo = cliente.put(
        f"{LLAMADAS}{llamada['id']}", json=datos_llamada(numero_cliente=numero), headers=agente
    )
    assert campos_con_error(reemplazo) == {"numero_cliente"}
    filtro = cliente.get(LLAMADAS, params={"numero_cliente": numero}, headers=agente)
    assert campos_con_error(filtro) == {"numero_cliente"}
    ruta = cliente.get(f"{LLAMADAS}cliente/{quote(numero, safe='')}", headers=agente)
    assert campos_con_error(ruta) == {"numero_cliente"}
    leida = cliente.get(f"{LLAMADAS}{llamada['id']}", headers=agente).json()
    assert leida["numero_cliente"] == "600111222"


def test_formula_en_numero_cliente_da_422_con_mensaje_en_espanol(cliente, cabeceras):
    respuesta = cliente.post(
        LLAMADAS, json=datos_llamada(numero_cliente="+SUM(1)"), headers=cabeceras("agente")
    )
    assert respuesta.status_code == 422
    assert respuesta.json()["detail"] == [
        {
            "loc": ["body", "numero_cliente"],
            "campo": "numero_cliente",
            "msg": "numero_cliente: solo admite dígitos, un '+' inicial y espacios, guiones, "
            "puntos o paréntesis",
            "type": "value_error",
        }
    ]


def test_un_cliente_tiene_un_solo_historial_escriba_como_escriba_los_digitos(cliente, cabeceras):
    agente = cabeceras("agente")
    escrituras = ["600111222", "６００１１１２２２", "٦٠٠ ١١١ ٢٢٢", "600-111-222"]
    ids = {crear_llamada(cliente, agente, numero_cliente=n)["id"] for n in escrituras}
    crear_llamada(cliente, agente, numero_cliente="699999999")
    for consulta in escrituras:
        por_ruta = cliente.get(f"{LLAMADAS}cliente/{quote(consulta)}", headers=agente)
        assert por_ruta.status_code == 200, por_ruta.text
        assert {ll["id"] for ll in por_ruta.json()} == ids
        assert por_ruta.headers["X-Total-Count"] == str(len(ids))
        por_filtro = cliente.get(LLAMADAS, params={"numero_cliente": consulta}, headers=agente)
        assert {ll["id"] for ll in por_filtro.json()} == ids
