"""Qué leer de las fotos diarias y qué en vivo para un periodo: días locales cerrados con foto
vigente y tramos UTC con signo (los días a medias y los que no tienen foto)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from config import Ajustes
from crud import metrica_diaria as crud_metrica_diaria
from servicios.calendario import (
    UN_DIA,
    dia_local,
    es_medianoche,
    medianoche,
    tramos_con_desfase,
)

TRAMOS_VIVOS_MAXIMOS = 40

Tramo = tuple[datetime, datetime, int]


def vigencia_de(ajustes: Ajustes) -> dict:
    """Con qué ajustes se hizo una foto que vale: umbral, zona y confianza de revisión."""
    return {
        "umbral": ajustes.nivel_servicio_segundos,
        "zona": ajustes.zona.key,
        "confianza": ajustes.confianza_revisar,
    }


# Primer y último día leídos de las fotos, los días sin foto entre medias y la huella de los
# sellos de las fotos leídas (versión e instante de cálculo: cambia si alguna se rehace).
Fotos = tuple[date, date, list[date], int]


def planificar(
    sesion: Session, desde: datetime, fin: datetime, ajustes: Ajustes
) -> tuple[list[Tramo], Fotos | None]:
    """Tramos a leer en vivo (con signo) y, si hay, días locales a leer de las fotos."""
    zona = ajustes.zona
    vigencia = vigencia_de(ajustes)
    dia_inicial = dia_local(desde, zona)
    primer_dia = dia_inicial if es_medianoche(desde, zona) else dia_inicial + UN_DIA
    ultimo_dia = dia_local(fin, zona) - UN_DIA
    if primer_dia > ultimo_dia:
        return [(desde, fin, 1)], None
    vigentes = crud_metrica_diaria.dias_vigentes(
        sesion=sesion, primer_dia=dia_inicial, ultimo_dia=ultimo_dia + UN_DIA, **vigencia
    )
    if not vigentes:
        return [(desde, fin, 1)], None
    tramos: list[Tramo] = []
    excluidos: list[date] = []
    if desde < medianoche(primer_dia, zona):
        largo = medianoche(primer_dia, zona) - medianoche(dia_inicial, zona)
        if medianoche(primer_dia, zona) - desde > largo / 2 and dia_inicial in vigentes:
            # Más de medio día: la foto del día menos lo anterior a desde lee menos llamadas.
            tramos.append((medianoche(dia_inicial, zona), desde, -1))
            primer_dia = dia_inicial
        else:
            tramos.append((desde, medianoche(primer_dia, zona), 1))
    dia = primer_dia
    while dia <= ultimo_dia:
        if dia not in vigentes:
            excluidos.append(dia)
            inicio, siguiente = medianoche(dia, zona), medianoche(dia + UN_DIA, zona)
            if tramos and tramos[-1][1] == inicio and tramos[-1][2] == 1:
                tramos[-1] = (tramos[-1][0], siguiente, 1)
            else:
                tramos.append((inicio, siguiente, 1))
        dia += UN_DIA
    ultimo_dia = _ultimo_dia_parcial(tramos, ultimo_dia, fin, vigentes, zona)
    if len(tramos) > TRAMOS_VIVOS_MAXIMOS:
        return [(desde, fin, 1)], None
    huella = hash(
        tuple((d, v) for d, v in sorted(vigentes.items()) if primer_dia <= d <= ultimo_dia)
    )
    return tramos, (primer_dia, ultimo_dia, excluidos, huella)


def _ultimo_dia_parcial(
    tramos: list[Tramo],
    ultimo_dia: date,
    fin: datetime,
    vigentes: dict[date, tuple],
    zona: ZoneInfo,
) -> date:
    """Añade el tramo del último día a medias y devuelve el último día leído de las fotos."""
    dia_final = ultimo_dia + UN_DIA
    if medianoche(dia_final, zona) >= fin:
        return ultimo_dia
    siguiente = medianoche(dia_final + UN_DIA, zona)
    if dia_final in vigentes and siguiente - fin < (siguiente - medianoche(dia_final, zona)) / 2:
        # Más de medio día: la foto del día menos lo posterior a fin lee menos llamadas.
        tramos.append((fin, siguiente, -1))
        return dia_final
    tramos.append((medianoche(dia_final, zona), fin, 1))
    return ultimo_dia


def con_desfase(tramos: list[Tramo], zona: ZoneInfo) -> list[tuple[datetime, datetime, int, int]]:
    """Cada tramo partido en los cambios de hora, con su desfase local en minutos."""
    return [
        (parte_inicio, parte_fin, signo, minutos)
        for inicio, fin, signo in tramos
        for parte_inicio, parte_fin, minutos in tramos_con_desfase(inicio, fin, zona)
    ]
