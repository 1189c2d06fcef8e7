"""Redacción de datos personales en lo transcrito: cada dato se sustituye por una etiqueta.

Los documentos con dígito o letra de control solo se redactan si el control cuadra (así una
cifra cualquiera no se confunde con una tarjeta); los que no lo tienen se reconocen por la
palabra que los anuncia («cédula», «DNI»). Lo que queda con 7 o más cifras es un teléfono.
"""

import re
from collections.abc import Callable

LETRAS_DNI = "TRWAGMYFPDXBNJZSQVHLCKE"
_CURP_VALORES = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"


def _cifras(texto: str) -> str:
    return re.sub(r"\D", "", texto)


def luhn(cifras: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(cifras)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def iban_valido(texto: str) -> bool:
    limpio = re.sub(r"\s", "", texto).upper()
    reordenado = limpio[4:] + limpio[:4]
    return int("".join(str(int(c, 36)) for c in reordenado)) % 97 == 1


def dni_nie_valido(texto: str) -> bool:
    limpio = re.sub(r"[\s.-]", "", texto).upper()
    numero = limpio[:-1].replace("X", "0").replace("Y", "1").replace("Z", "2")
    return numero.isdigit() and LETRAS_DNI[int(numero) % 23] == limpio[-1]


def curp_valida(texto: str) -> bool:
    suma = sum(_CURP_VALORES.index(c) * (18 - i) for i, c in enumerate(texto[:17]))
    return str((10 - suma % 10) % 10) == texto[17]


def rut_valido(texto: str) -> bool:
    limpio = re.sub(r"[.\s-]", "", texto).upper()
    cuerpo, dv = limpio[:-1], limpio[-1]
    suma = sum(int(c) * (2 + i % 6) for i, c in enumerate(reversed(cuerpo)))
    resto = 11 - suma % 11
    return dv == {11: "0", 10: "K"}.get(resto, str(resto))


def cuit_valido(texto: str) -> bool:
    cifras = _cifras(texto)
    suma = sum(int(c) * p for c, p in zip(cifras[:10], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    resto = 11 - suma % 11
    return cifras[10] == {11: "0", 10: "9"}.get(resto, str(resto))


# (etiqueta, patrón, comprobación del control o None)
Regla = tuple[str, re.Pattern[str], Callable[[str], bool] | None]
_ANTES = r"(?<![\w@])"
_DESPUES = r"(?![\w@])"
# Lo que media entre «cédula»/«DNI» y el número: «es», «de ciudadanía», «número», «:».
_ANUNCIO = r"(?:\s+(?:es|de\s+ciudadan[ií]a|n[úu]mero|n[º°o]\.?)|\s*:)*\s*"
REGLAS: list[Regla] = [
    ("[EMAIL]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), None),
    (
        "[IBAN]",
        re.compile(
            _ANTES + r"[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?" + _DESPUES
        ),
        iban_valido,
    ),
    ("[TARJETA]", re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)"), lambda t: luhn(_cifras(t))),
    ("[CURP]", re.compile(_ANTES + r"[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d" + _DESPUES), curp_valida),
    (
        "[RFC]",
        re.compile(
            _ANTES
            + r"[A-ZÑ&]{3,4}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[A-Z0-9]{3}"
            + _DESPUES
        ),
        None,
    ),
    ("[CUIT]", re.compile(r"(?<!\d)(?:20|23|24|27|30|33|34)-?\d{8}-?\d(?!\d)"), cuit_valido),
    (
        "[RUT]",
        re.compile(r"(?<![\d.])\d{1,2}(?:\.\d{3}){2}-[\dkK](?!\w)|(?<![\d.])\d{7,8}-[\dkK](?!\w)"),
        rut_valido,
    ),
    (
        "[DNI]",
        re.compile(_ANTES + r"(?:\d{8}|[XYZ]\d{7})[\s-]?[A-Z]" + _DESPUES, re.IGNORECASE),
        dni_nie_valido,
    ),
    (
        "[CEDULA]",
        re.compile(r"c[ée]dula" + _ANUNCIO + r"(?P<dato>\d{1,3}(?:[.\s]?\d{3}){1,3})(?!\d)", re.I),
        None,
    ),
    (
        "[DNI]",
        re.compile(r"\bDNI" + _ANUNCIO + r"(?P<dato>\d{1,2}\.?\d{3}\.?\d{3})(?!\w)", re.I),
        None,
    ),
    ("[TELEFONO]", re.compile(r"(?<![\w+])\+?\d(?:[\s().-]{0,2}\d){6,14}(?!\d)"), None),
]


def _sustituir(etiqueta: str, control: Callable[[str], bool] | None) -> Callable[[re.Match], str]:
    def _cambio(encontrado: re.Match) -> str:
        completo = encontrado.group(0)
        if control is not None and not control(completo):
            return completo
        # En las reglas por contexto solo se cambia el dato: «mi cédula es [CEDULA]».
        if "dato" not in encontrado.re.groupindex:
            return etiqueta
        inicio = encontrado.start("dato") - encontrado.start()
        return completo[:inicio] + etiqueta

    return _cambio


def redactar(texto: str) -> str:
    """El texto con cada dato personal reconocido sustituido por su etiqueta."""
    for etiqueta, patron, control in REGLAS:
        texto = patron.sub(_sustituir(etiqueta, control), texto)
    return texto
