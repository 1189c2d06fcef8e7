"""Lectura de llamadas: turnos en varios formatos, fórmulas fuera, abreviaturas y trozos."""

import json

import pytest

from servicios.clasificador.local import clasificar_local
from servicios.clasificador.rasgos import expandir_abreviaturas
from servicios.clasificador.sentimiento import analizar_sentimiento
from servicios.clasificador.turnos import es_formula, leer_llamada, separar_turnos, trozos

MOTIVO = "me cobraron dos veces la cuota del préstamo"


@pytest.mark.parametrize(
    "texto",
    [
        f"Agente: Buenas tardes, gracias por llamar. Cliente: {MOTIVO}. Agente: Lo reviso.",
        f"A: Buenas tardes, gracias por llamar. C: {MOTIVO}. A: Lo reviso.",
        f"Asesor: Buenas tardes, gracias por llamar.\nUsuario: {MOTIVO}.\nAsesor: Lo reviso.",
        f"[00:00:01] Agente: Buenas tardes.\n[00:00:04] Cliente: {MOTIVO}.\n"
        "[00:00:09] Agente: Lo reviso.",
        f"Agente (00:01): Buenas tardes. Cliente (00:04): {MOTIVO}. Agente (00:09): Lo reviso.",
    ],
)
def test_formatos_de_turnos_separan_al_cliente(texto):
    lectura = leer_llamada(texto)
    assert lectura.con_turnos
    assert lectura.cliente == f"{MOTIVO}."
    assert lectura.agente == "Lo reviso."


@pytest.mark.parametrize(("rol", "dicho"), [("hablante", "texto"), ("speaker", "text")])
def test_segmentos_json_de_una_grabacion(rol, dicho):
    segmentos = [
        {rol: "agente", dicho: "Gracias por llamar a Movistel, le atiende Ana."},
        {rol: "cliente", dicho: MOTIVO},
    ]
    lectura = leer_llamada(json.dumps(segmentos, ensure_ascii=False))
    assert (lectura.cliente, lectura.agente) == (MOTIVO, "")


def test_hablantes_numerados_es_agente_quien_saluda_por_la_empresa():
    texto = (
        f"SPEAKER_01: Hola, ¿hola?\nSPEAKER_00: Gracias por llamar a Movistel, le atiende Ana, "
        f"¿en qué puedo ayudarle?\nSPEAKER_01: {MOTIVO}.\nSPEAKER_00: Ahora lo miro."
    )
    turnos = separar_turnos(texto)
    assert [r for r, _ in turnos] == ["cliente", "agente", "cliente", "agente"]
    assert leer_llamada(texto).cliente == f"{MOTIVO}."


def test_saludos_verificacion_y_esperas_no_cuentan():
    texto = (
        "Agente: Buenas tardes, gracias por llamar, le atiende Laura, ¿en qué puedo ayudarle? "
        "Cliente: Hola, buenas, llamaba por un tema. Agente: ¿Me confirma su número de "
        "documento, por favor? Cliente: Sí, claro, es el 45 123 390. Agente: Un momento, no se "
        f"retire. Agente: Gracias por la espera. Cliente: Pues mire, {MOTIVO}. Agente: ¿Algo "
        "más en que le pueda ayudar? Cliente: No, eso es todo, gracias, hasta luego."
    )
    lectura = leer_llamada(texto)
    assert lectura.cliente == f"Pues mire, {MOTIVO}."
    assert lectura.agente == ""


def test_texto_sin_turnos_es_todo_del_cliente():
    lectura = leer_llamada("cte llama xq no tiene señal dsd el lunes")
    assert not lectura.con_turnos
    assert lectura.cliente == "cliente llama porque no tiene señal desde el lunes"


def test_etiqueta_dentro_de_una_nota_no_parte_turnos():
    assert separar_turnos("Nota del agente: el cliente pide la baja") == [
        ("otro", "Nota del agente: el cliente pide la baja")
    ]


def test_abreviaturas_de_agente():
    nota = "Cte llama xq q le cobran p/ la tarjeta c/ dto, tb pide info del nro de caso dsd ayer"
    assert expandir_abreviaturas(nota) == (
        "cliente llama porque que le cobran para  la tarjeta con  descuento, tambien pide "
        "informacion del numero de caso desde ayer"
    )


@pytest.mark.parametrize(
    "oracion",
    ["Buenas tardes.", "Un momentito, por favor.", "Sí, es el 45123390.", "Vale, gracias."],
)
def test_formulas(oracion):
    assert es_formula(oracion)


def test_trozos_respetan_el_limite_y_no_pierden_texto():
    texto = " ".join(f"Oración número {i} con algo de contenido." for i in range(60))
    partes = trozos(texto, 120)
    assert all(len(p) <= 120 for p in partes)
    assert " ".join(partes).split() == texto.split()


def test_lo_que_ofrece_el_agente_no_vuelve_venta_una_averia():
    texto = (
        "Agente: Le cuento que tenemos fibra de 1 giga con descuento, ¿le interesa contratarla? "
        "También un plan de móvil ilimitado. Cliente: No, gracias, lo que pasa es que no me "
        "funciona el wifi desde ayer y se corta cada rato."
    )
    assert clasificar_local(texto).categoria == "soporte"


def test_el_sentimiento_es_el_del_cliente_no_la_cortesia_del_agente():
    texto = (
        "Agente: ¡Excelente! Muchas gracias, es un placer atenderle, qué bien. Cliente: Es una "
        "vergüenza, me cortaron la luz estando al día y nadie me da explicaciones."
    )
    assert analizar_sentimiento(texto) == "negativo"


def test_sarcasmo_en_un_reclamo_es_negativo():
    texto = "Genial, otra semana sin luz, qué maravilla de servicio, felicitaciones."
    assert clasificar_local(texto).sentimiento == "negativo"


def test_transcripcion_larga_se_lee_entera():
    relleno = "Agente: Sigo revisando el sistema. Cliente: Vale, espero. " * 40
    texto = relleno + "Cliente: Quiero la baja, me cobraron dos veces y estoy harto. " + relleno
    assert len(texto) > 3000
    resultado = clasificar_local(texto)
    assert resultado.categoria == "reclamo"
    assert resultado.sentimiento == "negativo"
