"""Esquemas de usuarios y de inicio de sesión; ningún hash sale nunca en una respuesta."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from esquemas.comunes import Texto, enum_tolerante, texto
from modelos.enums import Rol

BYTES_MINIMOS_PASSWORD = 6
BYTES_MAXIMOS_PASSWORD = 72


def _longitud_password(valor: str) -> str:
    # bcrypt solo usa los primeros 72 bytes: más largo se rechaza en vez de truncarse en silencio.
    bytes_ = len(valor.encode("utf-8"))
    if bytes_ < BYTES_MINIMOS_PASSWORD:
        raise ValueError(f"debe tener al menos {BYTES_MINIMOS_PASSWORD} caracteres")
    if bytes_ > BYTES_MAXIMOS_PASSWORD:
        raise ValueError(f"no puede superar {BYTES_MAXIMOS_PASSWORD} bytes en UTF-8")
    return valor


Password = Annotated[Texto, AfterValidator(_longitud_password)]
Nombre = texto(strip_whitespace=True, min_length=1, max_length=120)
PasswordActual = texto(max_length=1024)
Email = Annotated[EmailStr, AfterValidator(str.lower)]
RolEntrada = enum_tolerante(Rol)


class LoginJSON(BaseModel):
    """Credenciales en JSON (además del formulario OAuth2 de Swagger)."""

    email: texto(strip_whitespace=True, min_length=1, max_length=254)
    password: texto(min_length=1, max_length=1024)


class UsuarioCrear(BaseModel):
    nombre: Nombre
    email: Email
    password: Password
    rol: RolEntrada = Rol.agente
    activo: bool = True


class UsuarioActualizar(BaseModel):
    """Cambios parciales; un usuario que cambia su propia contraseña da la actual."""

    nombre: Nombre | None = None
    email: Email | None = None
    password: Password | None = None
    password_actual: PasswordActual | None = None
    rol: RolEntrada | None = None
    activo: bool | None = None


class UsuarioReemplazar(BaseModel):
    """Cuerpo de PUT: los datos completos del usuario (la contraseña es opcional)."""

    nombre: Nombre
    email: Email
    rol: RolEntrada
    activo: bool = True
    password: Password | None = None
    password_actual: PasswordActual | None = None


class UsuarioPublico(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    nombre: str
    email: str
    rol: Rol
    activo: bool
    creado_en: datetime


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expira_en: int = Field(description="Segundos de validez del token")
    usuario: UsuarioPublico
