# ruff: noqa: E501
"""Transcripciones realistas (saludo, verificación, espera, motivo, cierre) y notas rápidas de
agente con abreviaturas, en siete variantes dialectales; la parte la decide el índice del motivo.
"""

import json
import random
import re

from frases import (
    CIERRES,
    DIALECTOS,
    ESPERAS,
    IDENTIDAD,
    OFERTAS_AGENTE,
    RESPUESTAS_AGENTE,
    SALUDOS,
)
from motivos import DETALLES, DIFICILES, MOTIVOS
from plantillas import COMUNES, DOMINIOS, EMPRESAS, NOMBRES

FORMATOS = ("etiquetas", "lineas", "letras", "asesor", "tiempos", "segmentos", "hablantes")


def es_evaluacion(indice: int) -> bool:
    """Uno de cada cuatro motivos, fijo, va solo a evaluación."""
    return indice % 4 == 3


def _dialecto(texto: str, dialecto: str) -> str:
    for viejo, nuevo in DIALECTOS[dialecto]["cambios"]:
        texto = texto.replace(viejo, nuevo)
    return texto


def _formatear(turnos: list[tuple[str, str]], formato: str, rnd: random.Random) -> str:
    """Escribe los turnos con uno de los formatos que producen sistemas y personas."""
    if formato == "segmentos":
        claves = rnd.choice([("hablante", "texto"), ("speaker", "text")])
        return json.dumps([{claves[0]: r, claves[1]: t} for r, t in turnos], ensure_ascii=False)
    nombres = {
        "etiquetas": ("Agente", "Cliente"),
        "lineas": ("Agente", "Cliente"),
        "letras": ("A", "C"),
        "asesor": ("Asesor", "Usuario"),
        "tiempos": ("Agente", "Cliente"),
        "hablantes": ("SPEAKER_00", "SPEAKER_01"),
    }[formato]
    lineas = []
    for i, (rol, texto) in enumerate(turnos):
        etiqueta = nombres[0] if rol == "agente" else nombres[1]
        marca = f"[00:{i * 17 // 60:02d}:{i * 17 % 60:02d}] " if formato == "tiempos" else ""
        lineas.append(f"{marca}{etiqueta}: {texto}")
    return ("\n" if formato in ("lineas", "tiempos", "hablantes") else " ").join(lineas)


def transcripcion(
    motivo: str, categoria: str, senti: str, parte: str, rnd: random.Random
) -> tuple[str, str]:
    """Una llamada completa alrededor de un motivo; devuelve el texto y el sentimiento."""
    dialecto = rnd.choice(list(DIALECTOS))
    pack = DIALECTOS[dialecto]
    mitad = (lambda xs: xs[-1:]) if parte == "evaluacion" else (lambda xs: xs[:-1])
    turnos = [
        (
            "agente",
            rnd.choice(SALUDOS).format(empresa=rnd.choice(EMPRESAS), nombre=rnd.choice(NOMBRES)),
        )
    ]
    if rnd.random() < 0.6:
        pregunta, respuesta = rnd.choice(IDENTIDAD)
        turnos += [
            ("cliente", "Hola, buenas, llamaba por un tema."),
            ("agente", pregunta),
            ("cliente", respuesta),
        ]
        turnos.append(("agente", "Gracias, ya le tengo. Cuénteme."))
    turnos.append(("cliente", rnd.choice(pack["apertura"]) + _dialecto(motivo, dialecto)))
    turnos.append(("agente", rnd.choice(mitad(RESPUESTAS_AGENTE[categoria]))))
    if rnd.random() < 0.5:
        turnos.append(("agente", rnd.choice(ESPERAS)))
    turnos.append(("cliente", _dialecto(rnd.choice(mitad(DETALLES[categoria])), dialecto)))
    if categoria == "soporte" and rnd.random() < 0.35:
        turnos.append(("agente", rnd.choice(OFERTAS_AGENTE)))
        turnos.append(("cliente", "No, gracias, por ahora solo quiero que quede funcionando."))
    if senti != "positivo" and categoria == "reclamo" and rnd.random() < 0.5:
        turnos.append(("cliente", rnd.choice(pack["enfado"])))
        senti = "negativo"
    elif senti != "negativo" and rnd.random() < 0.25:
        turnos.append(("cliente", rnd.choice(pack["alegria"])))
        senti = "positivo"
    turnos.append(("agente", rnd.choice(CIERRES)))
    return _formatear(turnos, rnd.choice(FORMATOS), rnd), senti


SENTIMIENTOS = {"n": "neutral", "+": "positivo", "-": "negativo"}


def generar_transcripciones(rnd: random.Random) -> list[dict[str, str]]:
    """Varias llamadas por motivo (sectores y casos difíciles); fuente = el motivo."""
    filas = []
    listas = [(f"{s}:{c}", c, m) for s, cats in MOTIVOS.items() for c, m in cats.items()]
    listas += [(f"dificil:{c}", c, m) for c, m in DIFICILES.items()]
    for nombre, categoria, motivos in listas:
        for i, motivo in enumerate(motivos):
            parte = "evaluacion" if es_evaluacion(i) else "entrenamiento"
            marca, texto = motivo.split("|", 1)
            for _ in range(2 if parte == "evaluacion" else 4):
                dicho, senti = transcripcion(texto, categoria, SENTIMIENTOS[marca], parte, rnd)
                filas.append(
                    {
                        "texto": dicho,
                        "categoria": categoria,
                        "sentimiento": senti,
                        "fuente": f"transcripcion:{nombre}:{i}",
                        "parte": parte,
                    }
                )
            if rnd.random() < 0.6:  # el motivo suelto, como lo escribiría el cliente en un chat
                filas.append(
                    {
                        "texto": motivo.split("|", 1)[1],
                        "categoria": categoria,
                        "sentimiento": SENTIMIENTOS[marca],
                        "fuente": f"transcripcion:{nombre}:{i}",
                        "parte": parte,
                    }
                )
    return filas


NOTAS: dict[str, list[tuple[str, str]]] = {
    "venta": [
        (
            "n",
            "cliente llama porque quiere contratar {producto}, se envía información para el alta",
        ),
        (
            "n",
            "cliente interesado en {producto}, pide precio con descuento, volver a llamar {cuando}",
        ),
        ("+", "venta cerrada: cliente contrata {producto}, se agenda instalación"),
        ("n", "cliente consulta requisitos para {producto}, también pregunta por cuotas"),
        ("n", "llamada saliente, se ofrece {producto}, cliente acepta que le manden la propuesta"),
        ("n", "cliente pide cotización de {producto} para la empresa, número de contacto en ficha"),
        ("n", "cliente quiere mejorar el plan a {producto}, se explican condiciones y permanencia"),
        (
            "+",
            "cliente acepta la promo de {producto} con el descuento, se valida con el supervisor",
        ),
        ("n", "cliente sin problemas con el servicio, solo quiere sumar {producto}"),
        ("n", "cliente pregunta cuánto cuesta {producto} con el descuento, queda en pensarlo"),
        ("n", "cliente pide información para cambiarse a {producto} desde otra compañía"),
        ("n", "upsell: cliente agrega {producto} a su cuenta desde el mes que viene"),
    ],
    "soporte": [
        (
            "n",
            "cliente sin {servicio} desde {tiempo}, se reinicia el equipo y se abre ticket técnico",
        ),
        ("n", "cliente no sabe como {accion}, se guía paso a paso por teléfono"),
        ("n", "cliente reporta falla en {servicio}, se hacen pruebas en remoto, queda resuelto"),
        ("n", "cliente pide ayuda para {accion}, se envía tutorial por correo"),
        (
            "-",
            "cliente molesto porque {servicio} no funciona desde {tiempo}, se agenda visita técnica",
        ),
        ("n", "cliente con error al usar {servicio}, se escala a nivel 2 con número de ticket"),
        ("n", "cliente consulta como {accion}, se explica y confirma que funciona"),
        ("n", "cliente llama porque {servicio} está intermitente, también pide revisar la señal"),
        ("n", "se verifica {servicio} del cliente, se reconfigura y queda operativo"),
        ("n", "cliente no puede {accion} desde la app, se borra caché y funciona"),
        (
            "n",
            "cliente pide información de su plan actual, no quiere cambios, se explica la factura",
        ),
        ("n", "cliente reinició el equipo dos veces y sigue sin {servicio}, se deriva a técnico"),
    ],
    "reclamo": [
        ("-", "cliente reclama porque {problema}, pide devolución de {monto}"),
        ("-", "cliente molesto: {problema}, se abre reclamo con número de caso"),
        (
            "-",
            "cliente solicita la baja de {contrato} porque {problema}, se ofrece retención y no acepta",
        ),
        ("-", "cliente indica que {problema}, exige hablar con un supervisor"),
        ("-", "cliente no reconoce un cargo de {monto} en {doc}, pide anulación"),
        ("-", "cliente llama por tercera vez porque {problema}, amenaza con ir a consumo"),
        ("-", "reclamo por cobro duplicado en {doc}, se escala a facturación"),
        ("-", "cliente pide reembolso de {monto}, {problema}"),
        ("-", "cliente muy enojado, {problema}, no quiere ofertas, quiere la solución"),
        ("-", "cliente reclama que le subieron el precio de {contrato} sin aviso"),
        ("-", "cliente exige compensación porque {problema}"),
        ("-", "cliente quiere cancelar {contrato}, dice que el servicio es pésimo"),
    ],
}
ABREVIACIONES = [
    (r"\bcliente\b", "cte"),
    (r"\bporque\b", "xq"),
    (r"\bque\b", "q"),
    (r"\bpara\b", "p/"),
    (r"\bcon\b", "c/"),
    (r"\bdesde\b", "dsd"),
    (r"\btambién\b", "tb"),
    (r"\bnúmero\b", "nro"),
    (r"\binformación\b", "info"),
    (r"\bpor\b", "x"),
    (r"\bteléfono\b", "tlf"),
]


def abreviar(texto: str, rnd: random.Random) -> str:
    """Abrevia como un agente con prisa (no siempre ni todo)."""
    for patron, corto in ABREVIACIONES:
        if rnd.random() < 0.75:
            texto = re.sub(patron, corto, texto)
    return texto


def generar_notas(rnd: random.Random) -> list[dict[str, str]]:
    """Notas de agente con abreviaturas, en varios sectores; fuente = la plantilla de nota."""
    filas = []
    for categoria, notas in NOTAS.items():
        for i, (marca, nota) in enumerate(notas):
            parte = "evaluacion" if es_evaluacion(i) else "entrenamiento"
            for _ in range(4 if parte == "evaluacion" else 6):
                dominio = DOMINIOS[rnd.choice(list(DOMINIOS))]
                ranuras = {k: rnd.choice(v) for k, v in {**dominio, **COMUNES}.items()}
                texto = abreviar(nota.format(**ranuras), rnd)
                if rnd.random() < 0.5:
                    texto = texto.capitalize()
                filas.append(
                    {
                        "texto": texto,
                        "categoria": categoria,
                        "sentimiento": SENTIMIENTOS[marca],
                        "fuente": f"nota:{categoria}:{i}",
                        "parte": parte,
                    }
                )
    return filas
