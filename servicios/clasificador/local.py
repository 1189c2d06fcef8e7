"""Motor offline: clasificador léxico (numpy) más un nivel semántico e5 opcional.

Lee la llamada como la leería un supervisor: lo que dice el cliente pesa más que lo que dice el
agente, se saltan saludos, verificaciones y esperas, y el texto entero cuenta (el léxico lo lee
todo; el semántico incrusta los trozos más informativos).
"""

import logging
import math
import re
import time
from collections import Counter

from servicios.clasificador.artefacto import obtener_modelo
from servicios.clasificador.calibracion import (
    CONFIANZA_MINIMA,
    aplicar_mapa,
    cobertura,
    descontar_por_cobertura,
)
from servicios.clasificador.recomendaciones import recomendar
from servicios.clasificador.semantico import ModeloSemantico, obtener_semantico
from servicios.clasificador.sentimiento import analizar_sentimiento
from servicios.clasificador.tipos import CATEGORIAS, Categoria, ResultadoClasificacion
from servicios.clasificador.turnos import Lectura, leer_llamada, trozos

log = logging.getLogger(__name__)

CONFIANZA_SIN_TEXTO = 0.34
CONFIANZA_MAXIMA = 0.99  # un modelo offline nunca afirma certeza absoluta
PESO_AGENTE = 0.3  # exponente de lo que dice el agente (ofrece productos en llamadas de soporte)
LIMITE_TROZO = 220  # caracteres por trozo incrustado (~55 tokens, ~35 ms en 2 núcleos)
MAX_TROZOS = 2
# Medido en evaluación: con el léxico por encima de 0,95 el nivel semántico no cambia ninguna
# respuesta (98,1 % igual) y así solo se incrusta uno de cada cinco textos.
UMBRAL_SOLO_LEXICO = 0.95
LIMITE_MEZCLA = 300  # caracteres: por encima no se buscan cláusulas en desacuerdo
VOTO_CLARO = 0.95
TOPE_MEZCLA = 0.55  # bajo CONFIANZA_REVISAR: una nota que pide dos cosas se revisa
_RE_CLAUSULA = re.compile(r"[.;:!?\n]+|,\s+|\s+(?:pero|aunque|ademas|además|también|tambien)\s+")
AVISO_SIN_TEXTO = (
    "La llamada no tiene notas: pide al cliente el motivo de su llamada (servicio afectado, "
    "desde cuándo, qué espera) y regístralo antes de clasificar."
)


def version_modelo() -> str:
    """Versión del modelo léxico cargado (p. ej. local-lineal-v1)."""
    return str(obtener_modelo().meta["version"])


def _normalizar(probs: dict[str, float]) -> dict[str, float]:
    total = sum(probs.values()) or 1.0
    return {c: probs[c] / total for c in CATEGORIAS}


def probabilidades_lexicas(lectura: Lectura) -> dict[str, float]:
    """Léxico sobre lo del cliente, multiplicado por lo del agente con menos peso."""
    lexico = obtener_modelo()
    probs = lexico.probabilidades(lectura.principal, "categoria")
    if lectura.cliente and lectura.agente:
        agente = lexico.probabilidades(lectura.agente, "categoria")
        probs = _normalizar({c: probs[c] * agente[c] ** PESO_AGENTE for c in CATEGORIAS})
    return probs


def trozos_informativos(texto: str) -> list[str]:
    """Los trozos del texto donde el léxico ve más clara la categoría, en su orden original."""
    partes = trozos(texto, LIMITE_TROZO)
    if len(partes) <= MAX_TROZOS:
        return partes
    lexico = obtener_modelo()
    nitidez = [max(lexico.probabilidades(p, "categoria").values()) for p in partes]
    elegidos = sorted(sorted(range(len(partes)), key=lambda i: -nitidez[i])[:MAX_TROZOS])
    return [partes[i] for i in elegidos]


def probabilidades_semanticas(lectura: Lectura, semantico: ModeloSemantico) -> dict[str, float]:
    """Media de las probabilidades e5 de los trozos más informativos de lo dicho por el cliente."""
    partes = trozos_informativos(lectura.principal) or [lectura.principal]
    suma = dict.fromkeys(CATEGORIAS, 0.0)
    for parte in partes:
        for c, p in semantico.probabilidades(parte).items():
            suma[c] += p / len(partes)
    return suma


def _probabilidades_y_modelo(lectura: Lectura) -> tuple[dict[str, float], str, dict | None]:
    """Probabilidades combinadas, el modelo que respondió y su mapa de calibración."""
    lexico = obtener_modelo()
    probs = probabilidades_lexicas(lectura)
    semantico = obtener_semantico()
    if semantico is None:
        return probs, str(lexico.meta["version"]), lexico.meta.get("calibracion")
    if max(probs.values()) >= UMBRAL_SOLO_LEXICO:  # claro para el léxico: e5 no cambiaría nada
        return probs, semantico.version, semantico.meta.get("calibracion")
    try:
        probs_sem = probabilidades_semanticas(lectura, semantico)
    except Exception as error:  # un fallo del encoder no tumba la clasificación
        log.warning("Fallo del nivel semántico (%s); responde solo el léxico", error)
        return probs, str(lexico.meta["version"]), lexico.meta.get("calibracion")
    w = semantico.peso
    combinadas = {c: (1 - w) * probs[c] + w * probs_sem[c] for c in CATEGORIAS}
    return combinadas, semantico.version, semantico.meta.get("calibracion")


def acuerdo_entre_clausulas(texto: str) -> float:
    """Proporción de cláusulas claras que votan la categoría más votada (1 si no hay mezcla).

    "Quiero contratar fibra pero me cobraron dos veces y no anda el wifi" pide tres cosas: la
    confianza debe decirlo. Solo en textos cortos; una transcripción larga se lee entera.
    """
    if len(texto) > LIMITE_MEZCLA:
        return 1.0
    lexico = obtener_modelo()
    votos: Counter[str] = Counter()
    for clausula in _RE_CLAUSULA.split(texto):
        if len(clausula.split()) >= 3:
            probs = lexico.probabilidades(clausula, "categoria")
            ganadora = max(probs, key=probs.__getitem__)
            if probs[ganadora] >= VOTO_CLARO:
                votos[ganadora] += 1
    total = sum(votos.values())
    return max(votos.values()) / total if total >= 2 else 1.0


def _confianza(probs: dict[str, float], mapa: dict | None, lectura: Lectura) -> float:
    """Probabilidad ganadora calibrada, descontada si el texto apenas tiene palabras conocidas
    o si sus cláusulas piden cosas distintas."""
    calibrada = aplicar_mapa(max(probs.values()), mapa)
    conocidas, proporcion = cobertura(lectura.principal, obtener_modelo().vocabulario)
    confianza = descontar_por_cobertura(calibrada, conocidas, proporcion)
    # Medido en evaluación: cláusulas en desacuerdo no predicen errores en llamadas con
    # turnos ni en textos largos; en notas cortas partidas en dos peticiones claras, sí.
    if not lectura.con_turnos and acuerdo_entre_clausulas(lectura.principal) <= 0.5:
        confianza = min(confianza, TOPE_MEZCLA)
    return round(min(max(confianza, CONFIANZA_MINIMA), CONFIANZA_MAXIMA), 4)


def analizar(texto: str) -> tuple[dict[str, float], float, str, Lectura]:
    """Probabilidades por categoría, confianza calibrada, modelo y la lectura de la llamada."""
    lectura = leer_llamada(texto)
    if not lectura.principal.strip():
        return dict.fromkeys(CATEGORIAS, 1 / 3), CONFIANZA_SIN_TEXTO, version_modelo(), lectura
    probs, modelo, mapa = _probabilidades_y_modelo(lectura)
    return probs, _confianza(probs, mapa, lectura), modelo, lectura


def probabilidades_local(texto: str) -> dict[str, float]:
    """Probabilidad de cada categoría (léxico, combinado con e5 si está disponible)."""
    if not texto or not texto.strip():
        return dict.fromkeys(CATEGORIAS, 1.0 / len(CATEGORIAS))
    return analizar(texto)[0]


def clasificar_local(texto: str) -> ResultadoClasificacion:
    """Clasifica un texto de llamada sin red: categoría, confianza, sentimiento y consejo."""
    inicio = time.perf_counter()
    probs, confianza, modelo, lectura = (
        analizar(texto) if texto and texto.strip() else ({}, 0.0, version_modelo(), None)
    )
    if lectura is None or not lectura.principal.strip():
        return ResultadoClasificacion(
            categoria="soporte",
            confianza=CONFIANZA_SIN_TEXTO,
            recomendacion_agente=AVISO_SIN_TEXTO,
            sentimiento="neutral",
            motor="local",
            modelo=modelo,
            latencia_ms=round((time.perf_counter() - inicio) * 1000, 3),
        )
    categoria: Categoria = max(CATEGORIAS, key=probs.__getitem__)
    sentimiento = analizar_sentimiento(texto, probs)
    return ResultadoClasificacion(
        categoria=categoria,
        confianza=confianza if not math.isnan(confianza) else CONFIANZA_SIN_TEXTO,
        recomendacion_agente=recomendar(texto, categoria, sentimiento),
        sentimiento=sentimiento,
        motor="local",
        modelo=modelo,
        latencia_ms=round((time.perf_counter() - inicio) * 1000, 3),
        probabilidades=probs,
    )
