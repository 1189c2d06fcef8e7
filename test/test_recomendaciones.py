"""Consejos para el agente: disparados por lo que pide el cliente, no por frases sueltas."""
# ruff: noqa: E501

import pytest

from servicios.clasificador.recomendaciones import LIMITE, detectar_temas, recomendar

DUPLICADO = "cargo duplicado"
NO_RECONOCIDO = "no reconocido"
REEMBOLSO = "estado del reembolso"
BAJA = "baja"
RETENCION = "retención"
VISITA = "visita técnica"
NUEVA_VISITA = "nueva visita"
FACTURA = "conceptos de la última factura"
ENVIO = "seguimiento del envío"
VUELO = "estado del vuelo"
ACCESO = "restablecimiento de acceso"
CONFIGURACION = "configuración paso a paso"
TARJETA = "estado de la tarjeta"
SINIESTRO = "siniestro"
SALUD = "cita o la autorización"
SUMINISTRO = "suministro"
OFERTA = "oferta vigente"
PLAN = "plan actual con el superior"
CONTRATACION = "cierra la contratación"
SUPERVISOR = "supervisor"
EMPATIA = "molestia"

# (texto, categoría, sentimiento, debe mencionar, no debe mencionar)
CASOS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "Buenas tardes, llevo tres días sin internet en casa y ya reinicié el router dos "
        "veces, necesito que me manden un técnico",
        "soporte",
        "negativo",
        (VISITA,),
        (DUPLICADO, FACTURA),
    ),
    ("me cobraron dos veces la factura de octubre", "reclamo", "negativo", (DUPLICADO,), (VISITA,)),
    (
        "llamé dos veces y nadie me contesta, quiero la baja",
        "reclamo",
        "negativo",
        (BAJA,),
        (DUPLICADO,),
    ),
    (
        "el cargo de la cuota aparece duplicado en el extracto",
        "reclamo",
        "negativo",
        (DUPLICADO,),
        (),
    ),
    ("me facturaron dos veces el mismo mes", "reclamo", "negativo", (DUPLICADO,), ()),
    ("probé dos veces a pagar y la app da error", "soporte", "neutral", (), (DUPLICADO,)),
    ("en la factura aparece un seguro que nunca pedí", "reclamo", "negativo", (NO_RECONOCIDO,), ()),
    ("aparece un cargo de 200 dólares que yo no hice", "reclamo", "negativo", (NO_RECONOCIDO,), ()),
    ("quiero que me devuelvan el dinero de la devolución", "reclamo", "negativo", (REEMBOLSO,), ()),
    (
        "no quiero comprar nada, quiero que me devuelvan la plata",
        "reclamo",
        "negativo",
        (REEMBOLSO,),
        (CONTRATACION, OFERTA),
    ),
    (
        "quiero darme de baja, estoy harto de los cortes",
        "reclamo",
        "negativo",
        (RETENCION, BAJA),
        (),
    ),
    (
        "no quiero darme de baja, solo pausar el servicio mientras viajo",
        "soporte",
        "neutral",
        (),
        (RETENCION,),
    ),
    (
        "¿cómo cancelo la renovación automática?",
        "soporte",
        "neutral",
        (CONFIGURACION,),
        (RETENCION,),
    ),
    ("el técnico me dejó plantado dos veces", "reclamo", "negativo", (NUEVA_VISITA,), (DUPLICADO,)),
    ("el perito nunca vino y ya arreglé yo el techo", "reclamo", "negativo", (NUEVA_VISITA,), ()),
    (
        "me subieron la tarifa sin avisar, pasé de 30 a 45 euros",
        "reclamo",
        "negativo",
        (FACTURA,),
        (OFERTA,),
    ),
    ("mi pedido no llegó y en la web dice entregado", "reclamo", "negativo", (ENVIO,), (VISITA,)),
    ("¿dónde veo el seguimiento de mi pedido?", "soporte", "neutral", (ENVIO,), (DUPLICADO,)),
    ("perdieron mi maleta y nadie me da respuesta", "reclamo", "negativo", (VUELO, SUPERVISOR), ()),
    ("no puedo hacer el check-in en la web", "soporte", "neutral", (VUELO,), (VISITA,)),
    ("olvidé la clave de la banca en línea", "soporte", "neutral", (ACCESO,), (VISITA,)),
    ("no me deja entrar a la app, usuario bloqueado", "soporte", "neutral", (ACCESO,), ()),
    (
        "¿cómo configuro el correo en el celular?",
        "soporte",
        "neutral",
        (CONFIGURACION,),
        (DUPLICADO,),
    ),
    ("el cajero se tragó mi tarjeta", "soporte", "negativo", (TARJETA,), ()),
    (
        "tuve un choque leve, ¿cómo declaro el siniestro?",
        "soporte",
        "neutral",
        (SINIESTRO,),
        (DUPLICADO,),
    ),
    ("necesito pedir turno con un cardiólogo", "soporte", "neutral", (SALUD,), (VISITA,)),
    ("se fue la luz en toda la cuadra", "soporte", "neutral", (SUMINISTRO,), (DUPLICADO,)),
    ("el wifi se desconecta cada rato", "soporte", "neutral", (VISITA,), (FACTURA,)),
    (
        "quiero contratar la fibra de 600 megas",
        "venta",
        "neutral",
        (CONTRATACION,),
        (VISITA, EMPATIA),
    ),
    ("¿cuánto cuesta el seguro de hogar?", "venta", "neutral", (OFERTA,), (VISITA,)),
    ("quiero mejorar mi plan a más gigas", "venta", "neutral", (PLAN,), (DUPLICADO,)),
    (
        "el internet me anda bien pero quiero subir a más velocidad",
        "venta",
        "neutral",
        (PLAN,),
        (VISITA,),
    ),
    (
        "se me rompió el celular, quiero comprar uno nuevo con el plan",
        "venta",
        "neutral",
        (CONTRATACION,),
        (VISITA, DUPLICADO),
    ),
    (
        "Agente: ¿Le interesa nuestra fibra de 1 giga con descuento? Cliente: No, gracias, "
        "solo quiero que me funcione el wifi, se corta cada rato.",
        "soporte",
        "neutral",
        (VISITA,),
        (OFERTA, CONTRATACION),
    ),
    ("es la tercera vez que llamo por el cobro", "reclamo", "negativo", (SUPERVISOR, EMPATIA), ()),
    (
        "si no lo arreglan voy a ir a defensa del consumidor",
        "reclamo",
        "negativo",
        (SUPERVISOR,),
        (),
    ),
    (
        "quiero contratar otra vez el plan que tenía",
        "venta",
        "neutral",
        (CONTRATACION,),
        (SUPERVISOR,),
    ),
    ("hola", "soporte", "neutral", ("detalles del problema",), (DUPLICADO, VISITA)),
    (
        "cte llama xq no tiene señal dsd el lunes, se reinicia equipo",
        "soporte",
        "neutral",
        (VISITA,),
        (),
    ),
    (
        "cte reclama cobro duplicado en la fact, pide devolución",
        "reclamo",
        "negativo",
        (DUPLICADO,),
        (),
    ),
    (
        "no tengo problema con el cobro, no sé dónde se ve el consumo de datos",
        "soporte",
        "neutral",
        (),
        (DUPLICADO, FACTURA),
    ),
    ("me cortaron el gas estando al día", "reclamo", "negativo", (SUMINISTRO, EMPATIA), (OFERTA,)),
]


@pytest.mark.parametrize(("texto", "categoria", "sentimiento", "debe", "no_debe"), CASOS)
def test_consejo_menciona_lo_que_toca(texto, categoria, sentimiento, debe, no_debe):
    consejo = recomendar(texto, categoria, sentimiento)
    assert 0 < len(consejo) <= LIMITE
    for frase in debe:
        assert frase in consejo, (frase, consejo)
    for frase in no_debe:
        assert frase not in consejo, (frase, consejo)


def test_hay_al_menos_cuarenta_casos():
    assert len(CASOS) >= 40


def test_dos_veces_sin_dinero_no_es_cobro_duplicado():
    assert "cobro_duplicado" not in detectar_temas("reinicié el router dos veces")
    assert "cobro_duplicado" in detectar_temas("me cobraron dos veces")
