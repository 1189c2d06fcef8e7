"""Rutas de llamadas: registro, historial, cambios y borrado."""

from typing import Annotated

from fastapi import APIRouter, Body, Header, Path, Request, Response, status
from pydantic import Field, TypeAdapter
from sqlalchemy import Connection

from auth import Acceso, AjustesDep, Credencial, CredencialDep, SupervisorActual, UsuarioActual
from crud.llamada import SIN_CLASIFICAR, FiltrosLlamadas
from crud.paginacion import PaginaFilas
from database import SesionDep
from esquemas.clasificacion_ia import contexto_revisar
from esquemas.comunes import FechaUTC, normalizar_enum
from esquemas.llamada import (
    FilaLlamada,
    LlamadaActualizar,
    LlamadaCrear,
    LlamadaDetalle,
    LlamadaPublica,
    NumeroCliente,
    Resultado,
    Tipo,
)
from modelos.enums import Categoria
from rutas import ejemplos
from rutas.comunes import IdRuta
from rutas.consulta import consulta_con, parametros_openapi
from rutas.paginas import ConsultaPagina, Paginador, PaginadorDep, pagina_en_turno, paginador_de
from rutas.respuestas import errores, lista_cursor
from rutas.ruta_ligera import RutaLigera
from servicios import idempotencia
from servicios import llamadas as servicio
from servicios.excepciones import DatoInvalido

router = APIRouter(
    prefix="/api/llamadas", tags=["llamadas"], responses=errores(401, 503), route_class=RutaLigera
)

CATEGORIAS_FILTRO = [c.value for c in Categoria] + [SIN_CLASIFICAR]
ClaveIdempotencia = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Clave única del alta (p. ej. un UUID): reintentar con la misma clave y el "
        "mismo cuerpo devuelve la llamada ya creada (cabecera Idempotent-Replayed: true).",
    ),
]


def _categoria(valor: str | None) -> str | None:
    if valor is None:
        return None
    canonica = normalizar_enum(valor).replace(" ", "_")
    if canonica not in CATEGORIAS_FILTRO:
        raise DatoInvalido(
            f"valor no válido; se admite: {', '.join(CATEGORIAS_FILTRO)}",
            campo="categoria",
            ubicacion="query",
            tipo="enum",
        )
    return canonica


_PAGINA = TypeAdapter(list[FilaLlamada])  # filas crudas de Core; sale como LlamadaPublica
_COLUMNAS = list(LlamadaPublica.model_fields)


async def _responder_pagina(
    request: Request, credencial: Credencial, paginador: Paginador, filtros: FiltrosLlamadas
) -> Response:
    def _leer(conexion: Connection, actor: Acceso) -> PaginaFilas:
        return servicio.listar(
            conexion=conexion,
            actor=actor,
            filtros=filtros,
            pedido=paginador.pedido,
            columnas=_COLUMNAS,
        )

    periodo = (filtros.desde, filtros.hasta)
    return await pagina_en_turno(
        request, credencial, paginador, _leer, salida=_PAGINA, columnas=_COLUMNAS, periodo=periodo
    )


class ConsultaLlamadas(ConsultaPagina):
    """Filtros y página de la lista de llamadas, validados de una vez (rutas/consulta.py)."""

    usuario_id: int | None = Field(None, ge=1, le=2_147_483_647)
    numero_cliente: NumeroCliente | None = None
    tipo: Tipo | None = None
    resultado: Resultado | None = None
    categoria: str | None = Field(
        None, max_length=20, description="venta, soporte, reclamo o sin_clasificar"
    )
    desde: FechaUTC | None = Field(None, description="ISO 8601, inclusive")
    hasta: FechaUTC | None = Field(None, description="ISO 8601, inclusive")


@router.get(
    "/",
    response_model=list[LlamadaPublica],
    summary="Listar llamadas",
    responses={**lista_cursor("Llamadas de la página pedida"), **errores(403, 422)},
    openapi_extra=parametros_openapi(ConsultaLlamadas),
)
async def listar_llamadas(
    request: Request,
    credencial: CredencialDep,
    consulta: Annotated[ConsultaLlamadas, consulta_con(ConsultaLlamadas)],
) -> Response:
    """Lista las llamadas, las más recientes primero; un agente solo ve las suyas."""
    filtros = FiltrosLlamadas(
        usuario_id=consulta.usuario_id,
        numero_cliente=consulta.numero_cliente,
        tipo=consulta.tipo,
        resultado=consulta.resultado,
        categoria=_categoria(consulta.categoria),
        desde=consulta.desde,
        hasta=consulta.hasta,
    )
    return await _responder_pagina(request, credencial, paginador_de(request, consulta), filtros)


@router.post(
    "/",
    response_model=LlamadaPublica,
    status_code=status.HTTP_201_CREATED,
    summary="Registrar una llamada",
    responses={
        **errores(403, 422),
        409: {
            **errores(409)[409],
            "description": "La Idempotency-Key ya se usó con otro cuerpo",
        },
    },
)
def crear_llamada(
    datos: Annotated[LlamadaCrear, Body(openapi_examples=ejemplos.LLAMADA_CREAR)],
    sesion: SesionDep,
    actor: UsuarioActual,
    respuesta: Response,
    ajustes: AjustesDep,
    clave: ClaveIdempotencia = None,
) -> LlamadaPublica:
    """Registra una llamada (con notas, se clasifica en segundo plano); admite Idempotency-Key."""
    if clave is None:
        llamada = servicio.crear(sesion=sesion, actor=actor, datos=datos, ajustes=ajustes)
    else:
        llamada, repetida = idempotencia.crear_llamada(
            sesion=sesion, actor=actor, datos=datos, clave=clave, ajustes=ajustes
        )
        if repetida:
            respuesta.headers["Idempotent-Replayed"] = "true"
    return LlamadaPublica.model_validate(llamada)


@router.get(
    "/usuario/{usuario_id}",
    response_model=list[LlamadaPublica],
    summary="Historial de llamadas de un agente",
    responses={
        **lista_cursor("Llamadas del agente, las más recientes primero"),
        **errores(403, 422),
    },
)
async def listar_llamadas_de_usuario(
    request: Request,
    usuario_id: IdRuta,
    credencial: CredencialDep,
    paginador: PaginadorDep,
) -> Response:
    """Historial de llamadas de un agente (un agente solo el suyo)."""
    return await _responder_pagina(
        request, credencial, paginador, FiltrosLlamadas(usuario_id=usuario_id)
    )


@router.get(
    "/cliente/{numero_cliente}",
    response_model=list[LlamadaPublica],
    summary="Historial de llamadas de un cliente",
    responses={**lista_cursor("Llamadas del cliente, las más recientes primero"), **errores(422)},
)
async def listar_llamadas_de_cliente(
    request: Request,
    numero_cliente: Annotated[NumeroCliente, Path()],
    credencial: CredencialDep,
    paginador: PaginadorDep,
) -> Response:
    """Historial de un cliente por su número (un agente solo ve sus propias llamadas)."""
    filtros = FiltrosLlamadas(numero_cliente=numero_cliente)
    return await _responder_pagina(request, credencial, paginador, filtros)


@router.get(
    "/{llamada_id}",
    response_model=LlamadaDetalle,
    summary="Ver una llamada con su clasificación",
    responses=errores(403, 404, 422),
)
def leer_llamada(
    llamada_id: IdRuta, sesion: SesionDep, actor: UsuarioActual, ajustes: AjustesDep
) -> LlamadaDetalle:
    """Una llamada con su clasificación de IA, si la tiene."""
    llamada = servicio.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    return LlamadaDetalle.model_validate(
        llamada, context=contexto_revisar(ajustes.confianza_revisar)
    )


@router.put(
    "/{llamada_id}",
    response_model=LlamadaPublica,
    summary="Reemplazar una llamada",
    responses=errores(403, 404, 422),
)
def reemplazar_llamada(
    llamada_id: IdRuta,
    datos: Annotated[LlamadaCrear, Body(openapi_examples=ejemplos.LLAMADA_CREAR)],
    sesion: SesionDep,
    actor: UsuarioActual,
    ajustes: AjustesDep,
) -> LlamadaPublica:
    """Reemplaza los datos de una llamada (el agente, solo las suyas)."""
    cambios = datos.model_dump(exclude={"usuario_id"} if datos.usuario_id is None else set())
    if cambios["fecha_hora"] is None:
        cambios.pop("fecha_hora")
    llamada = servicio.actualizar(
        sesion=sesion, actor=actor, llamada_id=llamada_id, cambios=cambios, ajustes=ajustes
    )
    return LlamadaPublica.model_validate(llamada)


@router.patch(
    "/{llamada_id}",
    response_model=LlamadaPublica,
    summary="Modificar en parte una llamada",
    responses=errores(403, 404, 422),
)
def actualizar_llamada(
    llamada_id: IdRuta,
    datos: Annotated[LlamadaActualizar, Body(openapi_examples=ejemplos.LLAMADA_ACTUALIZAR)],
    sesion: SesionDep,
    actor: UsuarioActual,
    ajustes: AjustesDep,
) -> LlamadaPublica:
    """Cambia en parte una llamada (el agente, solo las suyas)."""
    llamada = servicio.actualizar(
        sesion=sesion,
        actor=actor,
        llamada_id=llamada_id,
        cambios=datos.model_dump(exclude_unset=True),
        ajustes=ajustes,
    )
    return LlamadaPublica.model_validate(llamada)


@router.delete(
    "/{llamada_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Borrar una llamada",
    responses=errores(403, 404, 422),
)
def eliminar_llamada(
    llamada_id: IdRuta, sesion: SesionDep, _: SupervisorActual, ajustes: AjustesDep
) -> Response:
    """Borra una llamada con su clasificación y su grabación (supervisores y admins)."""
    servicio.eliminar(sesion=sesion, llamada_id=llamada_id, grabaciones_dir=ajustes.grabaciones_dir)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
