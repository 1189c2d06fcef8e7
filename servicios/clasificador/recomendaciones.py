"""Recomendaciones para el agente: pasos concretos según lo que de verdad pide el cliente.

Cada tema exige que coincidan un objeto y una acción (un cobro *y* "dos veces", no "dos veces"
a secas), se lee lo que dice el cliente (no las ofertas del agente) y una mención negada
("no quiero darme de baja") no dispara el tema.
"""

import re

from servicios.clasificador.rasgos import expandir_abreviaturas, quitar_acentos
from servicios.clasificador.turnos import leer_llamada

LIMITE = 400


def cerca(a: str, b: str, palabras: int = 6) -> str:
    """Patrón: `a` y `b` a menos de `palabras` palabras, en cualquier orden."""
    hueco = rf"\w*\W+(?:\w+\W+){{0,{palabras}}}"
    return rf"(?:(?:{a}){hueco}(?:{b})|(?:{b}){hueco}(?:{a}))"


_DINERO = r"cobr|factur|carg|debit|descont|pag|cuota|recibo|tarjeta"
# (tema, patrón sobre texto sin tildes, paso concreto); el orden marca la prioridad.
TEMAS: tuple[tuple[str, str, str], ...] = (
    (
        "cobro_duplicado",
        cerca(_DINERO, r"dos veces|doble|duplicad|repetid|mismo mes"),
        "Verifica el cargo duplicado en la factura y abre la devolución; si no se resuelve "
        "en 48 h, escala a facturación.",
    ),
    (
        "cargo_no_reconocido",
        r"(no reconozco|no reconocid|nunca (pedi|contrate|solicite)|jamas contrate|"
        r"que no (pedi|contrate|hice|solicite)|yo no hice|sin (mi )?(permiso|consentimiento))",
        "Identifica el cargo no reconocido, anúlalo si no hay alta firmada y confirma el abono.",
    ),
    (
        "reembolso",
        r"(reembols|devuelvan|devolver(me)? (el|la|mi|lo)|devolucion de(l)? (dinero|importe|"
        r"cobro|deposito)|mi dinero|la plata|compensacion|indemniz|me (la|lo) paguen)",
        "Revisa el estado del reembolso, da plazo y número de seguimiento por escrito.",
    ),
    (
        "cancelacion",
        r"((dar(me|lo|la)?|doy|darse) de baja|\bla baja\b|(quiero|quisiera|voy a|necesito) "
        r"(cancelar|anular|cerrar|rescindir)|rescindir|me voy (a|con) (la competencia|otra)|"
        r"irme (a|con) (la competencia|otra))",
        "Confirma el motivo de la baja y registra la solicitud con su plazo.",
    ),
    (
        "visita_tecnica",
        cerca(r"tecnico|visita|perito", r"no (vino|llego|aparecio)|plantad|nunca vino|nadie viene"),
        "Agenda una nueva visita con franja horaria confirmada y registra el incumplimiento.",
    ),
    (
        "factura",
        rf"(factura|recibo|boleta|comision|tarifa|me subieron|subieron el precio|lectura "
        rf"estimada|{cerca(r'cobr|cargo', r'precio|mes|plan|euros|dolares|pesos|soles', 8)})",
        "Revisa los conceptos de la última factura con el cliente y corrige lo que no corresponda.",
    ),
    (
        "entrega",
        r"(pedido|paquete|envio|entrega|repartidor|llego roto|aduana|seguimiento)",
        "Consulta el seguimiento del envío con la transportista y ofrece reenvío o reembolso.",
    ),
    (
        "viaje",
        r"(vuelo|maleta|equipaje|check.?in|embarque|pasaje|escala|conexion)",
        "Revisa la reserva y el estado del vuelo; ofrece reubicación o la compensación que "
        "corresponda por escrito.",
    ),
    (
        "conectividad",
        r"(internet|fibra|wi ?fi|router|modem|senal|datos moviles|se corta|se desconecta|"
        r"lentisim|megas y|sin linea|decodificador|\bdeco\b|roaming|llamadas)",
        "Comprueba si hay incidencia masiva en la zona, reinicia el equipo en remoto y mide la "
        "velocidad; si persiste, agenda visita técnica.",
    ),
    (
        "acceso",
        r"(contrasena|\bclave\b|password|\bpin\b|bloquead|iniciar sesion|no (me deja|puedo) "
        r"(entrar|ingresar)|codigo de verificacion|token|\bpuk\b)",
        "Verifica la identidad del titular y guía el restablecimiento de acceso.",
    ),
    (
        "configuracion",
        r"(configur|instal|paso a paso|no se como|como (hago|puedo|activo|cambio|descargo|"
        r"agrego|elijo|conecto|envio|cancelo|domicilio))",
        "Guía la configuración paso a paso y envía el tutorial por correo.",
    ),
    (
        "tarjeta",
        r"(tarjeta|cajero|transferencia)",
        "Revisa el estado de la tarjeta o la operación en el sistema y desbloquéala si procede.",
    ),
    (
        "seguro",
        r"(siniestro|poliza|grua|perito|cobertura|\bcubre\b|deducible)",
        "Abre o consulta el expediente del siniestro y confirma coberturas y plazos de la póliza.",
    ),
    (
        "salud",
        r"(turno|cita|consulta medica|autorizacion|receta|medicament|copago|cirugia|guardia)",
        "Revisa la cobertura del plan y gestiona la cita o la autorización con fecha concreta.",
    ),
    (
        "suministro",
        r"(\bluz\b|\bgas\b|\bagua\b|contador|medidor|suministro|corte de|diferencial|tension)",
        "Comprueba lecturas y avisos de corte del suministro y corrige la estimación si procede.",
    ),
    (
        "precio",
        r"(precio|cuanto (cuesta|sale|vale|costaria|seria)|descuento|promo|oferta|cotiz|"
        r"presupuesto|cuotas)",
        "Presenta la oferta vigente con precio final, descuentos y permanencia.",
    ),
    (
        "plan",
        r"(\bplan\b|mejorar|subir a|ampliar|gigas|megas|velocidad|licencias|linea (mas|adicional))",
        "Compara su plan actual con el superior y propone el cambio con la fecha de efecto.",
    ),
    (
        "contratacion",
        r"(contratar|comprar|adquirir|afiliar|abrir una cuenta|dar de alta|me interesa|"
        r"reservar|alquilar|asegurar|me lo llevo|me quedo con|sumar|agregar)",
        "Valida los datos y la cobertura del cliente y cierra la contratación hoy.",
    ),
)
# Solo se descarta la intención negada ("no quiero la baja"), no el problema ("no tengo señal").
_NEGADO = re.compile(
    r"\b(no|nunca|ni|tampoco)\s+(me\s+)?(quiero|quisiera|interesa|voy a|necesito|pienso|"
    r"ofrezca|tengo (ningun )?(problema|queja) con|es (por|un))\s+(\w+\s+){0,2}$"
)
TEMAS_VENTA = ("precio", "plan", "contratacion", "seguro")
TEMAS_RECLAMO = ("cobro_duplicado", "cargo_no_reconocido", "reembolso", "visita_tecnica")
CIERRE_CATEGORIA = {
    "venta": "Confirma por escrito condiciones y fecha de alta.",
    "soporte": "Deja documentada la solución y confirma con el cliente que funciona.",
    "reclamo": "Registra el reclamo con número de caso y plazo de respuesta.",
}
SIN_TEMA = {
    "venta": "Pregunta qué necesita y ofrece el plan que mejor encaje con su uso.",
    "soporte": "Pide los detalles del problema (servicio, desde cuándo, mensaje de error).",
    "reclamo": "Escucha el motivo completo del reclamo y revisa el historial del cliente.",
}
RETENCION = "Antes de tramitar la baja, ofrece una alternativa de retención (descuento o mejora)."
EMPATIA = "Empieza reconociendo la molestia del cliente y discúlpate en nombre de la empresa."
INSISTE = "El cliente ya insistió: escala a un supervisor si no se resuelve en esta llamada."
ESCALADO = (
    r"(supervisor|tercera vez|cuarta vez|quinta vez|otra vez|varias veces|ya (llame|hable)|"
    r"\bconsumo\b|consumidor|denuncia|abogado|nadie (me )?(contesta|responde|da))"
)
_PASOS = {tema: paso for tema, _, paso in TEMAS}


def _menciona(patron: str, texto: str) -> bool:
    """Alguna mención del patrón que no esté negada justo antes."""
    return any(
        not _NEGADO.search(texto[max(0, m.start() - 30) : m.start()])
        for m in re.finditer(patron, texto)
    )


def texto_cliente(texto: str) -> str:
    """Lo que dice el cliente (o la nota entera), sin tildes y sin abreviaturas."""
    lectura = leer_llamada(texto)
    limpio = quitar_acentos(expandir_abreviaturas(lectura.cliente or lectura.principal))
    return limpio.replace("ñ", "n")


def detectar_temas(texto: str) -> list[str]:
    """Temas que menciona el cliente, en orden de prioridad."""
    limpio = texto_cliente(texto)
    return [tema for tema, patron, _ in TEMAS if _menciona(patron, limpio)]


def recomendar(texto: str, categoria: str, sentimiento: str) -> str:
    """Dos o tres pasos concretos para el agente, ajustados a lo que dice la llamada."""
    temas = detectar_temas(texto)
    if categoria != "reclamo":
        temas = [t for t in temas if t not in TEMAS_RECLAMO and t != "cancelacion"]
    if categoria == "venta":
        temas = [t for t in temas if t in TEMAS_VENTA] or [t for t in temas if t == "viaje"]
    else:
        temas = [t for t in temas if t not in TEMAS_VENTA or t == "seguro"]
    pasos: list[str] = []
    if sentimiento == "negativo":
        pasos.append(EMPATIA)
    if "cancelacion" in temas:
        pasos.append(RETENCION)
    pasos.extend(_PASOS[t] for t in temas[: 3 - len(pasos) if pasos else 2])
    if not temas:
        pasos.append(SIN_TEMA.get(categoria, SIN_TEMA["soporte"]))
    limpio = texto_cliente(texto)
    escalar = categoria != "venta" and _menciona(ESCALADO, limpio)
    pasos.append(
        INSISTE if escalar else CIERRE_CATEGORIA.get(categoria, CIERRE_CATEGORIA["soporte"])
    )
    resultado = ""
    for paso in pasos:
        candidato = f"{resultado} {paso}".strip()
        if len(candidato) > LIMITE:
            break
        resultado = candidato
    return resultado
