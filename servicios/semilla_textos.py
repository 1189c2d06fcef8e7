"""Notas de ejemplo en español para las llamadas de demostración, por tipo declarado."""

from modelos.enums import TipoLlamada

NOTAS_POR_TIPO: dict[TipoLlamada, list[str]] = {
    TipoLlamada.venta: [
        "Interesado en contratar fibra de 600 Mb con línea móvil; pide precio final con IVA.",
        "Quiere ampliar su plan a 1 Gb y añadir dos líneas para sus hijos. Pide descuento.",
        "Consulta por el paquete con televisión y fútbol; le envío la oferta por correo.",
        "Llamada saliente de renovación: acepta el plan anual con 20% de descuento.",
        "La clienta quiere comprar el seguro de hogar para su piso nuevo, pide presupuesto.",
        "Pregunta si puede cambiarse a la tarifa ilimitada y cuánto pagaría al mes.",
        "Empresa de 15 empleados quiere cotizar licencias del plan profesional.",
        "Agente: le cuento la promo. Cliente: me interesa, ¿cuándo me lo instalan?",
    ],
    TipoLlamada.soporte: [
        "No le funciona el internet desde ayer; se reinició el router y sigue sin conexión.",
        "Cliente no puede entrar a la app, dice que la contraseña no es válida. Se envía enlace.",
        "Pide ayuda para configurar el correo en su móvil nuevo.",
        "El wifi se corta cada pocos minutos en la habitación del fondo.",
        "Necesita saber cómo descargar sus facturas desde el área de cliente.",
        "La televisión se queda en pantalla negra al cambiar de canal; se revisa el decodificador.",
        "Tarjeta bloqueada tras tres intentos de PIN, quiere desbloquearla.",
        "No sabe activar el roaming para su viaje a México la semana que viene.",
    ],
    TipoLlamada.reclamo: [
        "Me cobraron dos veces la factura de octubre y nadie me da solución. Muy molesto.",
        "Lleva tres semanas esperando al técnico, quiere poner una queja formal.",
        "Exige el reembolso de un cargo que no reconoce; amenaza con ir a consumo.",
        "Quiere darse de baja porque el servicio es pésimo y le subieron el precio sin avisar.",
        "El pedido llegó roto y el repartidor fue grosero. Pide devolución completa.",
        "Tercera vez que llama por el mismo corte; está harto y pide hablar con un responsable.",
        "Le aplicaron una penalización por permanencia que nunca firmó.",
        "No quiero comprar nada, quiero cancelar el contrato ya. Nadie responde mis correos.",
    ],
    TipoLlamada.consulta: [
        "Pregunta por el horario de las tiendas y si puede pagar en efectivo.",
        "Consulta cuándo vence su permanencia y qué pasa si cambia de compañía.",
        "Quiere saber si tienen cobertura de fibra en su nueva dirección.",
        "Pregunta cómo cambiar el titular del contrato a nombre de su esposa.",
        "Duda sobre un concepto de la factura; se le explica el prorrateo.",
        "Pregunta por los requisitos para la portabilidad de su número.",
    ],
    TipoLlamada.tecnico: [
        "Router con la luz LOS en rojo; se abre incidencia y se agenda visita técnica.",
        "Velocidad muy por debajo de lo contratado, test da 50 Mb de 600. Se revisa la línea.",
        "El decodificador no arranca tras la actualización; se guía un reinicio de fábrica.",
        "Error 651 al conectar por cable; se reconfigura el adaptador de red.",
        "Cortes intermitentes en toda la zona; avería masiva abierta, se informa plazo.",
        "La centralita de la oficina no recibe llamadas entrantes desde esta mañana.",
    ],
    TipoLlamada.logistica: [
        "El pedido del router no ha llegado, el seguimiento lleva cinco días sin moverse.",
        "Quiere cambiar la dirección de entrega del teléfono que compró ayer.",
        "El mensajero dejó aviso pero no hay nadie en casa por las mañanas; reprograma entrega.",
        "Pide recogida del equipo antiguo tras la baja; se agenda para el jueves.",
        "Recibió un modelo de móvil distinto al que pidió; solicita el cambio.",
        "Pregunta cuándo le llega la tarjeta SIM de la portabilidad.",
    ],
}
