"""Normalización y rasgos léxicos, compartidos por entrenamiento e inferencia."""

import re
import unicodedata

VENTANA_NEGACION = 3
ORDENES_CHAR = (3, 4, 5)

_ABREVIATURAS = {
    "q": "que",
    "k": "que",
    "xq": "porque",
    "pq": "porque",
    "porq": "porque",
    "xfa": "por favor",
    "porfa": "por favor",
    "x": "por",
    "tb": "tambien",
    "tmb": "tambien",
    "pa": "para",
    "d": "de",
    "toy": "estoy",
    "ta": "esta",
    "cel": "celular",
    "info": "informacion",
    "cte": "cliente",
    "clte": "cliente",
    "ctes": "clientes",
    "dsd": "desde",
    "dsp": "despues",
    "dps": "despues",
    "nro": "numero",
    "num": "numero",
    "tlf": "telefono",
    "tel": "telefono",
    "msj": "mensaje",
    "fact": "factura",
    "dto": "descuento",
    "tec": "tecnico",
    "pdte": "pendiente",
    "hs": "horas",
    "hrs": "horas",
    "sr": "señor",
    "sra": "señora",
    "tmbn": "tambien",
    "tambn": "tambien",
    "xa": "para",
    "bn": "bien",
    "pls": "por favor",
    "grax": "gracias",
}
_RE_BARRA = re.compile(r"\b([pcsPCS])/(?=\s|\w)")
_BARRAS = {"p": "para ", "c": "con ", "s": "sin "}
_RE_PALABRA = re.compile(r"\w+")
_RE_TOKEN = re.compile(r"[a-zñ0-9]+|[.,;:!?¿¡]")
_RE_REPETIDAS = re.compile(r"([a-zñ])\1{2,}")
_RE_DIGITOS = re.compile(r"\d+")
_PUNTUACION = frozenset(".,;:!?¿¡")
_FONETICA = (
    (re.compile(r"cc([ei])"), r"ks\1"),
    (re.compile(r"c([ei])"), r"s\1"),
    (re.compile(r"qu([ei])"), r"k\1"),
    (re.compile(r"ch"), "ç"),
    (re.compile(r"c"), "k"),
    (re.compile(r"ç"), "ch"),
    (re.compile(r"ll"), "y"),
    (re.compile(r"(?<!c)h"), ""),
    (re.compile(r"z"), "s"),
    (re.compile(r"v"), "b"),
    (re.compile(r"([a-z])\1+"), r"\1"),
)


def quitar_acentos(texto: str) -> str:
    """Minúsculas sin tildes ni diéresis (la ñ se conserva)."""
    texto = texto.lower().replace("ñ", "\0")
    sin = "".join(c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c))
    return sin.replace("\0", "ñ")


def fonetica(palabra: str) -> str:
    """Forma fonética aproximada: iguala errores típicos (k/qu, s/c/z, b/v, ll/y, h muda)."""
    for patron, reemplazo in _FONETICA:
        palabra = patron.sub(reemplazo, palabra)
    return palabra


def expandir_abreviaturas(texto: str) -> str:
    """Abreviaturas de notas rápidas en palabras completas (cte -> cliente, p/ -> para)."""
    texto = _RE_BARRA.sub(lambda m: _BARRAS[m.group(1).lower()], texto)
    return _RE_PALABRA.sub(lambda m: _ABREVIATURAS.get(m.group().lower(), m.group()), texto)


def plegar(palabras: str) -> frozenset[str]:
    """Lista de palabras con la misma normalización que los tokens (tildes y fonética)."""
    return frozenset(fonetica(quitar_acentos(p)) for p in palabras.split())


# Las listas se pliegan como los tokens: "nunca" -> "nunka", "que" -> "ke".
NEGADORES = plegar("no nunca ni sin tampoco jamás")
CORTES_NEGACION = plegar("pero sino solo sólo solamente y que")
ATONAS = plegar("me te se le lo la les nos el los las un una")


def tokenizar(texto: str) -> list[str]:
    """Tokens normalizados (fonéticos) con la puntuación que separa cláusulas."""
    texto = _RE_BARRA.sub(lambda m: _BARRAS[m.group(1).lower()], texto)
    base = _RE_DIGITOS.sub("0", _RE_REPETIDAS.sub(r"\1", quitar_acentos(texto)))
    tokens: list[str] = []
    for bruto in _RE_TOKEN.findall(base):
        expandido = _ABREVIATURAS.get(bruto, bruto)
        for parte in expandido.split():
            tokens.append(parte if parte in _PUNTUACION else fonetica(parte))
    return tokens


def marcar_negacion(tokens: list[str]) -> list[str]:
    """Prefija NEG_ a las palabras que siguen a un negador, hasta puntuación o conjunción."""
    salida: list[str] = []
    restantes = 0
    for token in tokens:
        if token in _PUNTUACION or token in CORTES_NEGACION:
            restantes = 0
            if token not in _PUNTUACION:
                salida.append(token)
            continue
        if token in NEGADORES:
            restantes = VENTANA_NEGACION
            salida.append(token)
            continue
        if restantes > 0:
            salida.append("NEG_" + token)
            restantes -= token not in ATONAS
        else:
            salida.append(token)
    return salida


def rasgos_palabra(tokens: list[str]) -> list[str]:
    """Unigramas y bigramas de palabras con la negación marcada."""
    palabras = marcar_negacion(tokens)
    bigramas = [f"{a} {b}" for a, b in zip(palabras, palabras[1:], strict=False)]
    return palabras + bigramas


def rasgos_caracter(tokens: list[str]) -> list[str]:
    """N-gramas de caracteres (3 a 5) dentro de cada palabra con bordes, robustos a erratas."""
    salida: list[str] = []
    for token in tokens:
        if token in _PUNTUACION:
            continue
        palabra = f" {token} "
        largo = len(palabra)
        for n in ORDENES_CHAR:
            if largo < n:
                break
            salida.extend(palabra[i : i + n] for i in range(largo - n + 1))
    return salida


def extraer(texto: str) -> tuple[list[str], list[str]]:
    """Rasgos de palabra y de carácter de un texto."""
    tokens = tokenizar(texto)
    return rasgos_palabra(tokens), rasgos_caracter(tokens)
