"""Conjunto conocido de llamadas para comprobar cada cifra de los KPIs y de los reportes."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Rol
from modelos.llamada import Llamada
from modelos.usuario import Usuario

DIA = datetime(2025, 3, 10, tzinfo=UTC)
DESDE = DIA
HASTA = DIA + timedelta(days=10) - timedelta(microseconds=1)

# (agente, cliente, instante, duración, tipo, resultado, csat, espera, dirección, categoría, conf)
LLAMADAS = [
    (
        "A",
        "100",
        DIA + timedelta(hours=9),
        100,
        "venta",
        "resuelta",
        5,
        10,
        "entrante",
        "venta",
        0.9,
    ),
    (
        "A",
        "100",
        DIA + timedelta(days=2, hours=10),
        200,
        "soporte",
        "escalada",
        3,
        30,
        "entrante",
        "soporte",
        0.8,
    ),
    (
        "A",
        "200",
        DIA + timedelta(hours=11),
        300,
        "reclamo",
        "colgada",
        None,
        None,
        "saliente",
        None,
        None,
    ),
    (
        "B",
        "300",
        DIA + timedelta(days=1, hours=8),
        50,
        "consulta",
        "resuelta",
        4,
        20,
        "entrante",
        "reclamo",
        0.7,
    ),
    (
        "B",
        "300",
        DIA + timedelta(days=9, hours=8),
        150,
        "tecnico",
        "atendida",
        1,
        25,
        "entrante",
        "venta",
        0.6,
    ),
    (
        "B",
        "400",
        DIA + timedelta(days=1, hours=23, minutes=59, seconds=59, microseconds=500_000),
        0,
        "logistica",
        "fallida",
        None,
        0,
        "saliente",
        None,
        None,
    ),
    (
        "B",
        "200",
        DIA + timedelta(days=7, hours=11),
        60,
        "venta",
        "pendiente",
        2,
        None,
        "entrante",
        None,
        None,
    ),
    # Fuera del periodo: la de 'antes' no cuenta; la de 'después' quita el primer contacto a la 5.
    ("A", "500", DIA - timedelta(hours=1), 999, "venta", "resuelta", 5, 1, "entrante", None, None),
    (
        "A",
        "300",
        DIA + timedelta(days=10, hours=9),
        999,
        "venta",
        "resuelta",
        5,
        1,
        "entrante",
        None,
        None,
    ),
]


def crear_agente_b(sesion: Session) -> Usuario:
    agente = Usuario(
        nombre="Beatriz Núñez", email="beatriz@example.com", password_hash="x", rol=Rol.agente
    )
    sesion.add(agente)
    sesion.flush()
    return agente


def cargar_llamadas(sesion: Session) -> dict[str, int]:
    """Guarda las llamadas conocidas; devuelve los id de los agentes A y B."""
    agente_a = sesion.scalar(select(Usuario).where(Usuario.email == "agente1@example.com"))
    agente_b = crear_agente_b(sesion)
    ids = {"A": agente_a.id, "B": agente_b.id}
    for agente, cliente, instante, dur, tipo, res, csat, espera, dire, cat, conf in LLAMADAS:
        llamada = Llamada(
            usuario_id=ids[agente],
            numero_cliente=cliente,
            fecha_hora=instante,
            duracion_segundos=dur,
            tipo=tipo,
            resultado=res,
            satisfaccion=csat,
            tiempo_espera_segundos=espera,
            direccion=dire,
            descripcion=f"Llamada de {cliente}",
        )
        sesion.add(llamada)
        sesion.flush()
        if cat is not None:
            sesion.add(
                ClasificacionIA(
                    llamada_id=llamada.id,
                    categoria=Categoria(cat),
                    confianza=conf,
                    recomendacion_agente="Seguir el caso",
                    motor=MotorIA.local,
                    modelo="prueba",
                )
            )
    sesion.commit()
    return ids
