"""GET /metrics: con METRICAS_TOKEN exige ese Bearer; sin él, solo loopback y sin proxy."""

import hmac
from ipaddress import ip_address

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from observabilidad.prometheus import TIPO_CONTENIDO, exponer

RUTA_METRICAS = "/metrics"
# Una petición reenviada por un proxy local llega desde 127.0.0.1 pero no es local.
CABECERAS_DE_PROXY = ("x-forwarded-for", "forwarded", "x-real-ip")


def es_loopback(host: str | None) -> bool:
    try:
        direccion = ip_address(host or "")
    except ValueError:
        return False
    mapeada = getattr(direccion, "ipv4_mapped", None)
    return (mapeada or direccion).is_loopback


def _rechazo(request: Request) -> Response | None:
    token = request.app.state.ajustes.metricas_token
    if token:
        esquema, _, recibido = request.headers.get("authorization", "").partition(" ")
        if esquema.lower() == "bearer" and hmac.compare_digest(recibido.encode(), token.encode()):
            return None
        return JSONResponse(
            {"detail": "Falta el token de métricas o no es válido: 'Authorization: Bearer …'"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    local = es_loopback(request.client.host if request.client else None)
    if local and not any(c in request.headers for c in CABECERAS_DE_PROXY):
        return None
    return JSONResponse(
        {"detail": "Permiso denegado: /metrics solo responde en loopback; fija METRICAS_TOKEN"},
        status_code=403,
    )


def metricas_prometheus(request: Request) -> Response:
    """Métricas en formato de texto de Prometheus (síncrona: corre en el pool de hilos)."""
    return _rechazo(request) or Response(exponer(), media_type=TIPO_CONTENIDO)


metricas_prometheus.plantilla_ruta = RUTA_METRICAS  # type: ignore[attr-defined]
