"""Contraseñas (bcrypt), tokens JWT (PyJWT, HS256) y dependencias de usuario actual y rol."""

import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, TypeVar

import bcrypt
import jwt
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from config import Ajustes
from crud import usuario as crud_usuario
from crud.ejecucion_directa import ConexionEnBucle, Vigencia
from database import SesionDep
from modelos.enums import Rol
from modelos.usuario import Usuario
from observabilidad import anotar_usuario
from servicios.excepciones import ErrorDominio, NoAutenticado, SinPermiso

T = TypeVar("T")

TOKEN_CADUCADO = "El token ha caducado; inicia sesión de nuevo"

ALGORITMO = "HS256"
ROLES = frozenset(rol.value for rol in Rol)
esquema_oauth2 = OAuth2PasswordBearer(tokenUrl="/api/usuarios/login", auto_error=False)


async def obtener_ajustes_app(request: Request) -> Ajustes:
    """Ajustes con los que se creó la aplicación."""
    return request.app.state.ajustes


AjustesDep = Annotated[Ajustes, Depends(obtener_ajustes_app)]


def cifrar_password(password: str, *, rondas: int) -> str:
    """Hash bcrypt con el coste indicado."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rondas)).decode("ascii")


def verificar_password(password: str, password_hash: str) -> bool:
    """Compara en tiempo constante; una contraseña de más de 72 bytes nunca coincide."""
    datos = password.encode("utf-8")
    if len(datos) > 72:
        return False
    try:
        return bcrypt.checkpw(datos, password_hash.encode("ascii"))
    except ValueError:
        return False


@lru_cache
def hash_señuelo(rondas: int) -> str:
    """Hash con el mismo coste, para que un e-mail desconocido tarde lo mismo que uno conocido."""
    return cifrar_password("contraseña-señuelo", rondas=rondas)


def crear_token(usuario: Usuario, ajustes: Ajustes) -> str:
    """JWT firmado con sub, rol, el sello del usuario, iat y exp."""
    ahora = datetime.now(UTC)
    datos = {
        "sub": str(usuario.id),
        "rol": usuario.rol.value,
        "sello": usuario.sello,
        "iat": ahora,
        "exp": ahora + timedelta(minutes=ajustes.minutos_token),
    }
    return jwt.encode(datos, ajustes.secret_key, algorithm=ALGORITMO)


# Firmas ya comprobadas: el mismo token (la misma cadena, con su firma) se verifica una vez por
# proceso; el plazo se mira en cada petición y la vigencia del usuario se lee de la base igual.
TOKENS_VERIFICADOS = 4096


@lru_cache(maxsize=TOKENS_VERIFICADOS)
def _verificar_firma(token: str, secreto: str) -> tuple[int, str, float, str | None]:
    """(id, sello, exp, rol) de un token con firma y campos válidos; una excepción de PyJWT (que
    no se guarda) si no. Algoritmo fijo (rechaza alg=none) y exp obligatorio."""
    datos = jwt.decode(
        token, secreto, algorithms=[ALGORITMO], options={"require": ["exp", "sub", "sello"]}
    )
    sello, rol = datos["sello"], datos.get("rol")
    if not isinstance(sello, str):
        raise TypeError("sello")
    rol = rol if rol in ROLES else None
    return int(datos["sub"]), sello, float(datos["exp"]), rol


def _decodificar(token: str, ajustes: Ajustes) -> tuple[int, str, str | None]:
    try:
        usuario_id, sello, caduca, rol = _verificar_firma(token, ajustes.secret_key)
    except jwt.ExpiredSignatureError as error:
        raise NoAutenticado(TOKEN_CADUCADO) from error
    except (jwt.InvalidTokenError, ValueError, TypeError) as error:
        raise NoAutenticado("Token inválido") from error
    if caduca <= time.time():  # el mismo criterio que PyJWT, también para los ya verificados
        raise NoAutenticado(TOKEN_CADUCADO)
    return usuario_id, sello, rol


def decodificar_token(token: str, ajustes: Ajustes) -> tuple[int, str]:
    """Id y sello del token; algoritmo fijo (rechaza alg=none) y exp obligatorio."""
    usuario_id, sello, _rol = _decodificar(token, ajustes)
    return usuario_id, sello


def _credencial(token: str | None, ajustes: Ajustes) -> tuple[int, str, str | None]:
    if not token:
        raise NoAutenticado("Falta el token: envía 'Authorization: Bearer <token>'")
    return _decodificar(token, ajustes)


def _comprobar_vigencia(*, activo: bool, guardado: str, sello: str) -> None:
    """Una baja o un sello renovado (contraseña, rol o cuenta cambiados) invalidan el token."""
    if not activo:
        raise NoAutenticado("El usuario del token no existe o está desactivado")
    if not hmac.compare_digest(guardado.encode(), sello.encode()):
        raise NoAutenticado("El token ya no es válido: la cuenta cambió; inicia sesión de nuevo")


def usuario_del_token(*, sesion: Session, ajustes: Ajustes, token: str | None) -> Usuario:
    """Usuario del token, leído de la base: una baja o un sello renovado lo invalidan al momento."""
    usuario_id, sello, _rol = _credencial(token, ajustes)
    usuario = crud_usuario.obtener(sesion=sesion, usuario_id=usuario_id)
    _comprobar_vigencia(
        activo=usuario is not None and usuario.activo,
        guardado=usuario.sello if usuario is not None else "",
        sello=sello,
    )
    anotar_usuario(usuario.id)
    return usuario


@dataclass(frozen=True, slots=True)
class Credencial:
    """Lo que dice un token con firma y plazo válidos, antes de mirar la base."""

    usuario_id: int
    sello: str
    rol: str | None  # el de cuando se emitió (un cambio de rol renueva el sello)


@dataclass(frozen=True, slots=True)
class Acceso:
    """El usuario de una credencial que sigue vigente: su id y su rol, sin objeto del ORM."""

    id: int
    rol: Rol


class PortadorCredencial(OAuth2PasswordBearer):
    """El mismo esquema OAuth2 de la documentación que `esquema_oauth2`, que además comprueba
    firma y plazo del token, en el bucle (no toca la base): la vigencia se comprueba luego con
    `comprobar_acceso`, con la misma conexión que la consulta de la ruta. Una sola dependencia
    (antes tres: ajustes, esquema y credencial, que FastAPI resolvía en cada petición)."""

    async def __call__(self, request: Request) -> Credencial:
        token = await super().__call__(request)
        return Credencial(*_credencial(token, request.app.state.ajustes))


credencial_de_la_peticion = PortadorCredencial(
    tokenUrl="/api/usuarios/login", auto_error=False, scheme_name="OAuth2PasswordBearer"
)


def comprobar_acceso(conexion: Connection, credencial: Credencial) -> Acceso:
    """Lee el usuario de la credencial en cada petición (como `usuario_del_token`): una baja, un
    cambio de contraseña o de rol invalidan el token al momento, en todos los procesos."""
    fila = crud_usuario.acceso(conexion=conexion, usuario_id=credencial.usuario_id)
    usuario_id, rol, activo, guardado = fila if fila is not None else (0, "", False, "")
    _comprobar_vigencia(activo=bool(activo), guardado=guardado, sello=credencial.sello)
    anotar_usuario(usuario_id)
    return Acceso(id=usuario_id, rol=Rol(rol))


def acceso_supuesto(credencial: Credencial) -> Acceso | None:
    """El acceso que da el token si sigue vigente (su id y el rol con el que se emitió), para
    leer la página a la vez que la vigencia (`leer_con_vigencia`); None si el token no trae rol.
    No deja pasar nada por sí solo: hay que comprobar la vigencia leída."""
    if credencial.rol is None:
        return None
    return Acceso(id=credencial.usuario_id, rol=Rol(credencial.rol))


def _comprobar_vigencia_leida(credencial: Credencial, sello: str | None, rol: str | None) -> bool:
    """Lo mismo que `comprobar_acceso` con el sello y el rol leídos en la sentencia de la página
    (None los dos si el usuario no existe o está desactivado). False si el rol ya no es el del
    token (cambiado fuera de la API, sin renovar el sello): la página se vuelve a leer con
    `comprobar_acceso`, que usa el de la base, como en cualquier otra petición."""
    _comprobar_vigencia(activo=sello is not None, guardado=sello or "", sello=credencial.sello)
    anotar_usuario(credencial.usuario_id)
    return rol == credencial.rol


def leer_con_vigencia(
    conexion: ConexionEnBucle,
    credencial: Credencial,
    leer: Callable[[ConexionEnBucle, Acceso], T],
) -> T:
    """Desde el bucle de PostgreSQL: `leer` con el acceso que dice el token, pidiendo la
    vigencia del token en la misma sentencia que la página (crud/paginacion.py: una ida y vuelta
    por página, no dos); nada sale sin comprobarla. Si no se leyó (página vacía, otra lectura) o
    `leer` dio un error de la petición (un filtro de otro agente, un periodo al revés), se lee
    aparte, antes del error: un token revocado da 401 y no otro. Con otro rol en la base, se
    relee con el de la base."""
    supuesto = acceso_supuesto(credencial)
    if supuesto is None:
        return leer(conexion, comprobar_acceso(conexion, credencial))
    vigencia = conexion.vigencia = Vigencia(credencial.usuario_id)
    try:
        resultado = leer(conexion, supuesto)
    except ErrorDominio:
        comprobar_acceso(conexion, credencial)
        raise
    conexion.vigencia = None
    if vigencia.leida is not None:
        if _comprobar_vigencia_leida(credencial, *vigencia.leida):
            return resultado
    elif comprobar_acceso(conexion, credencial) == supuesto:
        return resultado
    return leer(conexion, comprobar_acceso(conexion, credencial))


CredencialDep = Annotated[Credencial, Depends(credencial_de_la_peticion)]


def obtener_usuario_actual(
    sesion: SesionDep,
    ajustes: AjustesDep,
    token: Annotated[str | None, Depends(esquema_oauth2)],
) -> Usuario:
    """Usuario del token de la cabecera Authorization."""
    return usuario_del_token(sesion=sesion, ajustes=ajustes, token=token)


UsuarioActual = Annotated[Usuario, Depends(obtener_usuario_actual)]


def requiere_rol(*roles: str) -> Callable[[Usuario], Awaitable[Usuario]]:
    """Dependencia que deja pasar solo a los roles indicados (403 al resto)."""
    permitidos = {Rol(r) for r in roles}

    async def _verificar(usuario: UsuarioActual) -> Usuario:
        if usuario.rol not in permitidos:
            nombres = ", ".join(sorted(r.value for r in permitidos))
            raise SinPermiso(f"Permiso denegado: esta operación requiere el rol {nombres}")
        return usuario

    _verificar.roles = frozenset(r.value for r in permitidos)  # type: ignore[attr-defined]
    return _verificar


async def obtener_admin_o_uno_mismo(request: Request, usuario: UsuarioActual) -> Usuario:
    """Deja pasar a un admin o al propio usuario de la ruta (antes de validar el cuerpo)."""
    if usuario.rol != Rol.admin and request.path_params.get("usuario_id") != str(usuario.id):
        raise SinPermiso(
            "Permiso denegado: solo un administrador puede ver o cambiar otros usuarios"
        )
    return usuario


AdminOUnoMismo = Annotated[Usuario, Depends(obtener_admin_o_uno_mismo)]
SupervisorActual = Annotated[Usuario, Depends(requiere_rol("supervisor", "admin"))]
AdminActual = Annotated[Usuario, Depends(requiere_rol("admin"))]
