"""Rutas de usuarios e inicio de sesión."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from auth import AdminActual, AdminOUnoMismo, AjustesDep, SupervisorActual, UsuarioActual
from crud import usuario as crud_usuario
from database import SesionDep
from esquemas.usuario import (
    LoginJSON,
    RolEntrada,
    Token,
    UsuarioActualizar,
    UsuarioCrear,
    UsuarioPublico,
    UsuarioReemplazar,
)
from rutas import ejemplos
from rutas.comunes import IdRuta
from rutas.paginas import PaginadorDep
from rutas.respuestas import ERRORES, errores, lista_cursor
from seguridad import direccion_cliente
from servicios import usuarios as servicio
from servicios.excepciones import DatoInvalido

router = APIRouter(prefix="/api/usuarios", tags=["usuarios"], responses=errores(401, 503))

CUERPO_LOGIN = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {"type": "string", "description": "Correo electrónico"},
                        "password": {"type": "string", "format": "password"},
                    },
                },
                "examples": ejemplos.LOGIN_FORMULARIO,
            },
            "application/json": {
                "schema": LoginJSON.model_json_schema(),
                "examples": ejemplos.LOGIN_JSON,
            },
        },
    }
}


async def _leer_credenciales(request: Request) -> LoginJSON:
    tipo = request.headers.get("content-type", "")
    try:
        if tipo.startswith("application/json"):
            return LoginJSON.model_validate_json(await request.body())
        formulario = await request.form()
        return LoginJSON.model_validate(
            {
                "email": formulario.get("username") or formulario.get("email"),
                "password": formulario.get("password"),
            }
        )
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
        ) from error
    except Exception as error:  # cuerpo ilegible: multipart roto, codificación inválida
        raise DatoInvalido(
            "debe ser un formulario OAuth2 o JSON con email y password", campo="cuerpo"
        ) from error


LOGIN_SATURADO = "Demasiados inicios de sesión a la vez; reintenta en unos segundos"


@router.post(
    "/login",
    response_model=Token,
    summary="Iniciar sesión",
    openapi_extra=CUERPO_LOGIN,
    responses={
        401: {**ERRORES[401], "description": "Correo o contraseña incorrectos"},
        **errores(422, 429),
    },
)
async def login(request: Request, sesion: SesionDep, ajustes: AjustesDep) -> Token:
    """Inicia sesión con formulario OAuth2 (username, password) o JSON (email, password)."""
    credenciales = await _leer_credenciales(request)
    direccion = direccion_cliente(request, ajustes.trusted_proxies)
    iniciar = partial(
        servicio.iniciar_sesion,
        sesion=sesion,
        ajustes=ajustes,
        limitador=request.app.state.limitador_login,
        email=credenciales.email,
        password=credenciales.password,
        direccion=direccion,
    )
    # bcrypt, Redis y la base, fuera del bucle y con aforo: los logins no paran al resto.
    aforo = request.app.state.aforo_login
    async with aforo.turno(LOGIN_SATURADO, reintentar_en=ajustes.reintentar_tras_segundos):
        return await run_in_threadpool(iniciar)


@router.get("/me", response_model=UsuarioPublico, summary="Ver mis datos")
def leer_yo(usuario: UsuarioActual) -> UsuarioPublico:
    """Datos del usuario autenticado."""
    return UsuarioPublico.model_validate(usuario)


@router.get(
    "/",
    response_model=list[UsuarioPublico],
    summary="Listar usuarios",
    responses={**lista_cursor("Usuarios de la página pedida"), **errores(403, 422)},
)
def listar_usuarios(
    sesion: SesionDep,
    _: SupervisorActual,
    paginador: PaginadorDep,
    rol: Annotated[RolEntrada | None, Query(description="Filtra por rol")] = None,
    activo: bool | None = None,
    buscar: Annotated[str | None, Query(max_length=120, description="Nombre o correo")] = None,
) -> Response:
    """Lista los usuarios (supervisores y admins)."""
    pagina = crud_usuario.listar(
        sesion=sesion,
        pedido=paginador.pedido,
        rol=rol,
        activo=activo,
        buscar=buscar.replace("\x00", "") if buscar else None,
    )
    modelos = [UsuarioPublico.model_validate(u) for u in pagina.filas]
    return paginador.responder(sesion, pagina, modelos)


@router.post(
    "/",
    response_model=UsuarioPublico,
    status_code=status.HTTP_201_CREATED,
    summary="Dar de alta un usuario",
    responses=errores(403, 409, 422),
)
def crear_usuario(
    datos: Annotated[UsuarioCrear, Body(openapi_examples=ejemplos.USUARIO_CREAR)],
    sesion: SesionDep,
    ajustes: AjustesDep,
    _: AdminActual,
) -> UsuarioPublico:
    """Da de alta un usuario (solo admin)."""
    return UsuarioPublico.model_validate(
        servicio.crear(sesion=sesion, ajustes=ajustes, datos=datos)
    )


@router.get(
    "/{usuario_id}",
    response_model=UsuarioPublico,
    summary="Ver un usuario",
    responses=errores(403, 404, 422),
)
def leer_usuario(usuario_id: IdRuta, sesion: SesionDep, _: AdminOUnoMismo) -> UsuarioPublico:
    """Un usuario por id (admin, o uno mismo)."""
    return UsuarioPublico.model_validate(servicio.obtener(sesion=sesion, usuario_id=usuario_id))


def _actualizar(sesion, ajustes, actor, usuario_id: int, cambios: dict) -> UsuarioPublico:
    """PUT y PATCH comparten la regla: el servicio decide qué puede cambiar cada actor."""
    usuario = servicio.actualizar(
        sesion=sesion, ajustes=ajustes, actor=actor, usuario_id=usuario_id, cambios=cambios
    )
    return UsuarioPublico.model_validate(usuario)


@router.put(
    "/{usuario_id}",
    response_model=UsuarioPublico,
    summary="Reemplazar un usuario",
    responses=errores(403, 404, 409, 422),
)
def reemplazar_usuario(
    usuario_id: IdRuta,
    datos: Annotated[UsuarioReemplazar, Body(openapi_examples=ejemplos.USUARIO_REEMPLAZAR)],
    sesion: SesionDep,
    ajustes: AjustesDep,
    actor: AdminOUnoMismo,
) -> UsuarioPublico:
    """Reemplaza los datos de un usuario (admin; uno mismo solo nombre y contraseña)."""
    return _actualizar(sesion, ajustes, actor, usuario_id, datos.model_dump(exclude_unset=True))


@router.patch(
    "/{usuario_id}",
    response_model=UsuarioPublico,
    summary="Modificar en parte un usuario",
    responses=errores(403, 404, 409, 422),
)
def actualizar_usuario(
    usuario_id: IdRuta,
    datos: Annotated[UsuarioActualizar, Body(openapi_examples=ejemplos.USUARIO_ACTUALIZAR)],
    sesion: SesionDep,
    ajustes: AjustesDep,
    actor: AdminOUnoMismo,
) -> UsuarioPublico:
    """Cambia en parte un usuario (admin; uno mismo solo nombre y contraseña)."""
    return _actualizar(sesion, ajustes, actor, usuario_id, datos.model_dump(exclude_unset=True))


@router.delete(
    "/{usuario_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Eliminar (o desactivar) un usuario",
    responses=errores(403, 404, 409, 422),
)
def eliminar_usuario(usuario_id: IdRuta, sesion: SesionDep, actor: AdminActual) -> Response:
    """Elimina un usuario; si tiene historial se desactiva y se conservan sus llamadas."""
    servicio.eliminar(sesion=sesion, actor=actor, usuario_id=usuario_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
