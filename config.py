"""Ajustes del servicio: cada perilla sale del entorno (o de un .env) con pydantic-settings."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

CLAVE_DE_EJEMPLO = "clave-de-desarrollo-cambiala-en-produccion"


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

    sembrar_usuarios: bool = True
    sembrar_demo: bool = True

    openai_base_url: str | None = None
    openai_api_key: str = "lm-studio"
    openai_model: str = "openai/gpt-oss-20b"
    llm_timeout_segundos: float = Field(default=10.0, gt=0, le=120)
    clasificacion_automatica: bool = True
    texto_max_caracteres: int = Field(default=20_000, ge=100)
    confianza_revisar: float = Field(default=0.6, ge=0, le=1)

    nivel_servicio_segundos: int = Field(default=20, ge=1)
    reporte_automatico: Literal["diario", "semanal", "no"] = "no"
    programador_activo: bool = True
    programador_intervalo_segundos: int = Field(default=600, ge=1)

    @field_validator("openai_base_url")
    @classmethod
    def _url_vacia_es_ninguna(cls, valor: str | None) -> str | None:
        return valor or None

    @model_validator(mode="after")
    def _sin_secretos_de_ejemplo_en_produccion(self) -> "Ajustes":
        if self.entorno == "produccion" and (
            self.secret_key == CLAVE_DE_EJEMPLO or len(self.secret_key) < 32
        ):
            raise ValueError("SECRET_KEY debe fijarse (32+ caracteres) en producción")
        return self

    @property
    def es_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def obtener_ajustes() -> Ajustes:
    """Ajustes del proceso, leídos una vez."""
    return Ajustes()
