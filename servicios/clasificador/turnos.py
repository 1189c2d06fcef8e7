"""Lectura de una llamada: turnos de agente y cliente sin saludos, verificaciones ni esperas."""

import functools
import json
import re
from dataclasses import dataclass
from typing import Literal

from servicios.clasificador.rasgos import expandir_abreviaturas, quitar_acentos

Rol = Literal["agente", "cliente", "otro"]

_ROLES_AGENTE = ("agente", "asesor", "operador", "ejecutiv", "agent", "ag", "a", "representante")
_ROLES_CLIENTE = (
    "cliente",
    "clienta",
    "customer",
    "usuari",
    "llamante",
    "caller",
    "cl",
    "c",
    "cte",
)
_RE_ETIQUETA = re.compile(
    r"(?:^|(?<=[\s\]\)\.\!\?\"'»]))\[?(?P<rol>agente|asesora?|operadora?|ejecutiv[oa]|agent|"
    r"representante|cliente|clienta|customer|usuari[oa]|llamante|caller|speaker[ _]?\d+|"
    r"hablante[ _]?\d+|locutor[ _]?\d+|ag|cl|cte|a|c)\]?\s*(?:\([^)]{0,24}\)\s*)?[:：]\s*",
    re.IGNORECASE,
)
_RE_MARCA_TIEMPO = re.compile(r"\[?\(?\b\d{1,2}:\d{2}(?::\d{2})?\b\)?\]?")
_RE_ORACION = re.compile(r"[^.!?¿¡\n]+[.!?]*")
_CLAVES_ROL = ("hablante", "rol", "speaker", "locutor", "canal", "role", "interlocutor")
_CLAVES_TEXTO = ("texto", "text", "contenido", "content", "transcripcion", "transcript")

# Fórmulas que no dicen nada del motivo (sobre texto sin tildes y en minúsculas).
_FORMULAS = re.compile(
    r"\b(hola|alo|buen[oa]s?( dias| tardes| noches)?|que tal|digame|cuenteme|"
    r"gracias por (llamar|comunicarse|contactar|su llamada|la espera|su espera|esperar|"
    r"su paciencia|su tiempo|su preferencia)|le atiende|te atiende|le habla|mi nombre es|"
    r"(soy|habla) [a-z]+( [a-z]+)? (de|del) [a-z]+|bienvenid[oa]s? a [a-z]+|"
    r"en que (le|te|lo|la|les)?( puedo| podemos)? ?(ayudar|servir|colaborar)[a-z]*|"
    r"(eso|seria|es) (es )?todo|nada mas|llam(o|aba|aria) por (un tema|una consulta|algo)|"
    r"(como|en que) (le|te)( puedo)? (ayudo|ayudar|sirvo)|con quien tengo el gusto|"
    r"(me|nos)? ?(confirma|verifica|valida|regala|facilita|indica|proporciona|da|dice|brinda|"
    r"podria (dar|decir|confirmar|indicar))[a-z]* (su|tu|el|la|los) (nombre|numero|dni|"
    r"documento|cedula|rut|nif|curp|fecha|direccion|correo|telefono|identificacion|titular|"
    r"codigo|poliza|contrato|cuenta|pasaporte|datos|apellido)[a-z ]{0,30}|"
    r"por seguridad|para validar|verificar (su|tu) identidad|datos verificados|"
    r"un (momento|momentito|segundo|segundito|minuto|minutito)|permitame|no se retire|"
    r"no cuelgue|(le|te) (pongo|dejo|voy a poner|coloco) en espera|disculpe la espera|"
    r"perdon por la espera|sigue (ahi|en linea|conmigo)|aguarde|espere un|"
    r"algo mas en (que|lo que)|que tenga (un )?(buen|lindo|excelente)[a-z ]*|"
    r"que (le|te) vaya bien|hasta luego|adios|cha[ou]|encuesta de satisfaccion|"
    r"gracias a (usted|ti|vos)|(muchas|mil) gracias|gracias|por favor|de nada|"
    r"si|no|vale|ok|okey|claro|dale|bueno|perfecto|aja|mhm|de acuerdo|entiendo|listo|ya|"
    r"senor|senora|senorita|don|dona|mire|oiga|pues|igualmente|correcto|exacto|asi es)\b"
)
_RE_CONTENIDO = re.compile(r"[a-zñ]{4,}")
# En boca del agente, estas fórmulas bastan para saltar la oración entera (nombres incluidos).
_FORMULAS_AGENTE = re.compile(
    r"(gracias por (llamar|comunicarse|contactar|su llamada|la espera|su espera|esperar)|"
    r"le atiende|te atiende|le habla|mi nombre es|en que (le |te )?(puedo|podemos)|"
    r"algo mas en|que tenga (un )?(buen|lindo|excelente)|no se retire|en espera|"
    r"(confirma|verifica|valida|regala|facilita|indica|proporciona)[a-z]* (su|tu|el|la) "
    r"(nombre|numero|dni|documento|cedula|rut|nif|curp|fecha|titular|codigo|datos))"
)
_RE_PIDE_IDENTIDAD = re.compile(
    r"(nombre|numero|dni|documento|cedula|rut|nif|curp|fecha de nacimiento|identidad|"
    r"titular|pasaporte|codigo postal|correo)"
)


@dataclass(frozen=True, slots=True)
class Lectura:
    """Lo que dijo cada parte, ya sin fórmulas; `con_turnos` si el texto traía hablantes."""

    cliente: str
    agente: str
    con_turnos: bool

    @property
    def principal(self) -> str:
        """El texto que manda: lo del cliente, o lo del agente si el cliente no dijo nada."""
        return self.cliente or self.agente


def _rol(etiqueta: str) -> Rol | str:
    """Rol de una etiqueta de hablante; los hablantes numerados se resuelven después."""
    etiqueta = quitar_acentos(etiqueta.strip()).lower()
    if re.match(r"(speaker|hablante|locutor)", etiqueta) or etiqueta.isdigit():
        return "hablante_" + re.sub(r"\D", "", etiqueta)
    if any(etiqueta.startswith(r) for r in _ROLES_CLIENTE if len(r) > 2) or etiqueta in (
        "c",
        "cl",
        "cte",
    ):
        return "cliente"
    if any(etiqueta.startswith(r) for r in _ROLES_AGENTE):
        return "agente"
    return "otro"


def _segmentos_json(texto: str) -> list[tuple[str, str]] | None:
    """Turnos de una lista JSON de segmentos ({"hablante", "texto"}), si el texto lo es."""
    if not texto.lstrip().startswith(("[", "{")):
        return None
    try:
        datos = json.loads(texto)
    except ValueError:
        return None
    if isinstance(datos, dict):
        datos = next((v for v in datos.values() if isinstance(v, list)), None)
    if not isinstance(datos, list):
        return None
    turnos = []
    for segmento in datos:
        if not isinstance(segmento, dict):
            return None
        rol = next((str(segmento[k]) for k in _CLAVES_ROL if k in segmento), "otro")
        dicho = next((segmento[k] for k in _CLAVES_TEXTO if isinstance(segmento.get(k), str)), "")
        turnos.append((rol, dicho))
    return turnos or None


def separar_turnos(texto: str) -> list[tuple[str, str]]:
    """Pares (rol, texto) por turno; un texto sin hablantes es un solo turno de rol "otro"."""
    segmentos = _segmentos_json(texto)
    if segmentos is not None:
        turnos = [(_rol(r), t) for r, t in segmentos]
    else:
        marcas = list(_RE_ETIQUETA.finditer(texto))
        if len(marcas) < 2 and not (marcas and marcas[0].start() == 0):
            return [("otro", texto)]
        turnos = [("otro", texto[: marcas[0].start()])] if marcas[0].start() else []
        for marca, siguiente in zip(marcas, [*marcas[1:], None], strict=True):
            fin = siguiente.start() if siguiente else len(texto)
            turnos.append((_rol(marca.group("rol")), texto[marca.end() : fin]))
    return _resolver_hablantes([(r, _RE_MARCA_TIEMPO.sub(" ", t).strip()) for r, t in turnos])


def _resolver_hablantes(turnos: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Hablantes numerados: es agente quien saluda en nombre de la empresa, o quien habla antes."""
    numerados = [r for r, _ in turnos if r.startswith("hablante_")]
    if not numerados:
        return turnos
    agente = next(
        (r for r, t in turnos if r.startswith("hablante_") and _es_presentacion(t)), numerados[0]
    )
    return [
        (("agente" if r == agente else "cliente") if r.startswith("hablante_") else r, t)
        for r, t in turnos
    ]


def _es_presentacion(texto: str) -> bool:
    """Saludo típico del agente al descolgar."""
    return bool(
        re.search(
            r"(gracias por (llamar|comunicarse)|le atiende|en que (le|te) puedo|mi nombre es)",
            quitar_acentos(texto),
        )
    )


def es_formula(oracion: str) -> bool:
    """Oración sin contenido propio: saludo, verificación de identidad, espera o despedida."""
    resto = _FORMULAS.sub(" ", quitar_acentos(oracion))
    return not _RE_CONTENIDO.search(re.sub(r"\d", " ", resto))


def limpiar(texto: str, *, agente: bool = False) -> str:
    """El texto sin las oraciones que son solo fórmulas (del agente, también las de cortesía)."""
    oraciones = (o.strip() for o in _RE_ORACION.findall(expandir_abreviaturas(texto)))
    return " ".join(
        o
        for o in oraciones
        if o and not es_formula(o) and not (agente and _FORMULAS_AGENTE.search(quitar_acentos(o)))
    )


@functools.lru_cache(maxsize=64)
def leer_llamada(texto: str) -> Lectura:
    """Separa lo que dijo el cliente de lo que dijo el agente y quita las fórmulas de ambos."""
    turnos = separar_turnos(texto)
    con_turnos = any(r in ("agente", "cliente") for r, _ in turnos)
    partes: dict[str, list[str]] = {"cliente": [], "agente": []}
    pidio_identidad = False
    for rol, dicho in turnos:
        limpio = limpiar(dicho, agente=rol == "agente")
        if rol == "agente":
            pidio_identidad = bool(_RE_PIDE_IDENTIDAD.search(quitar_acentos(dicho)))
            partes["agente"].append(limpio)
            continue
        # La respuesta corta a una verificación de identidad (nombre, DNI) no es el motivo.
        palabras = limpio.split()
        if pidio_identidad and (
            len(palabras) <= 4 or (len(palabras) <= 10 and any(c.isdigit() for c in limpio))
        ):
            limpio = ""
        pidio_identidad = False
        partes["cliente"].append(limpio)
    cliente = " ".join(p for p in partes["cliente"] if p)
    agente = " ".join(p for p in partes["agente"] if p)
    return Lectura(cliente=cliente, agente=agente, con_turnos=con_turnos)


def trozos(texto: str, limite: int) -> list[str]:
    """Parte un texto en trozos de hasta `limite` caracteres, cortando entre oraciones."""
    salida: list[str] = []
    actual = ""
    for oracion in (o.strip() for o in _RE_ORACION.findall(texto)):
        while len(oracion) > limite:
            corte = oracion.rfind(" ", 0, limite)
            corte = corte if corte > limite // 2 else limite
            salida.extend([actual] if actual else [])
            actual, salida = "", [*salida, oracion[:corte].strip()]
            oracion = oracion[corte:].strip()
        if actual and len(actual) + 1 + len(oracion) > limite:
            salida.append(actual)
            actual = ""
        actual = f"{actual} {oracion}".strip()
    if actual:
        salida.append(actual)
    return [t for t in salida if t]
