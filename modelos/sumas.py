"""El vector de sumas: recuentos y sumas enteras por (día, agente), declarados una vez.

Cada entrada da una columna de `metricas_agentes` (modelos/metrica.py), una expresión SUM/COUNT
de la consulta de KPIs (crud/metrica.py) y un campo del vector. Las distribuciones salen de los
enums: un valor nuevo en un enum es una columna nueva (y una migración; test_esquema lo exige).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from itertools import product

from sqlalchemy import ColumnElement, Subquery, case, exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, Direccion, ResultadoLlamada, Sentimiento, TipoLlamada
from modelos.llamada import Llamada

# Regla del primer contacto: una llamada se resuelve en primer contacto si el mismo cliente no
# vuelve a llamar en esta ventana. La usan la suma de abajo y los disparadores que invalidan las
# fotos (modelos/disparadores.py): es su única definición.
VENTANA_PRIMER_CONTACTO = timedelta(days=7)


def fin_de_ventana(nombre_dialecto: str, columna):
    """Instante exacto VENTANA_PRIMER_CONTACTO después (al microsegundo) en cada motor."""
    dias = VENTANA_PRIMER_CONTACTO.days
    if nombre_dialecto == "sqlite":
        return func.date(columna, f"+{dias} days").concat(func.substr(columna, 11))
    return columna + literal_column(f"interval '{dias * 24} hours'")


@dataclass(frozen=True, slots=True)
class Contexto:
    """Lo que cambia de una consulta a otra: el motor, el umbral del nivel de servicio y si el
    primer contacto sale de la subconsulta `siguientes` unida a la consulta (ver abajo)."""

    dialecto: str
    umbral: int
    con_siguientes: bool = False


def contar(condicion) -> ColumnElement:
    """Filas que cumplen la condición (FILTER: más barato que SUM(CASE ...) en los dos motores)."""
    return func.count().filter(condicion)


ALIAS_SIGUIENTES = "siguientes"
_SIGUIENTE = literal_column(f"{ALIAS_SIGUIENTES}.siguiente")


def siguientes(inicio, fin_ventana) -> Subquery:
    """(id, siguiente) de cada llamada de [inicio, fin): el instante de la siguiente llamada
    del mismo cliente, estrictamente posterior, si cae antes de fin + la ventana (`fin_ventana`,
    un instante o un parámetro; NULL si no).

    Lee las llamadas de [inicio, fin + ventana) una vez y las ordena por cliente, en vez de
    buscar en el índice por cada llamada (el EXISTS de abajo): para un tramo reciente, como el
    día de hoy, no hay llamadas después de fin y es la misma lectura. Con dos en el mismo
    instante, las dos tienen la siguiente estrictamente posterior (el máximo de su instante)."""
    orden = (Llamada.fecha_hora, Llamada.id)
    inmediata = func.lead(Llamada.fecha_hora).over(
        partition_by=Llamada.numero_cliente, order_by=orden
    )
    leidas = (
        select(
            Llamada.id,
            Llamada.numero_cliente,
            Llamada.fecha_hora,
            case((inmediata > Llamada.fecha_hora, inmediata)).label("posterior"),
        )
        .where(Llamada.fecha_hora >= inicio, Llamada.fecha_hora < fin_ventana)
        .subquery("leidas")
    )
    siguiente = func.max(leidas.c.posterior).over(
        partition_by=(leidas.c.numero_cliente, leidas.c.fecha_hora)
    )
    return select(leidas.c.id, siguiente.label("siguiente")).subquery(ALIAS_SIGUIENTES)


def _sin_nueva_llamada(contexto: Contexto) -> ColumnElement:
    if contexto.con_siguientes:
        fin = fin_de_ventana(contexto.dialecto, Llamada.fecha_hora)
        return or_(_SIGUIENTE.is_(None), _SIGUIENTE > fin)
    posterior = aliased(Llamada)
    return ~exists().where(
        posterior.numero_cliente == Llamada.numero_cliente,
        posterior.fecha_hora > Llamada.fecha_hora,
        posterior.fecha_hora <= fin_de_ventana(contexto.dialecto, Llamada.fecha_hora),
    )


@dataclass(frozen=True, slots=True)
class Suma:
    nombre: str
    expresion: Callable[[Contexto], ColumnElement]


SUMAS: tuple[Suma, ...] = (
    Suma("total", lambda c: func.count()),
    Suma("suma_duracion", lambda c: func.coalesce(func.sum(Llamada.duracion_segundos), 0)),
    Suma("con_satisfaccion", lambda c: func.count(Llamada.satisfaccion)),
    Suma("suma_satisfaccion", lambda c: func.coalesce(func.sum(Llamada.satisfaccion), 0)),
    Suma("satisfaccion_alta", lambda c: contar(Llamada.satisfaccion >= 4)),
    Suma("con_espera", lambda c: func.count(Llamada.tiempo_espera_segundos)),
    Suma("suma_espera", lambda c: func.coalesce(func.sum(Llamada.tiempo_espera_segundos), 0)),
    Suma("dentro_nivel", lambda c: contar(Llamada.tiempo_espera_segundos <= c.umbral)),
    Suma("primer_contacto", lambda c: contar(_sin_nueva_llamada(c))),
)


@dataclass(frozen=True, slots=True)
class Distribucion:
    """Recuento por valor (o combinación de valores) de uno o varios enums."""

    nombre: str  # campo de la API: por_categoria
    prefijo: str  # prefijo de las columnas: categoria_venta
    ejes: tuple[tuple[type[StrEnum], Callable[[], ColumnElement]], ...]
    sin_valor: tuple[str, Callable[[], ColumnElement]] | None = None

    def valores(self) -> list[tuple[str, ...]]:
        return list(product(*([v.value for v in enum] for enum, _ in self.ejes)))

    def claves(self) -> list[str]:
        claves = ["_".join(v) for v in self.valores()]
        return claves + ([self.sin_valor[0]] if self.sin_valor else [])

    def columnas(self) -> list[str]:
        return [f"{self.prefijo}_{clave}" for clave in self.claves()]

    def sumas(self) -> list[Suma]:
        sumas = []
        for valores in self.valores():
            condiciones = [col() == v for (_, col), v in zip(self.ejes, valores, strict=True)]
            nombre = f"{self.prefijo}_{'_'.join(valores)}"
            sumas.append(Suma(nombre, lambda c, cs=tuple(condiciones): contar(_y(cs))))
        if self.sin_valor:
            clave, condicion = self.sin_valor
            sumas.append(Suma(f"{self.prefijo}_{clave}", lambda c, f=condicion: contar(f())))
        return sumas


def _y(condiciones):
    resultado = condiciones[0]
    for condicion in condiciones[1:]:
        resultado = resultado & condicion
    return resultado


def _categoria() -> ColumnElement:
    return ClasificacionIA.categoria


def _sentimiento() -> ColumnElement:
    return ClasificacionIA.sentimiento


def _sin_clasificar() -> ColumnElement:
    return ClasificacionIA.id.is_(None)


DISTRIBUCIONES: tuple[Distribucion, ...] = (
    Distribucion(
        "por_categoria",
        "categoria",
        ((Categoria, _categoria),),
        ("sin_clasificar", _sin_clasificar),
    ),
    Distribucion("por_tipo", "tipo", ((TipoLlamada, lambda: Llamada.tipo),)),
    Distribucion("por_resultado", "resultado", ((ResultadoLlamada, lambda: Llamada.resultado),)),
    Distribucion("por_direccion", "direccion", ((Direccion, lambda: Llamada.direccion),)),
    Distribucion("por_motivo", "motivo", ((Categoria, _categoria), (Sentimiento, _sentimiento))),
)

TODAS_LAS_SUMAS: tuple[Suma, ...] = SUMAS + tuple(s for d in DISTRIBUCIONES for s in d.sumas())
COLUMNAS_VECTOR: tuple[str, ...] = tuple(s.nombre for s in TODAS_LAS_SUMAS)

# Lo que la foto diaria guarda además del vector: llamadas y suma de duraciones por hora local
# (franjas por hora y día de la semana) y clasificaciones bajo CONFIANZA_REVISAR (revisión).
HORAS = range(24)
COLUMNAS_HORAS: tuple[str, ...] = tuple(
    f"hora_{hora:02d}_{que}" for hora in HORAS for que in ("llamadas", "duracion")
)
BAJA_CONFIANZA = "baja_confianza"
COLUMNAS_FOTO: tuple[str, ...] = COLUMNAS_VECTOR + COLUMNAS_HORAS + (BAJA_CONFIANZA,)
