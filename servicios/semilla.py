"""Datos iniciales: los tres usuarios del README y, si se desea, un mes de llamadas de ejemplo."""

import logging
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth import cifrar_password, verificar_password
from config import CLAVE_DE_EJEMPLO, PASSWORD_DE_EJEMPLO, Ajustes
from crud import usuario as crud_usuario
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Direccion, ResultadoLlamada, Rol, TipoLlamada
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from servicios.semilla_textos import NOTAS_POR_TIPO

registro = logging.getLogger("callcenter.semilla")

PASSWORD_INICIAL = PASSWORD_DE_EJEMPLO
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


class ArranqueInseguro(RuntimeError):
    """El servicio se niega a arrancar en producción con credenciales públicas."""


def sembrar_usuarios(*, sesion: Session, ajustes: Ajustes) -> int:
    """Crea los usuarios iniciales solo si no hay ninguno: uno renombrado o borrado no vuelve."""
    if sesion.scalar(select(func.count(Usuario.id))):
        return 0
    for nombre, email, rol in USUARIOS_INICIALES:
        hash_ = cifrar_password(ajustes.password_inicial, rondas=ajustes.bcrypt_rondas)
        crud_usuario.crear(sesion=sesion, nombre=nombre, email=email, password_hash=hash_, rol=rol)
    sesion.commit()
    return len(USUARIOS_INICIALES)


def cuentas_con_password_de_ejemplo(*, sesion: Session) -> list[str]:
    """Correos de las cuentas sembradas, activas, que aún entran con la contraseña 123456."""
    correos = [email for _, email, _ in USUARIOS_INICIALES] + [email for _, email in AGENTES_DEMO]
    cuentas = sesion.scalars(
        select(Usuario).where(Usuario.email.in_(correos), Usuario.activo.is_(True))
    )
    return sorted(
        cuenta.email
        for cuenta in cuentas
        if verificar_password(PASSWORD_DE_EJEMPLO, cuenta.password_hash)
    )


def comprobar_secretos(*, sesion: Session, ajustes: Ajustes) -> None:
    """En producción no arranca con la SECRET_KEY o la contraseña 123456 públicas; fuera, avisa."""
    problemas = []
    if ajustes.secret_key == CLAVE_DE_EJEMPLO:
        problemas.append("SECRET_KEY es la clave de ejemplo: cualquiera puede firmar tokens")
    vacia = not sesion.scalar(select(func.count(Usuario.id)))
    if ajustes.sembrar_usuarios and vacia and ajustes.password_inicial == PASSWORD_DE_EJEMPLO:
        problemas.append(
            "los usuarios iniciales se crearían con la contraseña 123456 (fija PASSWORD_INICIAL)"
        )
    cuentas = cuentas_con_password_de_ejemplo(sesion=sesion)
    if cuentas:
        problemas.append(f"estas cuentas aún entran con la contraseña 123456: {', '.join(cuentas)}")
    if not problemas:
        return
    if ajustes.entorno == "produccion":
        raise ArranqueInseguro(
            "No se arranca en producción con credenciales públicas: "
            + "; ".join(problemas)
            + ". Cambia esas contraseñas (arrancando con ENTORNO=desarrollo) o desactiva las "
            "cuentas, y define SECRET_KEY y PASSWORD_INICIAL propias."
        )
    for problema in problemas:
        registro.warning("¡INSEGURO! %s; no uses esta instalación en producción", problema)


def sembrar_demo(*, sesion: Session, ajustes: Ajustes, semilla: int = 7) -> int:
    """Si no hay llamadas, crea un mes de llamadas realistas ya clasificadas; devuelve cuántas."""
    if sesion.scalar(select(func.count(Llamada.id))):
        return 0
    from servicios.clasificador.local import clasificar_local

    azar = random.Random(semilla)
    primero = crud_usuario.obtener_por_email(sesion=sesion, email="agente1@example.com")
    agentes = [primero] if primero is not None else []
    for nombre, email in AGENTES_DEMO:
        agente = crud_usuario.obtener_por_email(sesion=sesion, email=email)
        if agente is None:
            hash_ = cifrar_password(ajustes.password_inicial, rondas=ajustes.bcrypt_rondas)
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
