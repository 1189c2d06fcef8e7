"""Paginación por cursor en el borde HTTP: parámetros, cursor firmado, Link y total acotado.

El cursor es opaco: la clave de la última fila servida, en JSON y base64url, con una firma
HMAC (clave derivada de SECRET_KEY) que cubre también la ruta y los filtros de la consulta. Un
cursor alterado, caducado por un cambio de clave o llevado a otra consulta da 422 en `cursor`.
"""

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import unquote_plus, urlencode

import anyio
from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from auth import Acceso, AjustesDep, Credencial, comprobar_acceso, leer_con_vigencia
from config import Ajustes
from crud.ejecucion_directa import ConexionEnBucle
from crud.paginacion import PaginaFilas, PedidoPagina
from database import leer_con_reintento, liberar_conexion, motor_de
from lectura_en_bucle import RepetirEnHilo, lector_de, lector_postgres_de
from rutas.comunes import LIMITE_MAXIMO, LIMITE_POR_DEFECTO, SALTO_MAXIMO
from servicios.excepciones import DatoInvalido

CURSOR_MAXIMO = 512
LIMITE_EN_BUCLE = 100  # páginas más largas: su JSON ya es trabajo de hilo
PARAMETROS_DE_PAGINA = frozenset({"cursor", "skip", "limit", "total"})
CURSOR_INVALIDO = "cursor no válido o de otra consulta; vuelve a pedir la primera página"


def _b64(datos: bytes) -> str:
    return base64.urlsafe_b64encode(datos).rstrip(b"=").decode("ascii")


def _de_b64(texto: str) -> bytes:
    return base64.urlsafe_b64decode(texto + "=" * (-len(texto) % 4))


def _a_json(valor: Any) -> Any:
    return {"f": valor.isoformat()} if isinstance(valor, datetime) else valor


def _de_json(valor: Any) -> Any:
    return datetime.fromisoformat(valor["f"]) if isinstance(valor, dict) else valor


@lru_cache(maxsize=8)
def _clave_cursor(secreto: str) -> bytes:
    return hashlib.sha256(b"cursor-de-lista:" + secreto.encode()).digest()


def _firma(secreto: str, request: Request, carga: bytes) -> bytes:
    """MAC de la ruta, los filtros (ordenados, sin los de página) y la carga del cursor: BLAKE2b
    con clave (un MAC por diseño, sin la preparación de HMAC de OpenSSL en cada llamada); la
    ruta y los filtros, escritos con repr (sin ambigüedad entre dos consultas distintas)."""
    filtros = sorted(
        (k, v) for k, v in request.query_params.multi_items() if k not in PARAMETROS_DE_PAGINA
    )
    mensaje = repr((request.scope["path"], filtros)).encode() + b"\0" + carga
    return hashlib.blake2b(mensaje, key=_clave_cursor(secreto), digest_size=16).digest()


def codificar_cursor(secreto: str, request: Request, clave: tuple[Any, ...]) -> str:
    """Cursor opaco y firmado que apunta justo detrás de la fila de clave `clave`."""
    carga = json.dumps([_a_json(v) for v in clave], separators=(",", ":")).encode()
    return f"{_b64(carga)}.{_b64(_firma(secreto, request, carga))}"


def decodificar_cursor(secreto: str, request: Request, cursor: str) -> tuple[Any, ...]:
    """Clave de fila del cursor; 422 en `cursor` si no es nuestro o no es de esta consulta."""
    try:
        carga_b64, firma_b64 = cursor.split(".")
        carga = _de_b64(carga_b64)
        if not hmac.compare_digest(_de_b64(firma_b64), _firma(secreto, request, carga)):
            raise ValueError("firma")
        valores = json.loads(carga)
        if not isinstance(valores, list) or not valores:
            raise ValueError("forma")
        return tuple(_de_json(v) for v in valores)
    except (ValueError, TypeError, KeyError, UnicodeError) as error:
        raise DatoInvalido(CURSOR_INVALIDO, campo="cursor", ubicacion="query") from error


DESCRIPCION_SKIP = "Filas a saltar"
DESCRIPCION_LIMIT = "Filas a devolver (máx. 500)"
DESCRIPCION_CURSOR = (
    'Cursor opaco de la página siguiente (el de la cabecera Link rel="next"); no se combina '
    "con skip"
)
DESCRIPCION_TOTAL = (
    "acotado (por defecto): X-Total-Count cuenta como mucho LISTA_TOPE_TOTAL filas (1000) sin "
    "recorrer la tabla; exacto: las cuenta todas"
)


class ConsultaPagina(BaseModel):
    """Los parámetros de página, para las listas que validan su consulta con un modelo
    (rutas/consulta.py); los mismos que `PaginadorDep`."""

    skip: int = Field(0, ge=0, le=SALTO_MAXIMO, description=DESCRIPCION_SKIP)
    limit: int = Field(LIMITE_POR_DEFECTO, ge=1, le=LIMITE_MAXIMO, description=DESCRIPCION_LIMIT)
    cursor: str | None = Field(None, max_length=CURSOR_MAXIMO, description=DESCRIPCION_CURSOR)
    total: Literal["acotado", "exacto"] = Field("acotado", description=DESCRIPCION_TOTAL)


def paginador(
    request: Request,
    ajustes: Ajustes,
    *,
    skip: int,
    limit: int,
    cursor: str | None,
    total: str,
) -> "Paginador":
    """La página pedida: por salto o tras la clave de un cursor (firmado con SECRET_KEY)."""
    despues = None
    if cursor is not None:
        if skip:
            raise DatoInvalido("no se combina con cursor", campo="skip", ubicacion="query")
        despues = decodificar_cursor(ajustes.secret_key, request, cursor)
    pedido = PedidoPagina(
        skip=skip,
        limit=limit,
        despues=despues,
        total_exacto=total == "exacto",
        tope=ajustes.lista_tope_total,
    )
    return Paginador(pedido=pedido, request=request, secreto=ajustes.secret_key)


def paginador_de(request: Request, consulta: ConsultaPagina) -> "Paginador":
    """El paginador de una consulta validada con un modelo (`ConsultaPagina`)."""
    campos = {nombre: getattr(consulta, nombre) for nombre in ConsultaPagina.model_fields}
    return paginador(request, request.app.state.ajustes, **campos)


async def _pedido(
    request: Request,
    ajustes: AjustesDep,
    skip: Annotated[int, Query(ge=0, le=SALTO_MAXIMO, description=DESCRIPCION_SKIP)] = 0,
    limit: Annotated[
        int, Query(ge=1, le=LIMITE_MAXIMO, description=DESCRIPCION_LIMIT)
    ] = LIMITE_POR_DEFECTO,
    cursor: Annotated[
        str | None, Query(max_length=CURSOR_MAXIMO, description=DESCRIPCION_CURSOR)
    ] = None,
    total: Annotated[
        Literal["acotado", "exacto"], Query(description=DESCRIPCION_TOTAL)
    ] = "acotado",
) -> "Paginador":
    return paginador(request, ajustes, skip=skip, limit=limit, cursor=cursor, total=total)


# Caracteres de una consulta de URL (RFC 3986), sin los que romperían la cabecera Link (<>").
CONSULTA_SEGURA = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/?%-]*")
SIN_COPIAR = ("skip", "cursor")


def _nombre_parametro(par: str) -> str:
    nombre = par.partition("=")[0]
    return unquote_plus(nombre) if "%" in nombre or "+" in nombre else nombre


def _enlace_siguiente(request: Request, cursor: str) -> str:
    """La misma consulta sin skip ni cursor y con el cursor nuevo (base64url y un punto: no hay
    que codificarlo). Si llegó escrita solo con caracteres válidos en una URL, se copia tal cual
    (volver a codificarla costaba más que firmar el cursor); si no, se codifica."""
    crudo = request.scope.get("query_string", b"").decode("latin-1")
    if CONSULTA_SEGURA.fullmatch(crudo):
        partes = [p for p in crudo.split("&") if p and _nombre_parametro(p) not in SIN_COPIAR]
    else:
        pares = request.query_params.multi_items()
        partes = [urlencode([(k, v)]) for k, v in pares if k not in SIN_COPIAR]
    # La ruta como la escribe `request.url.path`, sin armar la URL entera (host y esquema).
    ruta = request.scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    return f"{ruta}?{'&'.join([*partes, f'cursor={cursor}'])}"


@dataclass(frozen=True, slots=True)
class Paginador:
    """La página pedida y lo necesario para contestar con sus cabeceras."""

    pedido: PedidoPagina
    request: Request
    secreto: str

    def cabeceras(self, pagina: PaginaFilas) -> dict[str, str]:
        """X-Total-Count y X-Total-Exacto; si hay más filas, Link rel="next" con su cursor."""
        cabeceras = {
            "X-Total-Count": str(pagina.total),
            "X-Total-Exacto": "true" if pagina.exacto else "false",
        }
        if pagina.siguiente is not None:
            cursor = codificar_cursor(self.secreto, self.request, pagina.siguiente)
            cabeceras["Link"] = f'<{_enlace_siguiente(self.request, cursor)}>; rel="next"'
        return cabeceras

    def responder(self, sesion: Session, pagina: PaginaFilas, modelos: list[BaseModel]) -> Response:
        """La página ya en JSON, con sus cabeceras; suelta la conexión antes de salir del hilo
        de la ruta (así cerrar la sesión después no necesita otro salto a un hilo) y no pasa
        otra vez por la validación de response_model (los modelos ya son los publicados)."""
        cuerpo = b"[" + b",".join(m.__pydantic_serializer__.to_json(m) for m in modelos) + b"]"
        liberar_conexion(sesion)
        return Response(cuerpo, media_type="application/json", headers=self.cabeceras(pagina))


PaginadorDep = Annotated[Paginador, Depends(_pedido)]


async def pagina_en_turno(
    request: Request,
    credencial: Credencial,
    paginador: Paginador,
    leer: Callable[[Connection, Acceso], PaginaFilas],
    *,
    salida: TypeAdapter,
    columnas: list[str],
    periodo: tuple[datetime | None, datetime | None] = (None, None),
    contexto: dict[str, Any] | None = None,
) -> Response:
    """Una lista sin ORM, con una conexión de Core: la vigencia del token (leída en cada
    petición), el periodo pedido, la página con su total y el JSON de sus filas (tuplas de
    `columnas`, validadas con `salida`).

    Una página de hasta LIMITE_EN_BUCLE filas con el total acotado se lee en el propio bucle
    (lectura_en_bucle.py): en SQLite mientras quepa en su presupuesto, en PostgreSQL con asyncpg,
    sin transacción ni paralelismo y con la vigencia en la sentencia de la página. Si no cabe
    (larga, total exacto, bloqueada, base caída), en un solo salto a un hilo con su propio turno
    (LECTURAS_A_LA_VEZ): 32 lecturas a la vez en 32 hilos se reparten el GIL y cada una tarda
    más en CPU que en fila."""

    def _leer_pagina(conexion: Connection | ConexionEnBucle, actor: Acceso) -> PaginaFilas:
        desde, hasta = periodo
        if desde and hasta and desde > hasta:
            raise DatoInvalido(
                "debe ser anterior o igual a hasta", campo="desde", ubicacion="query"
            )
        return leer(conexion, actor)

    def _leer(conexion: Connection | ConexionEnBucle) -> PaginaFilas:
        if isinstance(conexion, ConexionEnBucle):  # la vigencia, en la sentencia de la página
            return leer_con_vigencia(conexion, credencial, _leer_pagina)
        return _leer_pagina(conexion, comprobar_acceso(conexion, credencial))

    def _en_json(pagina: PaginaFilas) -> tuple[bytes, dict[str, str]]:
        filas = [dict(zip(columnas, fila, strict=True)) for fila in pagina.filas]
        modelos = salida.validate_python(filas, context=contexto)
        return salida.dump_json(modelos), paginador.cabeceras(pagina)

    def _en_hilo() -> tuple[bytes, dict[str, str]]:
        return _en_json(leer_con_reintento(motor, _leer))

    estado = request.app.state
    motor = motor_de(request)
    lector = lector_postgres = None
    if paginador.pedido.limit <= LIMITE_EN_BUCLE and not paginador.pedido.total_exacto:
        lector = lector_de(estado, motor, estado.ajustes.lectura_en_bucle_pasos)
        lector_postgres = lector_postgres_de(estado, motor)
    try:
        if lector is not None:
            cuerpo, cabeceras = _en_json(lector.leer(_leer))
        elif lector_postgres is not None:
            cuerpo, cabeceras = _en_json(await lector_postgres.leer(_leer))
        else:
            raise RepetirEnHilo
    except RepetirEnHilo:  # página larga, total exacto, o no cupo en el bucle
        cuerpo, cabeceras = await anyio.to_thread.run_sync(_en_hilo, limiter=estado.lecturas)
    return Response(cuerpo, media_type="application/json", headers=cabeceras)
