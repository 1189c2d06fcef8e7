"""Límite de intentos de inicio de sesión fallidos, en memoria o en Redis (REDIS_URL).

Si Redis no responde (caído o colgado), el límite sigue en la memoria del proceso durante
una pausa y luego se vuelve a probar Redis: un login nunca da 500 ni espera más que el plazo
de socket (REDIS_TIMEOUT_SEGUNDOS). Se avisa una vez al caer y otra al volver.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from limits import RateLimitItemPerSecond, storage, strategies

from config import Ajustes

registro = logging.getLogger("callcenter.limitador")

MULTIPLICADOR_POR_DIRECCION = 4
PAUSA_REDIS_SEGUNDOS = 30.0
T = TypeVar("T")


def _almacen_redis(uri: str, plazo: float) -> storage.Storage:
    """Almacén Redis con plazos cortos de conexión y lectura, sin reintentos propios."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return storage.storage_from_string(
        uri,
        socket_connect_timeout=plazo,
        socket_timeout=plazo,
        retry=Retry(NoBackoff(), 0),
    )


class LimitadorLogin:
    """Fallos por (e-mail, dirección) y por dirección; compartidos entre procesos con Redis."""

    def __init__(self, ajustes: Ajustes) -> None:
        self._memoria = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self._redis: strategies.MovingWindowRateLimiter | None = None
        if ajustes.redis_url:
            almacen = _almacen_redis(ajustes.redis_url, ajustes.redis_timeout_segundos)
            self._redis = strategies.MovingWindowRateLimiter(almacen)
        self._redis_caido_hasta = 0.0
        self._caido = False
        self._cerrojo = threading.Lock()
        ventana = ajustes.login_ventana_segundos
        self._por_cuenta = RateLimitItemPerSecond(ajustes.login_intentos, ventana)
        self._por_direccion = RateLimitItemPerSecond(
            ajustes.login_intentos * MULTIPLICADOR_POR_DIRECCION, ventana
        )

    @property
    def usando_redis(self) -> bool:
        """True si ahora mismo se cuenta en Redis (configurado y sin pausa por caída)."""
        return self._redis is not None and time.monotonic() >= self._redis_caido_hasta

    def _con_estrategia(self, operacion: Callable[[strategies.RateLimiter], T]) -> T:
        """Ejecuta en Redis si está disponible; si falla, en memoria (y pausa Redis un rato)."""
        if self._redis is not None and self.usando_redis:
            try:
                resultado = operacion(self._redis)
            except Exception as error:
                self._anotar_caida(error)
            else:
                self._anotar_vuelta()
                return resultado
        return operacion(self._memoria)

    def _anotar_caida(self, error: Exception) -> None:
        with self._cerrojo:
            avisar = time.monotonic() >= self._redis_caido_hasta
            self._redis_caido_hasta = time.monotonic() + PAUSA_REDIS_SEGUNDOS
            self._caido = True
        if avisar:
            registro.warning(
                "Redis no responde (%s); el límite de login sigue en memoria del proceso y se "
                "reintentará Redis en %g s",
                type(error).__name__,
                PAUSA_REDIS_SEGUNDOS,
            )

    def _anotar_vuelta(self) -> None:
        if self._caido:
            with self._cerrojo:
                self._caido = False
            registro.warning("Redis vuelve a responder; el límite de login vuelve a Redis")

    def _claves(self, email: str, direccion: str):
        return (
            (self._por_cuenta, ("login", email, direccion)),
            (self._por_direccion, ("login-ip", direccion)),
        )

    def segundos_bloqueado(self, email: str, direccion: str) -> int:
        """0 si puede intentarlo; si no, segundos hasta el próximo intento permitido."""

        def consultar(estrategia: strategies.RateLimiter) -> int:
            espera = 0
            for limite, claves in self._claves(email, direccion):
                if not estrategia.test(limite, *claves):
                    reinicio, _ = estrategia.get_window_stats(limite, *claves)
                    espera = max(espera, int(reinicio - time.time()) + 1)
            return espera

        return self._con_estrategia(consultar)

    def registrar_fallo(self, email: str, direccion: str) -> None:
        def anotar(estrategia: strategies.RateLimiter) -> None:
            for limite, claves in self._claves(email, direccion):
                estrategia.hit(limite, *claves)

        self._con_estrategia(anotar)

    def limpiar(self, email: str, direccion: str) -> None:
        """Tras un acceso correcto se olvidan los fallos de esa cuenta desde esa dirección."""
        self._con_estrategia(lambda e: e.clear(self._por_cuenta, "login", email, direccion))

    def reiniciar(self) -> None:
        self._memoria.storage.reset()
        self._redis_caido_hasta = 0.0
        if self._redis is not None:
            self._con_estrategia(lambda e: e.storage.reset())
