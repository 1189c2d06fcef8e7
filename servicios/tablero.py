"""Tablero en vivo: el día local (ZONA_HORARIA) con sumas en la base, agentes y alertas."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from config import Ajustes
from crud import tablero as crud_tablero
from crud.metrica import FiltrosMetricas, Vector, sumas_en_vivo, vector_vacio
from esquemas.tablero import (
    AgenteTablero,
    AlertaReclamos,
    Categorias,
    IndicadoresHoy,
    LlamadaReciente,
    PuntoHora,
    Tablero,
    TableroAgente,
    Umbrales,
)
from modelos.usuario import Usuario
from servicios import estados_agente
from servicios.calendario import limites_del_dia
from servicios.metricas_calculo import dividir, indicadores

ULTIMAS = 20
PASO = timedelta(minutes=15)  # todas las zonas actuales difieren de UTC en múltiplos de 15 min
SEMANA_PASADA = 100  # las franjas de hace 7 días se etiquetan 100 + hora


def franjas_horarias(dia: date, zona: ZoneInfo, base: int = 0) -> list[crud_tablero.Franja]:
    """Tramos UTC de cada hora local del día, etiquetados base + hora."""
    inicio, fin = limites_del_dia(dia, zona)
    franjas: list[crud_tablero.Franja] = []
    instante = inicio
    while instante < fin:
        siguiente = min(instante + PASO, fin)
        clave = base + instante.astimezone(zona).hour
        if franjas and franjas[-1][0] == clave and franjas[-1][2] == instante:
            franjas[-1] = (clave, franjas[-1][1], siguiente)
        else:
            franjas.append((clave, instante, siguiente))
        instante = siguiente
    return franjas


def _vectores_del_dia(
    sesion: Session, inicio: datetime, fin: datetime, umbral: int, usuario_id: int | None = None
) -> tuple[Vector, dict[int, Vector]]:
    """Vector del total y de cada agente para [inicio, fin), sumado en la base."""
    total, por_agente = vector_vacio(), defaultdict(vector_vacio)
    filas = sumas_en_vivo(
        sesion=sesion,
        segmentos=[(inicio, fin, 1, 0)],
        filtros=FiltrosMetricas(usuario_id=usuario_id),
        granularidad="dia",
        umbral=umbral,
    )
    for _, _, agente, vector in filas:
        for clave, valor in vector.items():
            total[clave] += valor
            por_agente[agente][clave] += valor
    return total, por_agente


def _indicadores_hoy(vector: Vector, umbral: int) -> IndicadoresHoy:
    kpis = indicadores(vector)
    return IndicadoresHoy(
        total_llamadas=kpis["total_llamadas"],
        aht_segundos=kpis["duracion_promedio_segundos"],
        csat_promedio=kpis["satisfaccion_promedio"],
        fcr=kpis["tasa_resolucion_primer_contacto"],
        nivel_servicio=kpis["nivel_servicio"],
        nivel_servicio_segundos=umbral,
        abandono=kpis["tasa_abandono"],
        escalamiento=kpis["tasa_escalamiento"],
        espera_promedio_segundos=kpis["tiempo_espera_promedio_segundos"],
    )


def _categorias(vector: Vector) -> Categorias:
    return Categorias(
        venta=vector["categoria_venta"],
        soporte=vector["categoria_soporte"],
        reclamo=vector["categoria_reclamo"],
        sin_clasificar=vector["categoria_sin_clasificar"],
    )


def _umbrales(ajustes: Ajustes) -> Umbrales:
    return Umbrales(
        **{campo: getattr(ajustes, campo) for campo in Umbrales.model_fields},
    )


def _sentimiento_negativo(
    sesion: Session, inicio: datetime, fin: datetime, usuario_id: int | None = None
) -> float | None:
    clasificadas, negativas = crud_tablero.clasificadas_y_negativas(
        sesion=sesion, inicio=inicio, fin=fin, usuario_id=usuario_id
    )
    return dividir(negativas, clasificadas, 4)


def _alerta(
    sesion: Session, ajustes: Ajustes, ahora: datetime, inicio: datetime, reclamos_hoy: int
) -> AlertaReclamos:
    ultima_hora = crud_tablero.contar_reclamos(
        sesion=sesion, inicio=ahora - timedelta(hours=1), fin=ahora + timedelta(hours=1)
    )
    horas = max(1.0, (ahora - inicio).total_seconds() / 3600)
    promedio = reclamos_hoy / horas
    umbral = ajustes.alerta_reclamos_factor * promedio
    activa = ultima_hora >= ajustes.alerta_reclamos_minimo and ultima_hora > umbral
    return AlertaReclamos(
        activa=activa,
        ultima_hora=ultima_hora,
        promedio_hora=round(promedio, 2),
        umbral=round(umbral, 2),
    )


def _por_hora(sesion: Session, dia: date, zona: ZoneInfo) -> list[PuntoHora]:
    franjas = franjas_horarias(dia, zona) + franjas_horarias(
        dia - timedelta(days=7), zona, SEMANA_PASADA
    )
    cuentas: dict[int, int] = defaultdict(int)
    for clave, total in crud_tablero.contar_por_franja(sesion=sesion, franjas=franjas).items():
        cuentas[clave] += total
    return [
        PuntoHora(hora=h, hoy=cuentas[h], semana_pasada=cuentas[SEMANA_PASADA + h])
        for h in range(24)
    ]


def _agentes(
    sesion: Session, ahora: datetime, por_agente: dict[int, Vector]
) -> list[AgenteTablero]:
    agentes = []
    for estado in estados_agente.listar(sesion=sesion):
        vector = por_agente.get(estado.usuario_id) or vector_vacio()
        kpis = indicadores(vector)
        agentes.append(
            AgenteTablero(
                **estado.model_dump(),
                segundos_en_estado=max(0, int((ahora - estado.desde).total_seconds())),
                llamadas_hoy=vector["total"],
                aht_segundos=kpis["duracion_promedio_segundos"],
                csat_promedio=kpis["satisfaccion_promedio"],
            )
        )
    return agentes


def _ultimas(sesion: Session, confianza_revisar: float) -> list[LlamadaReciente]:
    return [
        LlamadaReciente(
            **fila._asdict(),
            revisar=fila.confianza is not None and fila.confianza < confianza_revisar,
        )
        for fila in crud_tablero.ultimas_llamadas(sesion=sesion, limite=ULTIMAS)
    ]


def tablero(*, sesion: Session, ajustes: Ajustes, ahora: datetime | None = None) -> Tablero:
    """Todo lo que muestra el tablero de la sala, calculado con agregados SQL."""
    ahora = ahora or datetime.now(UTC)
    zona, umbral = ajustes.zona, ajustes.nivel_servicio_segundos
    dia = ahora.astimezone(zona).date()
    inicio, fin = limites_del_dia(dia, zona)
    total, por_agente = _vectores_del_dia(sesion, inicio, fin, umbral)
    return Tablero(
        zona_horaria=ajustes.zona_horaria,
        generado_en=ahora,
        hoy=_indicadores_hoy(total, umbral),
        categorias=_categorias(total),
        sentimiento_negativo=_sentimiento_negativo(sesion, inicio, fin),
        alerta_reclamos=_alerta(sesion, ajustes, ahora, inicio, total["categoria_reclamo"]),
        agentes=_agentes(sesion, ahora, por_agente),
        ultimas_llamadas=_ultimas(sesion, ajustes.confianza_revisar),
        por_hora=_por_hora(sesion, dia, zona),
        umbrales=_umbrales(ajustes),
    )


def tablero_agente(
    *, sesion: Session, ajustes: Ajustes, usuario: Usuario, ahora: datetime | None = None
) -> TableroAgente:
    """Las cifras de hoy de quien pregunta (nunca las del equipo)."""
    ahora = ahora or datetime.now(UTC)
    zona, umbral = ajustes.zona, ajustes.nivel_servicio_segundos
    inicio, fin = limites_del_dia(ahora.astimezone(zona).date(), zona)
    total, _ = _vectores_del_dia(sesion, inicio, fin, umbral, usuario_id=usuario.id)
    return TableroAgente(
        zona_horaria=ajustes.zona_horaria,
        generado_en=ahora,
        estado=estados_agente.obtener(sesion=sesion, usuario=usuario),
        hoy=_indicadores_hoy(total, umbral),
        categorias=_categorias(total),
        sentimiento_negativo=_sentimiento_negativo(sesion, inicio, fin, usuario.id),
        umbrales=_umbrales(ajustes),
    )
