"""Datos iniciales: los tres usuarios del README y, si se desea, un mes de llamadas de ejemplo."""

import logging
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth import cifrar_password
from config import Ajustes
from crud import usuario as crud_usuario
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Direccion, ResultadoLlamada, Rol, TipoLlamada
from modelos.llamada import Llamada
from servicios.semilla_textos import NOTAS_POR_TIPO

registro = logging.getLogger("callcenter.semilla")

PASSWORD_INICIAL = "123456"
USUARIOS_INICIALES = (
    ("Agente Uno", "agente1@example.com", Rol.agente),
    ("Supervisora", "sup@example.com", Rol.supervisor),
    ("Administración", "admin@example.com", Rol.admin),
)
AGENTES_DEMO = (("Agente Dos", "agente2@example.com"), ("Agente Tres", "agente3@example.com"))
LLAMADAS_DEMO = 360
DIAS_DEMO = 30
PESOS_RESULTADO = {
    ResultadoLlamada.resuelta: 45,
    ResultadoLlamada.atendida: 20,
    ResultadoLlamada.escalada: 12,
    ResultadoLlamada.pendiente: 10,
    ResultadoLlamada.colgada: 9,
    ResultadoLlamada.fallida: 4,
}


def sembrar_usuarios(*, sesion: Session, ajustes: Ajustes) -> int:
    """Crea los usuarios iniciales que falten; devuelve cuántos creó (idempotente)."""
    creados = 0
    for nombre, email, rol in USUARIOS_INICIALES:
        if crud_usuario.obtener_por_email(sesion=sesion, email=email) is None:
            hash_ = cifrar_password(PASSWORD_INICIAL, rondas=ajustes.bcrypt_rondas)
            crud_usuario.crear(
                sesion=sesion, nombre=nombre, email=email, password_hash=hash_, rol=rol
            )
            creados += 1
    sesion.commit()
    return creados


def sembrar_demo(*, sesion: Session, ajustes: Ajustes, semilla: int = 7) -> int:
    """Si no hay llamadas, crea un mes de llamadas realistas ya clasificadas; devuelve cuántas."""
    if sesion.scalar(select(func.count(Llamada.id))):
        return 0
    from servicios.clasificador.local import clasificar_local

    azar = random.Random(semilla)
    agentes = [crud_usuario.obtener_por_email(sesion=sesion, email="agente1@example.com")]
    for nombre, email in AGENTES_DEMO:
        agente = crud_usuario.obtener_por_email(sesion=sesion, email=email)
        if agente is None:
            hash_ = cifrar_password(PASSWORD_INICIAL, rondas=ajustes.bcrypt_rondas)
            agente = crud_usuario.crear(
                sesion=sesion, nombre=nombre, email=email, password_hash=hash_, rol=Rol.agente
            )
        agentes.append(agente)
    ahora = datetime.now(UTC)
    clientes = [f"+34 6{azar.randint(10_000_000, 99_999_999)}" for _ in range(120)]
    for _ in range(LLAMADAS_DEMO):
        tipo = azar.choice(list(TipoLlamada))
        resultado = azar.choices(list(PESOS_RESULTADO), weights=list(PESOS_RESULTADO.values()))[0]
        nota = azar.choice(NOTAS_POR_TIPO[tipo])
        fecha = ahora - timedelta(days=azar.uniform(0, DIAS_DEMO))
        fecha = fecha.replace(hour=azar.randint(8, 20))
        if fecha > ahora:
            fecha -= timedelta(days=1)
        colgada = resultado == ResultadoLlamada.colgada
        llamada = Llamada(
            usuario_id=azar.choice(agentes).id,
            numero_cliente=azar.choice(clientes),
            duracion_segundos=azar.randint(5, 60) if colgada else azar.randint(60, 1200),
            tipo=tipo,
            resultado=resultado,
            fecha_hora=fecha,
            descripcion=nota,
            satisfaccion=None if colgada or azar.random() < 0.3 else _csat(azar, resultado),
            tiempo_espera_segundos=azar.randint(0, 90),
            direccion=Direccion.saliente
            if tipo == TipoLlamada.venta and azar.random() < 0.5
            else Direccion.entrante,
        )
        resultado_ia = clasificar_local(nota)
        llamada.clasificacion = ClasificacionIA(
            categoria=resultado_ia.categoria,
            confianza=resultado_ia.confianza,
            recomendacion_agente=resultado_ia.recomendacion_agente,
            sentimiento=resultado_ia.sentimiento,
            motor=resultado_ia.motor,
            modelo=resultado_ia.modelo,
            latencia_ms=resultado_ia.latencia_ms,
        )
        sesion.add(llamada)
    sesion.commit()
    registro.info("Sembradas %d llamadas de ejemplo", LLAMADAS_DEMO)
    return LLAMADAS_DEMO


def _csat(azar: random.Random, resultado: ResultadoLlamada) -> int:
    if resultado == ResultadoLlamada.resuelta:
        return azar.choices([3, 4, 5], weights=[1, 3, 4])[0]
    if resultado in (ResultadoLlamada.escalada, ResultadoLlamada.fallida):
        return azar.choices([1, 2, 3], weights=[3, 3, 1])[0]
    return azar.choices([2, 3, 4, 5], weights=[1, 3, 3, 1])[0]
