"""Recomendaciones para el agente: pasos concretos según los temas que menciona el texto."""

import re

from servicios.clasificador.rasgos import quitar_acentos

LIMITE = 400

# (tema, patrón sobre texto sin tildes, paso concreto); el orden marca la prioridad.
TEMAS: tuple[tuple[str, str, str], ...] = (
    (
        "cobro_duplicado",
        r"(dos veces|duplicad|doble cobro|cobro doble|cobraron .{0,20}de mas)",
        "Verifica el cargo duplicado en la factura y abre la devolución; si no se resuelve "
        "en 48 h, escala a facturación.",
    ),
    (
        "cargo_no_reconocido",
        r"(no reconozco|no reconocid|nunca (pedi|contrate)|jamas contrate|"
        r"que no (pedi|contrate))",
        "Identifica el cargo no reconocido, anúlalo si no hay alta firmada y confirma el abono.",
    ),
    (
        "reembolso",
        r"(reembols|devolu|devuelvan|regresen|mi dinero|la plata)",
        "Revisa el estado del reembolso, da plazo y número de seguimiento por escrito.",
    ),
    (
        "cancelacion",
        r"(cancel|de baja|la baja|darme de baja|rescind|anul|me voy (a|con)|"
        r"portabilidad a otra)",
        "Confirma el motivo de la baja y registra la solicitud con su plazo.",
    ),
    (
        "factura",
        r"(factura|recibo|boleta|cobr|cargo|comision|tarifa|precio subi|me subieron)",
        "Revisa los conceptos de la última factura con el cliente y corrige lo que no corresponda.",
    ),
    (
        "entrega",
        r"(pedido|paquete|envio|entrega|repartidor|llego roto|no llego|aduana)",
        "Consulta el seguimiento del envío con la transportista y ofrece reenvío o reembolso.",
    ),
    (
        "internet",
        r"(internet|fibra|wifi|wi fi|router|modem|senal|sin linea|se corta|lento|"
        r"decodificador|deco)",
        "Comprueba si hay incidencia masiva en la zona, reinicia el equipo en remoto y mide la "
        "velocidad; si persiste, agenda visita técnica.",
    ),
    (
        "configuracion",
        r"(configur|instal|paso a paso|no se como|como (hago|puedo|activo|cambio))",
        "Guía la configuración paso a paso y envía el tutorial por correo.",
    ),
    (
        "acceso",
        r"(contrase(n|ñ)a|clave|password|pin\b|usuario|iniciar sesion|acceso|bloque|codigo)",
        "Verifica la identidad del titular y guía el restablecimiento de acceso.",
    ),
    (
        "tarjeta",
        r"(tarjeta|cajero|datafono|transferencia)",
        "Revisa el estado de la tarjeta o la operación en el sistema y desbloquéala si procede.",
    ),
    (
        "seguro",
        r"(siniestro|poliza|seguro|aseguradora|grua|perito|cobertura|indemniz)",
        "Abre o consulta el expediente del siniestro y confirma coberturas y plazos de la póliza.",
    ),
    (
        "suministro",
        r"(luz|gas|agua|contador|medidor|lectura|suministro|corte)",
        "Comprueba lecturas y avisos de corte del suministro y corrige la estimación si procede.",
    ),
    (
        "plataforma",
        r"(api|plataforma|licencia|panel|sso|integracion|sincroniz|app\b|aplicacion)",
        "Revisa el estado de la plataforma y los registros de la cuenta; abre ticket si falla.",
    ),
    (
        "precio",
        r"(precio|cuanto (cuesta|sale|vale)|descuento|promo|oferta|cotiz|presupuesto)",
        "Presenta la oferta vigente con precio final, descuentos y permanencia.",
    ),
    (
        "plan",
        r"(plan|upgrade|mejorar|subir|ampliar|gigas|megas|renov|licencias)",
        "Compara su plan actual con el superior y propone el cambio con la fecha de efecto.",
    ),
    (
        "contratacion",
        r"(contratar|comprar|adquirir|alta|me interesa|solicitar|abrir una cuenta|"
        r"me lo llevo|me quedo con)",
        "Valida los datos y la cobertura del cliente y cierra la contratación hoy.",
    ),
)
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
ESCALADO = r"(supervisor|tercera vez|cuarta vez|otra vez|consumo|consumidor|denuncia|abogado)"


def detectar_temas(texto: str) -> list[str]:
    """Temas que menciona el texto, en orden de prioridad."""
    limpio = quitar_acentos(texto)
    return [tema for tema, patron, _ in TEMAS if re.search(patron, limpio)]


def recomendar(texto: str, categoria: str, sentimiento: str) -> str:
    """Dos o tres pasos concretos para el agente, ajustados a lo que dice la llamada."""
    pasos_por_tema = {tema: paso for tema, _, paso in TEMAS}
    temas = detectar_temas(texto)
    if categoria != "reclamo":
        temas = [t for t in temas if t not in ("cobro_duplicado", "cargo_no_reconocido")]
    if categoria == "venta":
        temas = [t for t in temas if t in ("precio", "plan", "contratacion", "seguro", "internet")]
        temas = [t for t in temas if t != "internet"] or temas
    pasos: list[str] = []
    if sentimiento == "negativo":
        pasos.append(EMPATIA)
    if "cancelacion" in temas and categoria == "reclamo":
        pasos.append(RETENCION)
    else:
        temas = [t for t in temas if t not in ("contratacion", "plan", "precio")]
    pasos.extend(pasos_por_tema[t] for t in temas[: 3 - len(pasos) if pasos else 2])
    if not temas:
        pasos.append(SIN_TEMA.get(categoria, SIN_TEMA["soporte"]))
    if re.search(ESCALADO, quitar_acentos(texto)):
        pasos.append(
            "El cliente ya insistió: escala a un supervisor si no se resuelve en esta llamada."
        )
    else:
        pasos.append(CIERRE_CATEGORIA.get(categoria, CIERRE_CATEGORIA["soporte"]))
    resultado = ""
    for paso in pasos:
        candidato = f"{resultado} {paso}".strip()
        if len(candidato) > LIMITE:
            break
        resultado = candidato
    return resultado
