"""Sentimiento (positivo, neutral, negativo): cabeza lineal del modelo más léxico con negación."""

import math

from servicios.clasificador.artefacto import obtener_modelo
from servicios.clasificador.rasgos import plegar, tokenizar
from servicios.clasificador.tipos import Sentimiento
from servicios.clasificador.turnos import leer_llamada

_POSITIVAS = """gracias agradezco genial perfecto perfecta excelente encanta encanto encantada
encantado chido chida padre padrisimo bacan copado buenisimo buenisima contento contenta feliz
amable amables maravilla estupendo fenomenal increible convence interesa interesante resuelto
solucionado funciona genio crack dale venga hagamoslo genia bien aprovechar aprovecho convencio
convencido recomendaron recomiendan gusto gusta gustaria encantaria ideal fantastico agradecido
agradecida satisfecho satisfecha chevere bacano barbaro buenazo joya lindo rapidisimo salvaste
acepta acepto upsell"""
_NEGATIVAS = """harto harta verguenza desastre pesimo pesima inaceptable estafa molesto molesta
indignado indignada cansado cansada colmo exijo queja quejas mal mala malo decepcionado
decepcionada furioso furiosa engañaron engaño abusivo abusivas abusivos injusto injusta robo
robando afanando gachos horrible terrible fatal penoso lamentable insoportable aguanto locos
nadie incompetentes reclamar reclamacion denuncia consumidor indebido inadmisible chato
podrido bronca aburrido abuso choreo estafaron harto hartos urgente preocupado preocupada"""
_FRASES_NEGATIVAS = (
    "no me funciona",
    "no funciona",
    "no anda",
    "no sirve",
    "no llega",
    "no llego",
    "sin respuesta",
    "ni rastro",
    "no me devuelven",
    "no me devolvieron",
)
POSITIVAS = plegar(_POSITIVAS)
NEGATIVAS = plegar(_NEGATIVAS)
FRASES_NEGATIVAS = tuple(" ".join(tokenizar(f)) for f in _FRASES_NEGATIVAS)
_FRASES_POSITIVAS = (
    "vuelve a funcionar",
    "volvio a funcionar",
    "ya funciona",
    "ya anda",
    "ya se conecto",
    "quedo resuelto",
    "queda resuelto",
    "me quedo con",
)
FRASES_POSITIVAS = tuple(" ".join(tokenizar(f)) for f in _FRASES_POSITIVAS)
NEGADORES = plegar("no nunca ni sin tampoco jamás nada")


def puntuar_sentimiento(texto: str) -> float:
    """Suma de polaridades del léxico; una negación cercana invierte la palabra siguiente."""
    tokens = [t for t in tokenizar(texto) if t.isalnum()]
    puntos = 0.0
    for i, token in enumerate(tokens):
        polaridad = 1.0 if token in POSITIVAS else -1.0 if token in NEGATIVAS else 0.0
        if polaridad and any(t in NEGADORES for t in tokens[max(0, i - 2) : i]):
            polaridad = -polaridad * 0.5
        puntos += polaridad
    unido = " ".join(tokens)
    puntos -= sum(unido.count(f) for f in FRASES_NEGATIVAS) * 0.75
    puntos += sum(unido.count(f) for f in FRASES_POSITIVAS) * 0.75
    return puntos


# Los pesos se eligen al entrenar por validación cruzada (meta "pesos_sentimiento").
PESOS_POR_DEFECTO = {"lexico": 1.0, "prior": 1.0}
UMBRAL_SARCASMO = 0.8  # P(negativo | categorías) a partir de la cual un elogio no es sincero


def _prior(modelo_meta: dict, categorias: dict[str, float]) -> dict[str, float]:
    """P(sentimiento) según la categoría: quien reclama casi nunca está contento."""
    tabla = modelo_meta.get("sentimiento_por_categoria") or {}
    salida = {}
    for s in ("positivo", "neutral", "negativo"):
        salida[s] = sum(p * tabla.get(c, {}).get(s, 1 / 3) for c, p in categorias.items())
    return salida


def analizar_sentimiento(texto: str, categorias: dict[str, float] | None = None) -> Sentimiento:
    """Sentimiento del cliente: cabeza lineal, polaridad del léxico y lo esperable por categoría.

    Con turnos se lee solo lo que dice el cliente (la cortesía del agente no cuenta). El sarcasmo
    ("excelente atención, una hora en espera") lo corrige el prior de la categoría reclamo.
    """
    lectura = leer_llamada(texto)
    if categorias is None and lectura.principal.strip():
        from servicios.clasificador.local import probabilidades_lexicas  # evita un ciclo

        categorias = probabilidades_lexicas(lectura)
    texto = lectura.cliente or lectura.principal
    if not texto.strip():
        return "neutral"
    lexico = puntuar_sentimiento(texto)
    if lexico == 0.0 and len(tokenizar(texto)) < 3:
        return "neutral"
    modelo = obtener_modelo()
    probs = modelo.probabilidades(texto, "sentimiento")
    pesos = modelo.meta.get("pesos_sentimiento") or PESOS_POR_DEFECTO
    return combinar_sentimiento(
        probs, _prior(modelo.meta, categorias or {}), lexico, pesos["lexico"], pesos["prior"]
    )


def combinar_sentimiento(
    probs: dict[str, float], prior: dict[str, float], lexico: float, w_lexico: float, w_prior: float
) -> Sentimiento:
    """log p(cabeza) + w_prior·log p(sentimiento | categoría) + w_lexico·polaridad.

    Si la llamada es casi seguro un reclamo, los elogios son sarcasmo ("qué maravilla, otra
    vez sin luz") o cortesía: la polaridad cuenta en contra.
    """
    if prior.get("negativo", 0.0) >= UMBRAL_SARCASMO:
        lexico = -abs(lexico)
    puntos = {
        k: math.log(max(v, 1e-9)) + w_prior * math.log(max(prior[k], 1e-9))
        for k, v in probs.items()
    }
    puntos["positivo"] += w_lexico * max(lexico, 0.0)
    puntos["negativo"] += w_lexico * max(-lexico, 0.0)
    return max(puntos, key=puntos.__getitem__)  # type: ignore[return-value]
