"""Rutas de clasificación con IA: clasificar llamadas o texto libre y consultar resultados."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter
from sqlalchemy import Connection

from auth import Acceso, AjustesDep, CredencialDep, SupervisorActual, UsuarioActual
from config import Ajustes
from crud.clasificacion_ia import FiltrosClasificaciones
from crud.paginacion import PaginaFilas
from database import SesionDep, liberar_conexion
from esquemas.clasificacion_ia import (
    AcuerdoClasificador,
    ClasificacionPublica,
    ClasificarLlamada,
    ClasificarTexto,
    ClasificarTextoAlias,
    CorregirClasificacion,
    ResultadoTexto,
    contexto_revisar,
)
from esquemas.comunes import FechaUTC, enum_tolerante
from modelos.enums import Categoria, MotorIA
from rutas import ejemplos
from rutas.comunes import IdRuta
from rutas.paginas import PaginadorDep, pagina_en_turno
from rutas.respuestas import errores, lista_cursor
from servicios import clasificaciones as servicio
from servicios import correcciones as servicio_correcciones

router = APIRouter(
    prefix="/api/clasificaciones-ia", tags=["clasificaciones-ia"], responses=errores(401, 503)
)

CategoriaFiltro = enum_tolerante(Categoria)
MotorFiltro = enum_tolerante(MotorIA)


def _texto_acotado(texto: str | None, campo: str, ajustes: Ajustes) -> str:
    """El texto, o un 422 que nombra el campo si falta o pasa de TEXTO_MAX_CARACTERES."""
    if texto is None:
        error = {"type": "missing", "loc": ("body", campo), "msg": "Field required"}
        raise RequestValidationError([error])
    maximo = ajustes.texto_max_caracteres
    if len(texto) > maximo:
        error = {
            "type": "string_too_long",
            "loc": ("body", campo),
            "msg": f"String should have at most {maximo} characters",
            "ctx": {"max_length": maximo},
        }
        raise RequestValidationError([error])
    return texto


def _resultado(texto: str, ajustes: Ajustes) -> ResultadoTexto:
    clasificado = servicio.clasificar_texto_libre(texto, ajustes=ajustes)
    return ResultadoTexto.model_validate(
        clasificado, from_attributes=True, context=contexto_revisar(ajustes.confianza_revisar)
    )


def publicar(clasificacion: object, ajustes: Ajustes) -> ClasificacionPublica:
    """Salida pública con `revisar` según el umbral CONFIANZA_REVISAR de la aplicación."""
    return ClasificacionPublica.model_validate(
        clasificacion, context=contexto_revisar(ajustes.confianza_revisar)
    )


@router.post(
    "/",
    response_model=ClasificacionPublica,
    status_code=status.HTTP_201_CREATED,
    summary="Clasificar una llamada guardada",
    responses={
        200: {"model": ClasificacionPublica, "description": "Reclasificada: reemplaza la anterior"},
        **errores(403, 404, 422),
    },
)
def clasificar_llamada(
    datos: Annotated[ClasificarLlamada, Body(openapi_examples=ejemplos.CLASIFICAR_LLAMADA)],
    sesion: SesionDep,
    actor: UsuarioActual,
    ajustes: AjustesDep,
    respuesta: Response,
) -> ClasificacionPublica:
    """Clasifica una llamada guardada por sus notas y campos; reclasificar reemplaza (200)."""
    clasificacion, creada = servicio.clasificar_llamada(
        sesion=sesion, actor=actor, llamada_id=datos.llamada_id, ajustes=ajustes
    )
    if not creada:
        respuesta.status_code = status.HTTP_200_OK
    return publicar(clasificacion, ajustes)


@router.post(
    "/texto",
    response_model=ResultadoTexto,
    summary="Clasificar un texto libre",
    responses=errores(422),
)
def clasificar_texto(
    datos: Annotated[ClasificarTexto, Body(openapi_examples=ejemplos.CLASIFICAR_TEXTO)],
    _: UsuarioActual,
    sesion: SesionDep,
    ajustes: AjustesDep,
) -> ResultadoTexto:
    """Clasifica un texto libre sin guardar nada."""
    texto = _texto_acotado(datos.texto, "texto", ajustes)
    liberar_conexion(sesion)  # el usuario ya está leído: el LLM no retiene una conexión
    return _resultado(texto, ajustes)


@router.post(
    "/clasificar-texto",
    response_model=ResultadoTexto,
    summary="Clasificar un texto libre (ruta original)",
    responses=errores(422),
)
def clasificar_texto_alias(
    datos: Annotated[ClasificarTextoAlias, Body(openapi_examples=ejemplos.CLASIFICAR_TEXTO_ALIAS)],
    _: UsuarioActual,
    sesion: SesionDep,
    ajustes: AjustesDep,
) -> ResultadoTexto:
    """Alias del endpoint original: acepta `descripcion` o `texto`; no guarda nada."""
    campo = "texto" if datos.texto is not None or datos.descripcion is None else "descripcion"
    texto = _texto_acotado(datos.texto if campo == "texto" else datos.descripcion, campo, ajustes)
    liberar_conexion(sesion)
    return _resultado(texto, ajustes)


_PAGINA = TypeAdapter(list[ClasificacionPublica])
_COLUMNAS = [c for c in ClasificacionPublica.model_fields if c != "revisar"]


@router.get(
    "/",
    response_model=list[ClasificacionPublica],
    summary="Listar clasificaciones",
    responses={**lista_cursor("Clasificaciones de la página pedida"), **errores(403, 422)},
)
async def listar_clasificaciones(
    request: Request,
    credencial: CredencialDep,
    paginador: PaginadorDep,
    ajustes: AjustesDep,
    categoria: Annotated[CategoriaFiltro | None, Query()] = None,
    motor: Annotated[MotorFiltro | None, Query()] = None,
    confianza_minima: Annotated[float | None, Query(ge=0, le=1)] = None,
    revisar: Annotated[
        bool | None, Query(description="true: solo las de confianza bajo CONFIANZA_REVISAR")
    ] = None,
    usuario_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    desde: Annotated[FechaUTC | None, Query(description="Fecha de la llamada, inclusive")] = None,
    hasta: Annotated[FechaUTC | None, Query(description="Fecha de la llamada, inclusive")] = None,
) -> Response:
    """Lista clasificaciones, de las llamadas más recientes primero; un agente, las suyas."""
    umbral = ajustes.confianza_revisar
    if revisar is False:
        confianza_minima = max(confianza_minima or 0.0, umbral)
    filtros = FiltrosClasificaciones(
        usuario_id=usuario_id,
        categoria=categoria,
        motor=motor,
        confianza_minima=confianza_minima,
        confianza_menor_que=umbral if revisar else None,
        desde=desde,
        hasta=hasta,
    )

    def _leer(conexion: Connection, actor: Acceso) -> PaginaFilas:
        pedido = paginador.pedido
        return servicio.listar(
            conexion=conexion, actor=actor, filtros=filtros, pedido=pedido, columnas=_COLUMNAS
        )

    return await pagina_en_turno(
        request,
        credencial,
        paginador,
        _leer,
        salida=_PAGINA,
        columnas=_COLUMNAS,
        periodo=(desde, hasta),
        contexto=contexto_revisar(umbral),
    )


@router.get(
    "/acuerdo",
    response_model=AcuerdoClasificador,
    summary="Acuerdo entre el clasificador y las personas",
    responses=errores(403, 422),
)
def acuerdo_con_personas(
    sesion: SesionDep,
    _: SupervisorActual,
    usuario_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    desde: Annotated[FechaUTC | None, Query(description="Fecha de la llamada, inclusive")] = None,
    hasta: Annotated[FechaUTC | None, Query(description="Fecha de la llamada, inclusive")] = None,
) -> AcuerdoClasificador:
    """Acuerdo entre el clasificador y las correcciones humanas, por categoría y periodo."""
    return servicio_correcciones.acuerdo(
        sesion=sesion, desde=desde, hasta=hasta, usuario_id=usuario_id
    )


@router.patch(
    "/{clasificacion_id}",
    response_model=ClasificacionPublica,
    summary="Corregir una clasificación",
    responses=errores(403, 404, 422),
)
def corregir_clasificacion(
    clasificacion_id: IdRuta,
    datos: Annotated[CorregirClasificacion, Body(openapi_examples=ejemplos.CORREGIR)],
    sesion: SesionDep,
    actor: UsuarioActual,
    ajustes: AjustesDep,
) -> ClasificacionPublica:
    """Corrige la categoría (supervisión, o el agente en sus llamadas); la original se conserva."""
    clasificacion = servicio_correcciones.corregir(
        sesion=sesion, actor=actor, clasificacion_id=clasificacion_id, datos=datos
    )
    return publicar(clasificacion, ajustes)


@router.get(
    "/llamada/{llamada_id}",
    response_model=ClasificacionPublica,
    summary="Clasificación de una llamada",
    responses=errores(403, 404, 422),
)
def leer_clasificacion_de_llamada(
    llamada_id: IdRuta, sesion: SesionDep, actor: UsuarioActual, ajustes: AjustesDep
) -> ClasificacionPublica:
    """La clasificación de una llamada (404 si aún no tiene)."""
    clasificacion = servicio.obtener_de_llamada(sesion=sesion, actor=actor, llamada_id=llamada_id)
    return publicar(clasificacion, ajustes)


@router.get(
    "/{clasificacion_id}",
    response_model=ClasificacionPublica,
    summary="Ver una clasificación",
    responses=errores(403, 404, 422),
)
def leer_clasificacion(
    clasificacion_id: IdRuta, sesion: SesionDep, actor: UsuarioActual, ajustes: AjustesDep
) -> ClasificacionPublica:
    """Una clasificación por su id."""
    clasificacion = servicio.obtener(sesion=sesion, actor=actor, clasificacion_id=clasificacion_id)
    return publicar(clasificacion, ajustes)
