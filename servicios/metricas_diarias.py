"""Fotos diarias: cada día local cerrado (ZONA_HORARIA) se guarda una vez, de forma
idempotente y concurrente, con su tramo UTC y la zona con la que se hizo."""

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import trabajos
from config import Ajustes
from crud import metrica_diaria as crud_metrica_diaria
from crud import metrica_fotos as crud_metrica_fotos
from esquemas.metrica import MetricaDiaria, RecalculoDiarias
from modelos.base import ahora_utc
from modelos.metrica import MetricaAgente
from modelos.sumas import COLUMNAS_FOTO
from servicios.calendario import (
    UN_DIA,
    UN_MICROSEGUNDO,
    dia_local,
    limites_del_dia,
    medianoche,
    tramos_con_desfase,
)
from servicios.excepciones import DatoInvalido
from servicios.metricas_calculo import dividir, resumen
from servicios.metricas_plan import vigencia_de

registro = logging.getLogger("callcenter.metricas")

DIAS_RECALCULO_MAXIMOS = 366
# Días por consulta agrupada: un mes lee ~1/12 de un año de llamadas y mantiene el cerrojo de
# escritura (toda la base en SQLite) alrededor de un segundo, no los de un año entero.
DIAS_POR_RACHA = 31
# Días que el programador rellena hacia atrás desde el último día cerrado, y el trabajo de las
# fotos al momento como mucho por petición.
DIAS_RELLENO_MAXIMOS = 366
TIPO_FOTOS = "fotos_diarias"


def ultimo_dia_cerrado(ahora: datetime, zona: ZoneInfo) -> date:
    """El día local anterior al de ahora: el último que ya no recibe llamadas en curso."""
    return dia_local(ahora, zona) - timedelta(days=1)


def _contenido(vector: dict[str, int]) -> dict:
    return {
        "total_llamadas": vector["total"],
        "promedio_duracion": dividir(vector["suma_duracion"], vector["total"], 2),
        "satisfaccion_cliente": dividir(vector["suma_satisfaccion"], vector["con_satisfaccion"], 2),
        "tasa_resolucion": dividir(vector["resultado_resuelta"], vector["total"], 4),
        "contenido": resumen(vector),
    }


def guardar_rango(*, sesion: Session, primer_dia: date, ultimo_dia: date, ajustes: Ajustes) -> bool:
    """Recalcula y guarda las fotos de los días del rango con una sola consulta agrupada por
    día local; False si una llamada de esos días cambió mientras tanto."""
    dias = [primer_dia + timedelta(days=n) for n in range((ultimo_dia - primer_dia).days + 1)]
    crud_metrica_diaria.asegurar_filas(sesion=sesion, dias=dias)
    sesion.commit()
    try:
        if not reescribir_rango(
            sesion=sesion, primer_dia=primer_dia, ultimo_dia=ultimo_dia, ajustes=ajustes
        ):
            sesion.rollback()
            return False
        sesion.commit()
        return True
    except Exception:
        sesion.rollback()
        raise


def reescribir_rango(
    *, sesion: Session, primer_dia: date, ultimo_dia: date, ajustes: Ajustes
) -> bool:
    """Recalcula las fotos del rango (sus filas ya existen) dentro de la transacción en curso,
    sin confirmarla; False si una de ellas cambió de versión desde que se bloqueó."""
    zona, umbral = ajustes.zona, ajustes.nivel_servicio_segundos
    dias = [primer_dia + timedelta(days=n) for n in range((ultimo_dia - primer_dia).days + 1)]
    versiones = crud_metrica_diaria.bloquear_filas(
        sesion=sesion, primer_dia=primer_dia, ultimo_dia=ultimo_dia
    )
    inicio, fin = medianoche(primer_dia, zona), medianoche(ultimo_dia + UN_DIA, zona)
    crud_metrica_fotos.reescribir_rango(
        sesion=sesion,
        primer_dia=primer_dia,
        ultimo_dia=ultimo_dia,
        segmentos=tramos_con_desfase(inicio, fin, zona),
        umbral=umbral,
        confianza=ajustes.confianza_revisar,
    )
    vectores = dict(
        crud_metrica_fotos.sumas_de_fotos(
            sesion=sesion,
            primer_dia=primer_dia,
            ultimo_dia=ultimo_dia,
            excluidos=[],
            usuario_id=None,
            clave="dia",
            columnas=COLUMNAS_FOTO,
            tabla=MetricaAgente,
        )
    )
    comunes = {"calculado_en": ahora_utc(), "umbral_nivel_servicio": umbral, "zona": zona.key}
    comunes["umbral_confianza"] = ajustes.confianza_revisar
    for dia in dias:
        inicio, fin = limites_del_dia(dia, zona)
        sumas = vectores.get(dia) or dict.fromkeys(COLUMNAS_FOTO, 0)
        # La fila del día guarda también las sumas del equipo: un periodo sin filtro de
        # agente lee una fila por día y no una por día y agente.
        valores = _contenido(sumas) | sumas
        valores |= comunes | {"inicio": inicio, "fin": fin}
        if dia not in versiones or not crud_metrica_diaria.guardar_foto(
            sesion=sesion, dia=dia, version=versiones[dia], valores=valores
        ):
            return False
    return True


def rachas(dias: list[date], largo: int) -> list[tuple[date, date]]:
    """Días seguidos agrupados en rangos [primero, último] de como mucho `largo` días, los más
    recientes primero: tras una importación, el último mes (el periodo por defecto) tiene sus
    fotos tras la primera racha y no tras la última."""
    grupos: list[tuple[date, date]] = []
    for dia in sorted(dias, reverse=True):
        if grupos and grupos[-1][0] - UN_DIA == dia and (grupos[-1][1] - dia).days < largo:
            grupos[-1] = (dia, grupos[-1][1])
        else:
            grupos.append((dia, dia))
    return grupos


def guardar_pendientes(
    *, sesion: Session, primer_dia: date, ultimo_dia: date, ajustes: Ajustes
) -> list[date]:
    """Guarda los días del rango sin foto vigente, cada racha de días seguidos de una vez;
    devuelve los que guardó."""
    guardados = []
    pendientes = crud_metrica_diaria.dias_por_calcular(
        sesion=sesion, primer_dia=primer_dia, ultimo_dia=ultimo_dia, **vigencia_de(ajustes)
    )
    for primero, ultimo in rachas(pendientes, DIAS_POR_RACHA):
        if guardar_rango(sesion=sesion, primer_dia=primero, ultimo_dia=ultimo, ajustes=ajustes):
            guardados.extend(d for d in pendientes if primero <= d <= ultimo)
        else:
            registro.info("Las fotos de %s a %s cambiaron durante el cálculo", primero, ultimo)
    return sorted(guardados)


def recalcular(
    *, sesion: Session, desde: date, hasta: date, ajustes: Ajustes, ahora: datetime
) -> RecalculoDiarias:
    """Recalcula a petición un rango acotado de días cerrados."""
    if desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde")
    if (hasta - desde).days + 1 > DIAS_RECALCULO_MAXIMOS:
        raise DatoInvalido(f"como máximo {DIAS_RECALCULO_MAXIMOS} días por petición", campo="hasta")
    cerrado = ultimo_dia_cerrado(ahora, ajustes.zona)
    if hasta > cerrado:
        raise DatoInvalido(
            f"solo se guardan días cerrados (hasta {cerrado.isoformat()})", campo="hasta"
        )
    dias = [desde + timedelta(days=n) for n in range((hasta - desde).days + 1)]
    recalculados = 0
    for primero, ultimo in rachas(dias, DIAS_POR_RACHA):
        if guardar_rango(sesion=sesion, primer_dia=primero, ultimo_dia=ultimo, ajustes=ajustes):
            recalculados += (ultimo - primero).days + 1
    return RecalculoDiarias(dias_recalculados=recalculados, desde=desde, hasta=hasta)


def listar(
    *, sesion: Session, desde: date | None, hasta: date | None, skip: int, limit: int
) -> tuple[list[MetricaDiaria], int]:
    if desde and hasta and desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde", ubicacion="query")
    filas, total = crud_metrica_diaria.listar_diarias(
        sesion=sesion, desde=desde, hasta=hasta, skip=skip, limit=limit
    )
    return [MetricaDiaria.model_validate(f) for f in filas], total


def _acotar_al_relleno(
    sesion: Session, zona: ZoneInfo, primero: date, ultimo: date
) -> tuple[date, date] | None:
    """[primero, ultimo] sin días anteriores a la primera llamada ni más de los
    DIAS_RELLENO_MAXIMOS últimos (los que el programador rellena); None si queda vacío."""
    primera = crud_metrica_diaria.primera_llamada(sesion=sesion)
    if primera is None:
        return None
    inicio = ultimo - timedelta(days=DIAS_RELLENO_MAXIMOS - 1)
    primero = max(primero, dia_local(primera, zona), inicio)
    return (primero, ultimo) if primero <= ultimo else None


def rellenar(*, sesion: Session, ajustes: Ajustes, ahora: datetime) -> list[date]:
    """Lo que hace el programador: las fotos que falten de los últimos DIAS_RELLENO_MAXIMOS días
    cerrados desde la primera llamada; devuelve los días guardados."""
    ultimo = ultimo_dia_cerrado(ahora, ajustes.zona)
    rango = _acotar_al_relleno(sesion, ajustes.zona, date.min, ultimo)
    if rango is None:
        return []
    return guardar_pendientes(
        sesion=sesion, primer_dia=rango[0], ultimo_dia=rango[1], ajustes=ajustes
    )


def _dias_cerrados(
    desde: datetime, hasta: datetime, zona: ZoneInfo, ahora: datetime
) -> tuple[date, date] | None:
    """Días locales enteros del periodo [desde, hasta] (inclusive) ya cerrados, o None."""
    primero = dia_local(desde, zona)
    if medianoche(primero, zona) < desde:
        primero += UN_DIA
    # hasta es inclusive: el día que contiene el instante siguiente queda a medias.
    ultimo = dia_local(hasta + UN_MICROSEGUNDO, zona) - UN_DIA
    ultimo = min(ultimo, ultimo_dia_cerrado(ahora, zona))
    return (primero, ultimo) if primero <= ultimo else None


def pedir_las_que_falten(
    *, sesion: Session, desde: datetime, hasta: datetime, dias_con_foto: int, ajustes: Ajustes
) -> bool:
    """Si el periodo tiene días cerrados sin foto vigente (leídos en vivo: lentos), encola el
    trabajo que las construye; uno como mucho sin empezar, en cualquier proceso. Dice si lo
    encoló."""
    if not ajustes.fotos_al_momento:
        return False
    # Sin consultas mientras el periodo tenga todas sus fotos (lo normal en cada petición).
    cerrados = _dias_cerrados(desde, hasta, ajustes.zona, datetime.now(UTC))
    if cerrados is None or (cerrados[1] - cerrados[0]).days + 1 <= dias_con_foto:
        return False
    rango = _acotar_al_relleno(sesion, ajustes.zona, *cerrados)
    if rango is None or (rango[1] - rango[0]).days + 1 <= dias_con_foto:
        return False
    carga = {"desde": rango[0].isoformat(), "hasta": rango[1].isoformat()}
    try:
        encolado = trabajos.encolar(TIPO_FOTOS, carga, sesion=sesion, clave_unica=TIPO_FOTOS)
        sesion.commit()
    except SQLAlchemyError as error:
        # Las cifras ya están calculadas (en vivo): no encolar no es motivo para fallar.
        sesion.rollback()
        registro.warning("No se pudo encolar el trabajo de las fotos: %s", type(error).__name__)
        return False
    if encolado is not None:
        registro.info("Días sin foto de %s a %s: encolado el trabajo que las construye", *rango)
    return encolado is not None


@trabajos.tarea(TIPO_FOTOS)
def construir_en_segundo_plano(carga: dict[str, Any], contexto: trabajos.Contexto) -> None:
    """Trabajo durable: las fotos que falten del rango pedido (idempotente: las que ya estén
    vigentes no se rehacen, y si otro proceso las hace a la vez no chocan)."""
    with contexto.fabrica() as sesion:
        guardar_pendientes(
            sesion=sesion,
            primer_dia=date.fromisoformat(carga["desde"]),
            ultimo_dia=date.fromisoformat(carga["hasta"]),
            ajustes=contexto.ajustes,
        )
