"""Llamadas conocidas para las pruebas de exportación, en un centro de Bogotá (UTC−5).

Hay llamadas que son de un día en UTC y de otro en hora local, textos con caracteres que XML
o una hoja de cálculo tratan aparte, una llamada de más de una hora y llamadas del periodo
anterior (la misma semana de antes) para la comparación.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Rol, Sentimiento
from modelos.llamada import Llamada
from modelos.usuario import Usuario

ZONA = "America/Bogota"
ZONA_INFO = ZoneInfo(ZONA)
DESDE = datetime(2025, 3, 10, tzinfo=ZONA_INFO)
HASTA = datetime(2025, 3, 17, tzinfo=ZONA_INFO) - timedelta(microseconds=1)
ANTERIOR_DESDE = DESDE - timedelta(days=7)
PERIODO = {"desde": DESDE.isoformat(), "hasta": HASTA.isoformat()}
NOMBRES = {"ana": "Ana Pérez", "beto": "Beto Núñez"}


@dataclass(frozen=True)
class Prueba:
    agente: str
    instante: datetime
    duracion: int
    resultado: str
    csat: int | None
    espera: int | None
    categoria: str | None = None
    confianza: float | None = None
    sentimiento: str | None = None
    consejo: str | None = None
    notas: str | None = None
    tipo: str = "venta"
    direccion: str = "entrante"
    cliente: str = "+34600000001"

    @property
    def local(self) -> datetime:
        return self.instante.astimezone(ZONA_INFO)


def _utc(dia: int, hora: int, minuto: int = 0) -> datetime:
    return datetime(2025, 3, dia, hora, minuto, tzinfo=UTC)


# fmt: off
LLAMADAS = [
    Prueba(
        "ana", _utc(10, 14), 125, "resuelta", 5, 12, "venta", 0.93, "positivo",
        "Ofrece el plan anual", 'Cliente & <socio> quiere "plan"',
    ),
    # 22:30 del día 10 en Bogotá, aunque en UTC ya es el 11.
    Prueba(
        "ana", _utc(11, 3, 30), 300, "escalada", 2, 45, "soporte", 0.55, "negativo",
        "Escala a nivel 2", "=1+1 probando", tipo="soporte", cliente="+34600000002",
    ),
    Prueba("beto", _utc(12, 15, 15), 61, "colgada", None, None, direccion="saliente"),
    Prueba(
        "beto", _utc(16, 20), 3725, "resuelta", 4, 5, "reclamo", 0.7, "neutral",
        "  Pide disculpas", "línea 1\nlínea 2", tipo="consulta", cliente="+34600000003",
    ),
    # 23:30 del último día local (el 17 en UTC): dentro del periodo.
    Prueba("ana", _utc(17, 4, 30), 200, "atendida", 3, 20, "venta", 0.81, "neutral", "Cierra"),
    # Fuera: 00:30 del día siguiente en Bogotá.
    Prueba("ana", _utc(17, 5, 30), 999, "resuelta", 5, 1),
    # Periodo anterior (del 3 al 9 en Bogotá): la segunda es el 9 a las 23:00 locales.
    Prueba("beto", _utc(5, 14), 100, "resuelta", 5, 10, "venta", 0.9, "positivo", "Bien"),
    Prueba("ana", _utc(10, 4), 400, "resuelta", 4, 30),
]
# fmt: on
EN_PERIODO = sorted(
    (ll for ll in LLAMADAS if DESDE <= ll.instante <= HASTA), key=lambda ll: ll.instante
)
ANTERIORES = [ll for ll in LLAMADAS if ANTERIOR_DESDE <= ll.instante < DESDE]


def cargar(sesion: Session) -> dict[str, int]:
    """Guarda los dos agentes y sus llamadas; devuelve el id de cada agente."""
    ids = {}
    for clave, nombre in NOMBRES.items():
        usuario = Usuario(
            nombre=nombre, email=f"{clave}@example.com", password_hash="x", rol=Rol.agente
        )
        sesion.add(usuario)
        sesion.flush()
        ids[clave] = usuario.id
    for prueba in LLAMADAS:
        llamada = Llamada(
            usuario_id=ids[prueba.agente],
            numero_cliente=prueba.cliente,
            fecha_hora=prueba.instante,
            duracion_segundos=prueba.duracion,
            tipo=prueba.tipo,
            resultado=prueba.resultado,
            satisfaccion=prueba.csat,
            tiempo_espera_segundos=prueba.espera,
            direccion=prueba.direccion,
            descripcion=prueba.notas,
        )
        sesion.add(llamada)
        sesion.flush()
        if prueba.categoria is not None:
            sesion.add(
                ClasificacionIA(
                    llamada_id=llamada.id,
                    categoria=Categoria(prueba.categoria),
                    confianza=prueba.confianza,
                    recomendacion_agente=prueba.consejo,
                    sentimiento=Sentimiento(prueba.sentimiento),
                    motor=MotorIA.local,
                    modelo="prueba",
                )
            )
    sesion.commit()
    return ids


def crear_reporte(cliente, cabeceras, sesion: Session, cambiar_ajustes, **ajustes) -> dict:
    """Centro en Bogotá, llamadas cargadas y el reporte de la semana creado por la API."""
    cambiar_ajustes(zona_horaria=ZONA, **ajustes)
    cargar(sesion)
    respuesta = cliente.post("/api/reportes/", json=PERIODO, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 201, respuesta.text
    return respuesta.json()


def descargar(cliente, cabeceras, reporte: dict, formato: str, **params) -> bytes:
    respuesta = cliente.get(
        f"/api/reportes/{reporte['id']}/descargar",
        params={"formato": formato, **params},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200, respuesta.text
    nombre = f"reporte_{reporte['id']}_2025-03-10_2025-03-16.{formato}"
    assert respuesta.headers["content-disposition"] == f'attachment; filename="{nombre}"'
    return respuesta.content
