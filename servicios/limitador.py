"""Límite de intentos de inicio de sesión fallidos, en memoria o en Redis (REDIS_URL)."""

import time

from limits import RateLimitItemPerSecond, storage, strategies

from config import Ajustes

MULTIPLICADOR_POR_DIRECCION = 4


class LimitadorLogin:
    """Fallos por (e-mail, dirección) y por dirección; compartidos entre procesos con Redis."""

    def __init__(self, ajustes: Ajustes) -> None:
        uri = ajustes.redis_url or "memory://"
        self._almacen = storage.storage_from_string(uri)
        self._estrategia = strategies.MovingWindowRateLimiter(self._almacen)
        ventana = ajustes.login_ventana_segundos
        self._por_cuenta = RateLimitItemPerSecond(ajustes.login_intentos, ventana)
        self._por_direccion = RateLimitItemPerSecond(
            ajustes.login_intentos * MULTIPLICADOR_POR_DIRECCION, ventana
        )

    def _claves(self, email: str, direccion: str):
        return (
            (self._por_cuenta, ("login", email, direccion)),
            (self._por_direccion, ("login-ip", direccion)),
        )

    def segundos_bloqueado(self, email: str, direccion: str) -> int:
        """0 si puede intentarlo; si no, segundos hasta el próximo intento permitido."""
        espera = 0
        for limite, claves in self._claves(email, direccion):
            if not self._estrategia.test(limite, *claves):
                reinicio, _ = self._estrategia.get_window_stats(limite, *claves)
                espera = max(espera, int(reinicio - time.time()) + 1)
        return espera

    def registrar_fallo(self, email: str, direccion: str) -> None:
        for limite, claves in self._claves(email, direccion):
            self._estrategia.hit(limite, *claves)

    def limpiar(self, email: str, direccion: str) -> None:
        """Tras un acceso correcto se olvidan los fallos de esa cuenta desde esa dirección."""
        self._estrategia.clear(self._por_cuenta, "login", email, direccion)

    def reiniciar(self) -> None:
        self._almacen.reset()
