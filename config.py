"""Ajustes del servicio: cada perilla sale del entorno (o de un .env) con pydantic-settings."""

import ipaddress
from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CLAVE_DE_EJEMPLO = "clave-de-desarrollo-cambiala-en-produccion"
PASSWORD_DE_EJEMPLO = "123456"
UN_MIB = 1024 * 1024


class Ajustes(BaseSettings):
    """Configuración completa; los nombres de variable de entorno son los mismos en mayúsculas."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    entorno: Literal["desarrollo", "pruebas", "produccion"] = "desarrollo"
    host: str = "127.0.0.1"
    puerto: int = Field(default=8000, ge=1, le=65535)
    database_url: str = "sqlite:///./data/callcenter.db"
    redis_url: str | None = None

    secret_key: str = CLAVE_DE_EJEMPLO
    minutos_token: int = Field(default=60 * 8, ge=1)
    bcrypt_rondas: int = Field(default=12, ge=4, le=16)
    cors_origenes: list[str] = ["http://localhost:3000", "http://localhost:5173"]

    login_intentos: int = Field(default=5, ge=1)
    login_ventana_segundos: int = Field(default=300, ge=1)
    # Proxies cuyo X-Forwarded-For se cree (IP o red); ninguno por defecto: cuenta el par TCP.
    trusted_proxies: Annotated[list[str], NoDecode] = []

    # Límites de cada petición: cuerpo (413) y cabeceras (431), comprobados mientras se leen.
    max_cuerpo_bytes: int = Field(default=UN_MIB, ge=1024)
    max_cuerpo_por_ruta: dict[str, int] = {}
    max_cabeceras_bytes: int = Field(default=16 * 1024, ge=1024)
    # Las listas cuentan como mucho estas filas para X-Total-Count (total=exacto, todas).
    lista_tope_total: int = Field(default=1000, ge=1, le=1_000_000)

    sembrar_usuarios: bool = True
    password_inicial: str = Field(default=PASSWORD_DE_EJEMPLO, min_length=6, max_length=72)
    sembrar_demo: bool = True

    openai_base_url: str | None = None
    openai_api_key: str = "lm-studio"
    openai_model: str = "openai/gpt-oss-20b"
    llm_timeout_segundos: float = Field(default=10.0, gt=0, le=120)
    clasificacion_automatica: bool = True
    texto_max_caracteres: int = Field(default=20_000, ge=100)
    confianza_revisar: float = Field(default=0.6, ge=0, le=1)

    nivel_servicio_segundos: int = Field(default=20, ge=1)
    zona_horaria: str = "Europe/Madrid"
    # Objetivos de los KPIs (servicios/objetivos.py); el nivel de servicio se mide con el umbral
    # NIVEL_SERVICIO_SEGUNDOS (80 % en 20 s por defecto); NIVEL_SERVICIO_OBJETIVO, nombre antiguo.
    objetivo_nivel_servicio: float = Field(
        default=0.8,
        ge=0,
        le=1,
        validation_alias=AliasChoices("objetivo_nivel_servicio", "nivel_servicio_objetivo"),
    )
    objetivo_aht_segundos: float = Field(default=360, gt=0)
    objetivo_csat: float = Field(default=4.0, ge=1, le=5)
    objetivo_abandono: float = Field(default=0.05, ge=0, le=1)
    objetivo_fcr: float = Field(default=0.7, ge=0, le=1)
    alerta_reclamos_factor: float = Field(default=1.5, gt=0)
    alerta_reclamos_minimo: int = Field(default=3, ge=1)
    aht_aviso_segundos: int = Field(default=360, ge=1)
    aht_alerta_segundos: int = Field(default=480, ge=1)
    csat_aviso: float = Field(default=4.0, ge=1, le=5)
    csat_alerta: float = Field(default=3.5, ge=1, le=5)
    abandono_aviso: float = Field(default=0.05, ge=0, le=1)
    abandono_alerta: float = Field(default=0.10, ge=0, le=1)

    eventos_ping_segundos: float = Field(default=15.0, gt=0, le=300)
    eventos_cola_maxima: int = Field(default=256, ge=1)
    eventos_retenidos: int = Field(default=2000, ge=1)
    reporte_automatico: Literal["diario", "semanal", "mensual", "no"] = "no"
    # PNG que el PDF de los reportes pone arriba a la derecha (ninguno por defecto).
    reporte_logo: str | None = None
    programador_activo: bool = True
    programador_intervalo_segundos: int = Field(default=600, ge=1)
    # Un GET /api/metricas/ que encuentra días cerrados sin foto (tras una importación masiva o
    # un cambio de zona) encola al momento el trabajo que las construye, sin esperar al programador.
    fotos_al_momento: bool = True

    # Resiliencia: nunca colgarse, responder 503 con Retry-After cuando no hay capacidad.
    workers: int = Field(
        default=1, ge=1, validation_alias=AliasChoices("web_concurrency", "workers")
    )
    pg_max_conexiones: int = Field(default=100, ge=2)
    pg_conexiones_reserva: int = Field(default=10, ge=0)
    max_peticiones_en_vuelo: int = Field(default=32, ge=1, le=1000)
    espera_cola_segundos: float = Field(default=5.0, ge=0)
    # Lecturas de listas a la vez por proceso, en hilos: son CPU de Python (GIL), así que más
    # de dos o tres a la vez solo se quitan la CPU unas a otras; las demás esperan su turno.
    lecturas_a_la_vez: int = Field(default=2, ge=1, le=64)
    # PostgreSQL: conexiones de asyncpg por proceso para las páginas cortas que se leen en el
    # bucle (lectura_en_bucle.LectorPostgres), aparte del pool general; no son hilos. Con 2,
    # la lista esperaba turno con el bucle ocioso: 6 daba +15 % de peticiones por segundo
    # (bench/escala.py). 0: esas páginas también se leen en hilos.
    pg_lecturas_en_bucle: int = Field(default=6, ge=0, le=64)
    # GET /api/metricas/: hilos de apoyo por proceso que leen a la vez los tramos en vivo de un
    # cálculo (servicios/metricas_a_la_vez.py), cada uno con su conexión. 0: en serie.
    metricas_lecturas_a_la_vez: int = Field(default=2, ge=0, le=8)
    # SQLite: una página corta se lee en el propio bucle, sin saltar a un hilo, mientras no
    # pase de estas instrucciones de la máquina virtual de SQLite (~1,5 ms); si pasa, se
    # interrumpe y se repite en un hilo. 0: siempre en hilos (PostgreSQL: lectura_en_bucle.py).
    lectura_en_bucle_pasos: int = Field(default=100_000, ge=0, le=10_000_000)
    plazo_peticion_segundos: float = Field(default=30.0, gt=0)
    reintentar_tras_segundos: int = Field(default=2, ge=1)
    bd_espera_conexion_segundos: float = Field(default=5.0, gt=0)
    bd_timeout_conexion_segundos: int = Field(default=5, ge=1)
    bd_timeout_sentencia_ms: int = Field(default=30_000, ge=0)
    sqlite_espera_bloqueo_ms: int = Field(default=5000, ge=0)
    redis_timeout_segundos: float = Field(default=0.3, gt=0, le=10)
    login_max_concurrentes: int = Field(default=2, ge=1)
    login_espera_segundos: float = Field(default=3.0, ge=0)
    llm_max_concurrentes: int = Field(default=4, ge=1)
    idempotencia_horas: int = Field(default=24, ge=1)
    trabajos_activo: bool = True
    trabajos_hilos: int = Field(default=2, ge=1, le=32)
    trabajos_intentos: int = Field(default=5, ge=1, le=50)
    trabajos_espera_segundos: float = Field(default=5.0, ge=0, le=3600)
    trabajos_arriendo_segundos: float = Field(default=30.0, ge=1, le=3600)
    trabajos_sondeo_segundos: float = Field(default=1.0, gt=0, le=60)
    # Motor local de transcripción (faster-whisper, int8 en CPU). TRANSCRIPCION_MODELO es "pypi"
    # (Whisper base de los paquetes de requirements.txt, verificado por sha256, sin red), un
    # tamaño que faster-whisper descarga la primera vez ("base", "small"...) o una carpeta local
    # con un modelo CTranslate2. TRANSCRIPCION_HILOS: hilos de CPU de cada transcripción.
    transcripcion_modelo: str = Field(default="pypi", min_length=1)
    transcripcion_hilos: int = Field(default=2, ge=1, le=64)

    # Grabaciones: dónde se guardan, tamaño máximo de una subida y días que se conservan.
    grabaciones_dir: str = "data/grabaciones"
    grabacion_max_mb: int = Field(default=100, ge=1, le=4096)
    grabaciones_retencion_dias: int | None = Field(default=None, ge=0)
    # En una grabación estéreo, el canal (0 o 1) que lleva la voz del agente.
    grabacion_canal_agente: Literal[0, 1] = 0
    # Transcripción: motor local (faster-whisper) o remoto compatible con OpenAI.
    transcripcion_motor: Literal["local", "remoto"] = "local"
    transcripcion_remota_url: str | None = None
    transcripcion_remota_clave: str = "sin-clave"
    transcripcion_remota_modelo: str = "whisper-1"
    transcripcion_remota_timeout_segundos: float = Field(default=120.0, gt=0, le=3600)

    @field_validator("zona_horaria")
    @classmethod
    def _zona_valida(cls, valor: str) -> str:
        try:
            ZoneInfo(valor)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"ZONA_HORARIA: zona IANA desconocida: {valor!r}") from error
        return valor

    log_formato: Literal["texto", "json"] = "texto"
    log_nivel: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Con token, /metrics exige "Authorization: Bearer <token>"; sin él, solo desde loopback.
    metricas_token: str | None = Field(default=None, min_length=16)

    @field_validator("metricas_token", mode="before")
    @classmethod
    def _token_vacio_es_ninguno(cls, valor: str | None) -> str | None:
        return valor or None

    @field_validator("openai_base_url", "reporte_logo", "transcripcion_remota_url")
    @classmethod
    def _url_vacia_es_ninguna(cls, valor: str | None) -> str | None:
        return valor or None

    @field_validator("grabaciones_retencion_dias", mode="before")
    @classmethod
    def _retencion_vacia_es_ninguna(cls, valor: object) -> object:
        return None if valor == "" else valor

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _lista_de_proxies(cls, valor: object) -> object:
        # TRUSTED_PROXIES=10.0.0.1,10.0.0.0/24 (separadas por comas); cada una, IP o red válida.
        if isinstance(valor, str):
            valor = [parte.strip() for parte in valor.split(",") if parte.strip()]
        if isinstance(valor, list):
            for parte in valor:
                ipaddress.ip_network(str(parte), strict=False)
        return valor

    @model_validator(mode="after")
    def _sin_secretos_de_ejemplo_en_produccion(self) -> "Ajustes":
        if self.entorno == "produccion" and (
            self.secret_key == CLAVE_DE_EJEMPLO or len(self.secret_key) < 32
        ):
            raise ValueError("SECRET_KEY debe fijarse (32+ caracteres) en producción")
        return self

    @property
    def zona(self) -> ZoneInfo:
        return ZoneInfo(self.zona_horaria)

    @property
    def nivel_servicio_objetivo(self) -> float:
        return self.objetivo_nivel_servicio

    @property
    def grabacion_max_bytes(self) -> int:
        return self.grabacion_max_mb * UN_MIB

    @property
    def es_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def obtener_ajustes() -> Ajustes:
    """Ajustes del proceso, leídos una vez."""
    return Ajustes()
