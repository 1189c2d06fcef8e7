"""Días civiles en la zona del centro (ZONA_HORARIA), con horario de verano.

Un día local es el tramo UTC [medianoche local, medianoche local del día siguiente): 24 horas,
o 23 y 25 los días de cambio de hora. Las cubetas horarias y diarias se agrupan en la base
sumando a cada instante UTC el desfase de la zona, que es constante dentro de cada tramo que
devuelve `tramos_con_desfase`.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UN_DIA = timedelta(days=1)
UN_MINUTO = timedelta(minutes=1)
UN_MICROSEGUNDO = timedelta(microseconds=1)

Tramo = tuple[datetime, datetime, int]  # [inicio, fin) en UTC y desfase local en minutos


def medianoche(dia: date, zona: ZoneInfo) -> datetime:
    """Instante UTC en que empieza el día civil en la zona."""
    return datetime.combine(dia, time(), zona).astimezone(UTC)


def limites_del_dia(dia: date, zona: ZoneInfo) -> tuple[datetime, datetime]:
    """[inicio, fin) en UTC del día civil en la zona (23 o 25 horas los días de cambio)."""
    return medianoche(dia, zona), medianoche(dia + UN_DIA, zona)


def dia_local(instante: datetime, zona: ZoneInfo) -> date:
    return instante.astimezone(zona).date()


def es_medianoche(instante: datetime, zona: ZoneInfo) -> bool:
    return instante.astimezone(zona).time() == time()


def desfase(instante: datetime, zona: ZoneInfo) -> int:
    """Minutos que la hora local va por delante de UTC en ese instante."""
    return int(instante.astimezone(zona).utcoffset().total_seconds() // 60)


def _cambio_de_hora(inicio: datetime, fin: datetime, zona: ZoneInfo) -> datetime:
    """Primer minuto de (inicio, fin] con un desfase distinto del de inicio (búsqueda binaria)."""
    antes = desfase(inicio, zona)
    bajo, alto = inicio, fin
    while alto - bajo > UN_MINUTO:
        medio = bajo + (alto - bajo) / 2
        medio = medio.replace(second=0, microsecond=0)
        if medio <= bajo:
            medio = bajo + UN_MINUTO
        if desfase(medio, zona) == antes:
            bajo = medio
        else:
            alto = medio
    return alto


def tramos_con_desfase(inicio: datetime, fin: datetime, zona: ZoneInfo) -> list[Tramo]:
    """Parte [inicio, fin) en tramos de desfase constante (uno por cambio de hora)."""
    tramos: list[Tramo] = []
    actual = inicio
    while actual < fin:
        minutos = desfase(actual, zona)
        paso = actual
        while paso < fin and desfase(min(paso + UN_DIA, fin), zona) == minutos:
            paso = min(paso + UN_DIA, fin)
        if paso >= fin:
            tramos.append((actual, fin, minutos))
            break
        cambio = _cambio_de_hora(paso, min(paso + UN_DIA, fin), zona)
        tramos.append((actual, cambio, minutos))
        actual = cambio
    return tramos


def resolver_limite(
    valor: date | datetime | None, zona: ZoneInfo, *, final: bool
) -> datetime | None:
    """Una fecha es un día local entero: desde su medianoche o hasta el final del día."""
    if valor is None or isinstance(valor, datetime):
        return valor
    if final:
        return medianoche(valor + UN_DIA, zona) - UN_MICROSEGUNDO
    return medianoche(valor, zona)


def instante_de_cubeta(cubeta: str, minutos: int, zona: ZoneInfo) -> datetime:
    """Instante UTC del comienzo de una cubeta local 'AAAA-MM-DD' o 'AAAA-MM-DD HH'."""
    if len(cubeta) <= 10:
        return medianoche(date.fromisoformat(cubeta[:10]), zona)
    local = datetime.strptime(cubeta[:13], "%Y-%m-%d %H")
    return (local - timedelta(minutes=minutos)).replace(tzinfo=UTC)
