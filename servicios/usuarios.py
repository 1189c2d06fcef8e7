"""Casos de uso de usuarios: alta, cambios, baja e inicio de sesión."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth import cifrar_password, crear_token, hash_señuelo, verificar_password
from config import Ajustes
from crud import usuario as crud_usuario
from esquemas.usuario import Token, UsuarioCrear, UsuarioPublico
from modelos.enums import Rol
from modelos.usuario import Usuario, nuevo_sello
from servicios import auditoria
from servicios.excepciones import (
    Conflicto,
    DatoInvalido,
    DemasiadosIntentos,
    NoAutenticado,
    NoEncontrado,
    SinPermiso,
    YaExiste,
)
from servicios.limitador import LimitadorLogin

CREDENCIALES_INCORRECTAS = "Correo o contraseña incorrectos"
CAMPOS_PROPIOS = {"nombre", "password", "password_actual"}
# Cambiar cualquiera de estos renueva el sello: los tokens emitidos antes dejan de valer.
CAMPOS_DE_ACCESO = {"email", "rol", "activo"}


def iniciar_sesion(
    *,
    sesion: Session,
    ajustes: Ajustes,
    limitador: LimitadorLogin,
    email: str,
    password: str,
    direccion: str,
) -> Token:
    """Valida credenciales con la misma respuesta y el mismo coste para e-mail o clave erróneos."""
    email = email.strip().lower()
    espera = limitador.segundos_bloqueado(email, direccion)
    if espera:
        auditoria.login_fallido(sesion=sesion, email=email, usuario=None, bloqueado=True)
        raise DemasiadosIntentos(
            f"Demasiados intentos fallidos; vuelve a intentarlo en {espera} s", reintentar_en=espera
        )
    usuario = crud_usuario.obtener_por_email(sesion=sesion, email=email)
    hash_guardado = usuario.password_hash if usuario else hash_señuelo(ajustes.bcrypt_rondas)
    correcta = verificar_password(password, hash_guardado)
    if usuario is None or not correcta or not usuario.activo:
        limitador.registrar_fallo(email, direccion)
        auditoria.login_fallido(sesion=sesion, email=email, usuario=usuario)
        raise NoAutenticado(CREDENCIALES_INCORRECTAS)
    limitador.limpiar(email, direccion)
    auditoria.login_correcto(sesion=sesion, usuario=usuario)
    return Token(
        access_token=crear_token(usuario, ajustes),
        expira_en=ajustes.minutos_token * 60,
        usuario=UsuarioPublico.model_validate(usuario),
    )


def obtener(*, sesion: Session, usuario_id: int) -> Usuario:
    usuario = crud_usuario.obtener(sesion=sesion, usuario_id=usuario_id)
    if usuario is None:
        raise NoEncontrado(f"Usuario {usuario_id} no encontrado")
    return usuario


def _email_libre(sesion: Session, email: str, excepto: int | None = None) -> None:
    existente = crud_usuario.obtener_por_email(sesion=sesion, email=email)
    if existente is not None and existente.id != excepto:
        raise YaExiste(f"Ya existe un usuario con el correo {email}")


def crear(*, sesion: Session, ajustes: Ajustes, datos: UsuarioCrear) -> Usuario:
    _email_libre(sesion, datos.email)
    usuario = crud_usuario.crear(
        sesion=sesion,
        nombre=datos.nombre,
        email=datos.email,
        password_hash=cifrar_password(datos.password, rondas=ajustes.bcrypt_rondas),
        rol=datos.rol,
        activo=datos.activo,
    )
    auditoria.usuario_creado(sesion=sesion, usuario=usuario)
    _confirmar(sesion, datos.email)
    return usuario


def actualizar(
    *, sesion: Session, ajustes: Ajustes, actor: Usuario, usuario_id: int, cambios: dict
) -> Usuario:
    """Un admin cambia a cualquiera; el resto solo su nombre y su contraseña."""
    usuario = obtener(sesion=sesion, usuario_id=usuario_id)
    # Un PUT reenvía los datos completos: lo que no cambia no cuenta como cambio.
    cambios = {
        campo: valor
        for campo, valor in cambios.items()
        if campo in ("password", "password_actual") or getattr(usuario, campo) != valor
    }
    es_admin = actor.rol == Rol.admin
    if not es_admin and actor.id != usuario.id:
        raise SinPermiso("Permiso denegado: solo un administrador puede cambiar a otros usuarios")
    if not es_admin and set(cambios) - CAMPOS_PROPIOS:
        ajenos = ", ".join(sorted(set(cambios) - CAMPOS_PROPIOS))
        raise SinPermiso(f"Permiso denegado: solo un administrador puede cambiar {ajenos}")
    se_degrada = cambios.get("rol", Rol.admin) != Rol.admin or cambios.get("activo") is False
    if es_admin and actor.id == usuario.id and se_degrada:
        raise Conflicto("Un administrador no puede quitarse el rol ni desactivarse a sí mismo")
    password_actual = cambios.pop("password_actual", None)
    nueva = cambios.pop("password", None)
    if nueva is not None:
        if actor.id == usuario.id and not verificar_password(
            password_actual or "", usuario.password_hash
        ):
            raise DatoInvalido("la contraseña actual no es correcta", campo="password_actual")
        usuario.password_hash = cifrar_password(nueva, rondas=ajustes.bcrypt_rondas)
    for campo, valor in cambios.items():
        if valor is None:
            raise DatoInvalido("no puede ser nulo", campo=campo)
    if "email" in cambios:
        _email_libre(sesion, cambios["email"], excepto=usuario.id)
    auditoria.usuario_cambiado(
        sesion=sesion, usuario=usuario, cambios=cambios, password_cambiada=nueva is not None
    )
    for campo, valor in cambios.items():
        setattr(usuario, campo, valor)
    if nueva is not None or CAMPOS_DE_ACCESO & set(cambios):
        usuario.sello = nuevo_sello()
    _confirmar(sesion, cambios.get("email", usuario.email))
    return usuario


def eliminar(*, sesion: Session, actor: Usuario, usuario_id: int) -> bool:
    """Borra al usuario o, si tiene historial, lo desactiva; devuelve True si se borró."""
    usuario = obtener(sesion=sesion, usuario_id=usuario_id)
    if usuario.id == actor.id:
        raise Conflicto("Un administrador no puede eliminarse a sí mismo")
    if crud_usuario.tiene_historial(sesion=sesion, usuario_id=usuario.id):
        auditoria.usuario_eliminado(sesion=sesion, usuario=usuario, desactivado=True)
        usuario.activo = False
        usuario.sello = nuevo_sello()
        sesion.commit()
        return False
    auditoria.usuario_eliminado(sesion=sesion, usuario=usuario, desactivado=False)
    crud_usuario.eliminar(sesion=sesion, usuario=usuario)
    sesion.commit()
    return True


def _confirmar(sesion: Session, email: str) -> None:
    # Dos altas simultáneas con el mismo correo: la restricción única decide y se responde 409.
    try:
        sesion.commit()
    except IntegrityError as error:
        sesion.rollback()
        raise YaExiste(f"Ya existe un usuario con el correo {email}") from error
