# ruff: noqa: E501
"""Frases de las transcripciones generadas: variantes dialectales del cliente y frases del agente
(saludo, verificación de identidad, espera, respuesta por categoría, ofertas y cierre)."""

DIALECTOS: dict[str, dict[str, list]] = {
    "es": {
        "apertura": [
            "Hola, buenas. Mira, ",
            "Buenas tardes. Oiga, ",
            "Hola, qué tal. ",
            "Sí, hola. ",
        ],
        "cambios": [
            ("celular", "móvil"),
            ("dinero", "pasta"),
            ("auto", "coche"),
            ("computadora", "ordenador"),
            ("departamento", "piso"),
            ("heladera", "nevera"),
        ],
        "enfado": [
            "Estoy hasta las narices.",
            "Esto es de vergüenza, de verdad.",
            "Vaya tela con ustedes.",
        ],
        "alegria": ["Vale, genial, muchas gracias.", "Perfecto, qué majos."],
    },
    "mx": {
        "apertura": [
            "Bueno, sí, buenas tardes. Oiga, ",
            "Qué tal, mire, ",
            "Hola, buen día. Fíjese que ",
            "Sí, bueno. ",
        ],
        "cambios": [
            ("funciona", "jala"),
            ("dinero", "lana"),
            ("celular", "cel"),
            ("auto", "carro"),
            ("heladera", "refri"),
        ],
        "enfado": ["Ya me tienen hasta la madre.", "Está bien gacho lo que hacen.", "Qué poca."],
        "alegria": ["Órale, qué padre, muchas gracias.", "Está chido, gracias."],
    },
    "ar": {
        "apertura": [
            "Hola, buenas. Mirá, ",
            "Buen día, che, ",
            "Hola, qué tal. Te cuento: ",
            "Sí, hola. ",
        ],
        "cambios": [
            ("funciona", "anda"),
            ("dinero", "plata"),
            ("celular", "celu"),
            ("quiero", "quiero"),
            ("computadora", "compu"),
        ],
        "enfado": [
            "Estoy re caliente con esto.",
            "Es una vergüenza, me tienen podrido.",
            "Qué bronca, de verdad.",
        ],
        "alegria": ["Buenísimo, genial, gracias.", "Bárbaro, re amable."],
    },
    "co": {
        "apertura": [
            "Aló, buenas tardes. Vea, ",
            "Hola, buenos días, qué pena con usted. ",
            "Quiubo, mire, ",
            "Sí, señorita, buenas. ",
        ],
        "cambios": [
            ("dinero", "plata"),
            ("auto", "carro"),
            ("por favor", "porfa"),
            ("heladera", "nevera"),
        ],
        "enfado": [
            "Eso es el colmo, qué falta de seriedad.",
            "Estoy aburrido de llamar.",
            "Qué desastre, hermano.",
        ],
        "alegria": ["Listo, qué chévere, muchas gracias.", "Bacano, gracias."],
    },
    "cl": {
        "apertura": [
            "Aló, buenas. Oiga, ",
            "Hola, buenas tardes po. Mire, ",
            "Wena, ",
            "Sí, aló. ",
        ],
        "cambios": [
            ("dinero", "plata"),
            ("celular", "celu"),
            ("auto", "auto"),
            ("trabajo", "pega"),
        ],
        "enfado": [
            "Estoy chato con ustedes.",
            "Es una lesera lo que hacen, po.",
            "Qué falta de respeto.",
        ],
        "alegria": ["Ya, bacán, gracias.", "Súper, muchas gracias po."],
    },
    "pe": {
        "apertura": [
            "Aló, buenas tardes. Mire, ",
            "Hola, buenas, disculpe. ",
            "Sí, aló, buenas. Oiga, ",
            "Buenas, causa. ",
        ],
        "cambios": [
            ("dinero", "plata"),
            ("auto", "carro"),
            ("genial", "chévere"),
            ("heladera", "refrigeradora"),
        ],
        "enfado": ["Ya me llegó, estoy harto.", "Es un abuso, oiga.", "Qué roche con ustedes."],
        "alegria": ["Chévere, gracias.", "Ya, perfecto, muy amable."],
    },
    "caribe": {
        "apertura": [
            "Oigo, buenas. Mira, mi amor, ",
            "Dime, buenas tardes. Mira, ",
            "Saludos, mire, ",
            "Hola, ¿qué tal? Oye, ",
        ],
        "cambios": [
            ("auto", "carro"),
            ("celular", "celular"),
            ("dinero", "chavos"),
            ("heladera", "nevera"),
        ],
        "enfado": [
            "Esto es un abuso, chico.",
            "Ya estoy cansá de esto.",
            "Qué falta de respeto, mano.",
        ],
        "alegria": ["Qué bueno, chévere, gracias.", "Perfecto, mil gracias, mi cielo."],
    },
}

SALUDOS = [
    "Buenas tardes, gracias por llamar a {empresa}, le atiende {nombre}, ¿en qué puedo ayudarle?",
    "{empresa}, buenos días, mi nombre es {nombre}, ¿con quién tengo el gusto?",
    "Hola, bienvenido a {empresa}, te atiende {nombre}. ¿En qué te puedo ayudar?",
    "Gracias por comunicarse con {empresa}, habla {nombre}. ¿En qué le ayudo?",
]
IDENTIDAD = [
    ("Para validar, ¿me confirma su número de documento?", "Sí, es el 30 458 221."),
    (
        "¿Me regala su nombre completo y cédula, por favor?",
        "Claro, María Fernanda Ríos, 52 331 908.",
    ),
    ("Por seguridad, ¿me indica su fecha de nacimiento?", "El 12 de marzo del 85."),
    ("¿Me facilita el DNI del titular?", "Sí, 45123390, soy yo."),
    ("¿Me confirma el RUT, por favor?", "Dale, 15.332.871-4."),
]
ESPERAS = [
    "Un momento, por favor, no se retire.",
    "Le voy a poner en espera mientras reviso, ¿le parece?",
    "Permítame un segundito que consulto el sistema.",
    "Gracias por la espera. Ya tengo su cuenta en pantalla.",
]
RESPUESTAS_AGENTE = {
    "venta": [
        "Con gusto, le cuento las opciones que tenemos.",
        "Sí, tenemos una promoción vigente este mes.",
        "Le puedo preparar una propuesta ahora mismo.",
        "Perfecto, le paso los precios y condiciones.",
        "Claro, solo necesito validar algunos datos para el alta.",
    ],
    "soporte": [
        "Entiendo, vamos a revisarlo juntos.",
        "Veo la cuenta, le hago unas pruebas en remoto.",
        "Le explico cómo hacerlo, es sencillo.",
        "Voy a abrir una incidencia técnica.",
        "Le guío paso a paso, ¿tiene el equipo a mano?",
    ],
    "reclamo": [
        "Lamento mucho lo ocurrido, voy a revisar su caso.",
        "Entiendo su molestia, le abro un reclamo formal.",
        "Le pido disculpas, reviso el historial de cobros.",
        "Tiene razón en estar molesto, lo escalo al área correspondiente.",
        "Registro la queja y le doy un número de caso.",
    ],
}
# En soporte el agente a veces ofrece productos: el cliente no llamó por eso.
OFERTAS_AGENTE = [
    "Aprovecho para contarle que tenemos una promoción de fibra de 1 giga con descuento.",
    "Por cierto, ¿le interesaría mejorar su plan? Hoy tenemos una oferta.",
    "Le comento que puede sumar una línea adicional a mitad de precio.",
]
CIERRES = [
    "¿Hay algo más en que le pueda ayudar? Que tenga un buen día.",
    "Gracias por su llamada, que tenga una excelente tarde.",
    "Le llegará una encuesta de satisfacción, gracias por llamar.",
]
