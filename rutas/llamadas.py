"""Rutas de llamadas: registro, historial, cambios y borrado."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request, Response, status

from auth import AjustesDep, SupervisorActual, UsuarioActual
from crud.llamada import SIN_CLASIFICAR, FiltrosLlamadas
from database import SesionDep
from esquemas.clasificacion_ia import contexto_revisar
from esquemas.comunes import FechaUTC, normalizar_enum
from esquemas.llamada import (
    LlamadaActualizar,
    LlamadaCrear,
    LlamadaDetalle,
    LlamadaPublica,
    NumeroCliente,
    Resultado,
    Tipo,
)
from modelos.enums import Categoria
from rutas.clasificaciones_ia import DescripcionPrevia, programar_clasificacion
from rutas.comunes import IdRuta, PaginaDep, poner_total
from servicios import llamadas as servicio
from servicios.excepciones import DatoInvalido

router = APIRouter(prefix="/api/llamadas", tags=["llamadas"])

CATEGORIAS_FILTRO = [c.value for c in Categoria] + [SIN_CLASIFICAR]


def _categoria(valor: str | None) -> str | None:
    if valor is None:
        return None
    canonica = normalizar_enum(valor).replace(" ", "_")
    if canonica not in CATEGORIAS_FILTRO:
        raise DatoInvalido(f"categoria: valor no válido; se admite: {', '.join(CATEGORIAS_FILTRO)}")
    return canonica


def _listar(
    sesion, actor, respuesta: Response, pagina, filtros: FiltrosLlamadas
) -> list[LlamadaPublica]:
    if filtros.desde and filtros.hasta and filtros.desde > filtros.hasta:
        raise DatoInvalido("desde: debe ser anterior o igual a hasta")
    llamadas, total = servicio.listar(
        sesion=sesion, actor=actor, filtros=filtros, skip=pagina.skip, limit=pagina.limit
    )
    poner_total(respuesta, total)
    return [LlamadaPublica.model_validate(ll) for ll in llamadas]


@router.get("/", response_model=list[LlamadaPublica])
def listar_llamadas(
    sesion: SesionDep,
    actor: UsuarioActual,
    respuesta: Response,
    pagina: PaginaDep,
    usuario_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    numero_cliente: Annotated[NumeroCliente | None, Query()] = None,
    tipo: Annotated[Tipo | None, Query()] = None,
    resultado: Annotated[Resultado | None, Query()] = None,
    categoria: Annotated[
        str | None, Query(max_length=20, description="venta, soporte, reclamo o sin_clasificar")
    ] = None,
    desde: Annotated[FechaUTC | None, Query(description="ISO 8601, inclusive")] = None,
    hasta: Annotated[FechaUTC | None, Query(description="ISO 8601, inclusive")] = None,
) -> list[LlamadaPublica]:
    """Lista las llamadas, las más recientes primero; un agente solo ve las suyas."""
    filtros = FiltrosLlamadas(
        usuario_id=usuario_id,
        numero_cliente=numero_cliente,
        tipo=tipo,
        resultado=resultado,
        categoria=_categoria(categoria),
        desde=desde,
        hasta=hasta,
    )
    return _listar(sesion, actor, respuesta, pagina, filtros)


@router.post("/", response_model=LlamadaPublica, status_code=status.HTTP_201_CREATED)
def crear_llamada(
    datos: LlamadaCrear,
    sesion: SesionDep,
    actor: UsuarioActual,
    tareas: BackgroundTasks,
    request: Request,
) -> LlamadaPublica:
    """Registra una llamada (con notas, se clasifica en segundo plano)."""
    llamada = servicio.crear(sesion=sesion, actor=actor, datos=datos)
    programar_clasificacion(tareas, request, llamada)
    return LlamadaPublica.model_validate(llamada)


@router.get("/usuario/{usuario_id}", response_model=list[LlamadaPublica])
def listar_llamadas_de_usuario(
    usuario_id: IdRuta,
    sesion: SesionDep,
    actor: UsuarioActual,
    respuesta: Response,
    pagina: PaginaDep,
) -> list[LlamadaPublica]:
    """Historial de llamadas de un agente (un agente solo el suyo)."""
    return _listar(sesion, actor, respuesta, pagina, FiltrosLlamadas(usuario_id=usuario_id))


@router.get("/cliente/{numero_cliente}", response_model=list[LlamadaPublica])
def listar_llamadas_de_cliente(
    numero_cliente: Annotated[NumeroCliente, Path()],
    sesion: SesionDep,
    actor: UsuarioActual,
    respuesta: Response,
    pagina: PaginaDep,
) -> list[LlamadaPublica]:
    """Historial de un cliente por su número (un agente solo ve sus propias llamadas)."""
    filtros = FiltrosLlamadas(numero_cliente=numero_cliente)
    return _listar(sesion, actor, respuesta, pagina, filtros)


@router.get("/{llamada_id}", response_model=LlamadaDetalle)
def leer_llamada(
    llamada_id: IdRuta, sesion: SesionDep, actor: UsuarioActual, ajustes: AjustesDep
) -> LlamadaDetalle:
    """Una llamada con su clasificación de IA, si la tiene."""
    llamada = servicio.obtener(sesion=sesion, actor=actor, llamada_id=llamada_id)
    return LlamadaDetalle.model_validate(
        llamada, context=contexto_revisar(ajustes.confianza_revisar)
    )


@router.put("/{llamada_id}", response_model=LlamadaPublica)
def reemplazar_llamada(
    llamada_id: IdRuta,
    datos: LlamadaCrear,
    sesion: SesionDep,
    actor: UsuarioActual,
    tareas: BackgroundTasks,
    request: Request,
    antes: DescripcionPrevia,
) -> LlamadaPublica:
    """Reemplaza los datos de una llamada (el agente, solo las suyas)."""
    cambios = datos.model_dump(exclude={"usuario_id"} if datos.usuario_id is None else set())
    if cambios["fecha_hora"] is None:
        cambios.pop("fecha_hora")
    llamada = servicio.actualizar(
        sesion=sesion, actor=actor, llamada_id=llamada_id, cambios=cambios
    )
    programar_clasificacion(tareas, request, llamada, antes=antes)
    return LlamadaPublica.model_validate(llamada)


@router.patch("/{llamada_id}", response_model=LlamadaPublica)
def actualizar_llamada(
    llamada_id: IdRuta,
    datos: LlamadaActualizar,
    sesion: SesionDep,
    actor: UsuarioActual,
    tareas: BackgroundTasks,
    request: Request,
    antes: DescripcionPrevia,
) -> LlamadaPublica:
    """Cambia en parte una llamada (el agente, solo las suyas)."""
    llamada = servicio.actualizar(
        sesion=sesion,
        actor=actor,
        llamada_id=llamada_id,
        cambios=datos.model_dump(exclude_unset=True),
    )
    programar_clasificacion(tareas, request, llamada, antes=antes)
    return LlamadaPublica.model_validate(llamada)


@router.delete("/{llamada_id}", status_code=status.HTTP_204_NO_CONTENT)
def eliminar_llamada(llamada_id: IdRuta, sesion: SesionDep, _: SupervisorActual) -> Response:
    """Borra una llamada y su clasificación (supervisores y admins)."""
    servicio.eliminar(sesion=sesion, llamada_id=llamada_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
