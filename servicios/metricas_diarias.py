"""Fotos diarias: cada día local cerrado (ZONA_HORARIA) se guarda una vez, de forma
idempotente y concurrente, con su tramo UTC y la zona con la que se hizo."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from crud import metrica as crud_metrica
from crud import metrica_diaria as crud_metrica_diaria
from crud.metrica import vector_vacio
from esquemas.metrica import MetricaDiaria, RecalculoDiarias
from modelos.base import ahora_utc
from servicios.calendario import dia_local, limites_del_dia
from servicios.excepciones import DatoInvalido
from servicios.metricas_calculo import dividir, resumen

registro = logging.getLogger("callcenter.metricas")

DIAS_RECALCULO_MAXIMOS = 366


def ultimo_dia_cerrado(ahora: datetime, zona: ZoneInfo) -> date:
    """El día local anterior al de ahora: el último que ya no recibe llamadas en curso."""
    return dia_local(ahora, zona) - timedelta(days=1)


def guardar_dia(*, sesion: Session, dia: date, umbral: int, zona: ZoneInfo) -> bool:
    """Recalcula y guarda la foto de un día; False si una llamada cambió mientras tanto."""
    crud_metrica_diaria.asegurar_fila(sesion=sesion, dia=dia)
    sesion.commit()
    try:
        version = crud_metrica_diaria.bloquear_fila(sesion=sesion, dia=dia)
        if version is None:
            sesion.rollback()
            return False
        inicio, fin = limites_del_dia(dia, zona)
        crud_metrica.reescribir_agentes(
            sesion=sesion, dia=dia, inicio=inicio, fin=fin, umbral=umbral
        )
        vector = vector_vacio()
        for _, parcial in crud_metrica.sumas_de_fotos(
            sesion=sesion,
            primer_dia=dia,
            ultimo_dia=dia,
            excluidos=[],
            usuario_id=None,
            clave="agente",
        ):
            for columna, valor in parcial.items():
                vector[columna] += valor
        contenido = resumen(vector)
        valores = {
            "total_llamadas": vector["total"],
            "promedio_duracion": dividir(vector["suma_duracion"], vector["total"], 2),
            "satisfaccion_cliente": dividir(
                vector["suma_satisfaccion"], vector["con_satisfaccion"], 2
            ),
            "tasa_resolucion": dividir(vector["resultado_resuelta"], vector["total"], 4),
            "contenido": contenido,
            "calculado_en": ahora_utc(),
            "umbral_nivel_servicio": umbral,
            "zona": zona.key,
            "inicio": inicio,
            "fin": fin,
        }
        if not crud_metrica_diaria.guardar_foto(
            sesion=sesion, dia=dia, version=version, valores=valores
        ):
            sesion.rollback()
            return False
        sesion.commit()
        return True
    except Exception:
        sesion.rollback()
        raise


def guardar_pendientes(
    *, sesion: Session, primer_dia: date, ultimo_dia: date, umbral: int, zona: ZoneInfo
) -> list[date]:
    """Guarda los días del rango sin foto vigente; devuelve los que guardó."""
    guardados = []
    for dia in crud_metrica_diaria.dias_por_calcular(
        sesion=sesion, primer_dia=primer_dia, ultimo_dia=ultimo_dia, umbral=umbral, zona=zona.key
    ):
        if guardar_dia(sesion=sesion, dia=dia, umbral=umbral, zona=zona):
            guardados.append(dia)
        else:
            registro.info("La foto de %s cambió durante el cálculo; se reintentará", dia)
    return guardados


def recalcular(
    *, sesion: Session, desde: date, hasta: date, umbral: int, zona: ZoneInfo, ahora: datetime
) -> RecalculoDiarias:
    """Recalcula a petición un rango acotado de días cerrados."""
    if desde > hasta:
        raise DatoInvalido("debe ser anterior o igual a hasta", campo="desde")
    if (hasta - desde).days + 1 > DIAS_RECALCULO_MAXIMOS:
        raise DatoInvalido(f"como máximo {DIAS_RECALCULO_MAXIMOS} días por petición", campo="hasta")
    cerrado = ultimo_dia_cerrado(ahora, zona)
    if hasta > cerrado:
        raise DatoInvalido(
            f"solo se guardan días cerrados (hasta {cerrado.isoformat()})", campo="hasta"
        )
    recalculados = 0
    dia = desde
    while dia <= hasta:
        recalculados += guardar_dia(sesion=sesion, dia=dia, umbral=umbral, zona=zona)
        dia += timedelta(days=1)
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
