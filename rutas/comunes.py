"""Piezas compartidas por los routers: paginación, cabecera de total, ids en la ruta."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Response

from esquemas.comunes import ID_MAXIMO

LIMITE_POR_DEFECTO = 50
LIMITE_MAXIMO = 500
SALTO_MAXIMO = 10_000_000

IdRuta = Annotated[int, Path(ge=1, le=ID_MAXIMO, description="Identificador numérico")]


@dataclass(frozen=True, slots=True)
class Pagina:
    skip: int
    limit: int


async def _pagina(
    skip: Annotated[int, Query(ge=0, le=SALTO_MAXIMO, description="Filas a saltar")] = 0,
    limit: Annotated[
        int, Query(ge=1, le=LIMITE_MAXIMO, description="Filas a devolver (máx. 500)")
    ] = LIMITE_POR_DEFECTO,
) -> Pagina:
    return Pagina(skip=skip, limit=limit)


PaginaDep = Annotated[Pagina, Depends(_pagina)]


def poner_total(respuesta: Response, total: int) -> None:
    """Total de filas que cumplen los filtros, para paginar en el cliente."""
    respuesta.headers["X-Total-Count"] = str(total)
