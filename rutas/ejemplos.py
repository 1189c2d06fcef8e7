"""Ejemplos de los cuerpos de petición para el OpenAPI (Swagger UI los ofrece en un desplegable)."""

from datetime import UTC, datetime, timedelta
from typing import Any

Ejemplos = dict[str, dict[str, Any]]


def _ejemplo(resumen: str, valor: dict[str, Any], descripcion: str = "") -> dict[str, Any]:
    return {"summary": resumen, "description": descripcion, "value": valor}


def _dias(dias: int) -> dict[str, str]:
    """Los `dias` días cerrados (UTC) hasta ayer: un periodo con datos en una instalación viva."""
    ayer = datetime.now(UTC).date() - timedelta(days=1)
    return {"desde": (ayer - timedelta(days=dias - 1)).isoformat(), "hasta": ayer.isoformat()}


def _periodo(dias: int) -> dict[str, str]:
    """Como _dias, en fechas y horas ISO 8601 que cubren los días completos."""
    rango = _dias(dias)
    return {"desde": f"{rango['desde']}T00:00:00Z", "hasta": f"{rango['hasta']}T23:59:59Z"}


LOGIN_JSON: Ejemplos = {
    "agente": _ejemplo("Agente", {"email": "agente1@example.com", "password": "123456"}),
    "supervisora": _ejemplo("Supervisora", {"email": "sup@example.com", "password": "123456"}),
}
LOGIN_FORMULARIO: Ejemplos = {
    "supervisora": _ejemplo(
        "Formulario OAuth2 (lo que envía Authorize)",
        {"username": "sup@example.com", "password": "123456"},
    ),
}

USUARIO_CREAR: Ejemplos = {
    "agente": _ejemplo(
        "Alta de una agente",
        {
            "nombre": "Lucía Pérez",
            "email": "lucia.perez@example.com",
            "password": "Cambiar-2025",
            "rol": "agente",
        },
    ),
    "supervisor": _ejemplo(
        "Alta de un supervisor",
        {
            "nombre": "Martín Gómez",
            "email": "martin.gomez@example.com",
            "password": "Turno-Tarde-7",
            "rol": "supervisor",
        },
    ),
}
USUARIO_REEMPLAZAR: Ejemplos = {
    "ascenso": _ejemplo(
        "Datos completos (pasa a supervisora)",
        {
            "nombre": "Lucía Pérez Gómez",
            "email": "lucia.perez@example.com",
            "rol": "supervisor",
            "activo": True,
        },
    ),
}
USUARIO_ACTUALIZAR: Ejemplos = {
    "nombre": _ejemplo("Cambiar el nombre", {"nombre": "Lucía Pérez Gómez"}),
    "password": _ejemplo(
        "Cambiar la contraseña propia",
        {"password": "Nueva-Clave-2025", "password_actual": "123456"},
        "Un usuario que cambia su propia contraseña da la actual.",
    ),
    "desactivar": _ejemplo("Desactivar la cuenta (admin)", {"activo": False}),
}

LLAMADA_CREAR: Ejemplos = {
    "soporte": _ejemplo(
        "Soporte resuelto",
        {
            "numero_cliente": "+34 600 111 222",
            "duracion_segundos": 245,
            "tipo": "soporte",
            "resultado": "resuelta",
            "descripcion": "El router no da internet desde ayer; reiniciamos y vuelve a funcionar.",
            "satisfaccion": 5,
            "tiempo_espera_segundos": 18,
        },
        "Sin fecha_hora se toma la hora actual; con notas, la IA la clasifica en segundo plano.",
    ),
    "reclamo": _ejemplo(
        "Reclamo escalado",
        {
            "numero_cliente": "911234567",
            "duracion_segundos": 610,
            "tipo": "reclamo",
            "resultado": "escalada",
            "descripcion": "Le cobraron dos veces la factura de octubre y exige la devolución.",
            "satisfaccion": 2,
            "tiempo_espera_segundos": 95,
        },
    ),
    "venta": _ejemplo(
        "Venta saliente",
        {
            "numero_cliente": "655987321",
            "duracion_segundos": 420,
            "tipo": "venta",
            "resultado": "atendida",
            "descripcion": "Interesado en la fibra de 600 Mb con móvil; pide la oferta por correo.",
            "direccion": "saliente",
        },
    ),
}
LLAMADA_ACTUALIZAR: Ejemplos = {
    "cierre": _ejemplo(
        "Cerrar una llamada pendiente", {"resultado": "resuelta", "satisfaccion": 4}
    ),
    "notas": _ejemplo(
        "Completar las notas",
        {"descripcion": "Cliente molesto por el retraso del técnico; se agenda visita el lunes."},
        "Cambiar las notas vuelve a clasificar la llamada.",
    ),
}

CLASIFICAR_LLAMADA: Ejemplos = {
    "llamada": _ejemplo("Clasificar la llamada 1", {"llamada_id": 1}),
}
CLASIFICAR_TEXTO: Ejemplos = {
    "venta": _ejemplo(
        "Interés de compra",
        {"texto": "Quiero contratar la fibra de 600 megas, ¿hay descuento si traigo el móvil?"},
    ),
    "reclamo": _ejemplo(
        "Queja",
        {"texto": "Es la tercera vez que llamo y nadie me soluciona la avería, estoy harto."},
    ),
}
CLASIFICAR_TEXTO_ALIAS: Ejemplos = {
    "descripcion": _ejemplo(
        "Con descripcion (forma original)",
        {"descripcion": "No puedo entrar en la app del banco, me dice que la clave es incorrecta."},
    ),
    "texto": _ejemplo("Con texto", {"texto": "¿Cuándo llega mi pedido? Lo compré el lunes."}),
}

RECALCULAR_DIARIAS: Ejemplos = {
    "semana": _ejemplo("La última semana cerrada", _dias(7)),
}
REPORTE_CREAR: Ejemplos = {
    "semana": _ejemplo(
        "Última semana",
        {**_periodo(7), "descripcion": "Reporte semanal del equipo"},
        "Sin desde ni hasta, el periodo son los últimos 30 días.",
    ),
    "reclamos": _ejemplo(
        "Reclamos del último mes",
        {**_periodo(30), "categoria": "reclamo", "descripcion": "Reclamos de los últimos 30 días"},
        "También se filtra por usuario_id (un agente), tipo y resultado.",
    ),
}

CORREGIR = {
    "correccion": {
        "summary": "Era una venta",
        "value": {"categoria": "venta", "nota": "El cliente llamó para contratar fibra"},
    },
    "sin_nota": {"summary": "Solo la categoría", "value": {"categoria": "reclamo"}},
}


def _ayer_a_las(hora: int, minuto: int) -> str:
    ayer = datetime.now(UTC) - timedelta(days=1)
    return ayer.replace(hour=hora, minute=minuto, second=0, microsecond=0).isoformat()


LOTE_LLAMADAS: Ejemplos = {
    "dos": _ejemplo(
        "Dos llamadas de ayer",
        {
            "llamadas": [
                {
                    "usuario_id": 1,
                    "numero_cliente": "+34 600 111 222",
                    "duracion_segundos": 245,
                    "tipo": "soporte",
                    "resultado": "resuelta",
                    "fecha_hora": _ayer_a_las(9, 15),
                    "satisfaccion": 5,
                },
                {
                    "usuario_id": 1,
                    "numero_cliente": "911234567",
                    "duracion_segundos": 610,
                    "tipo": "reclamo",
                    "resultado": "escalada",
                    "fecha_hora": _ayer_a_las(10, 40),
                    "tiempo_espera_segundos": 95,
                },
            ]
        },
        "usuario_id es el agente de cada llamada (GET /api/usuarios/?rol=agente); fecha_hora "
        "es obligatoria. Todas o ninguna: un error en una fila da 422 con su posición.",
    ),
}
