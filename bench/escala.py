"""Banco de listas a escala: 1 000 000 de llamadas de un año en SQLite y en PostgreSQL.

Carga las llamadas en bloque (bench/escala_datos.py), arranca la app real (uvicorn, un proceso)
sobre cada base e imprime p50/p99 de cada filtro de lista (primera página, filtros combinados,
skip profundo y cursor profundo), de GET /api/metricas/ a 30 días y a un año, y el rendimiento
de GET /api/llamadas/?limit=20 con wrk (32 conexiones) frente a la referencia desnuda de
bench/app_desnuda.py en la misma pasada: `--rondas` rondas alternadas (API, desnuda), con la
relación de cada ronda y la mediana (la máquina varía de una ronda a otra).

Uso: python bench/escala.py [--llamadas 1000000] [--peticiones 40] [--segundos 10]
     [--rondas 3] [--sqlite /tmp/bench_escala.db | --sqlite ""]
     [--pg postgresql://postgres@127.0.0.1:5432/bench_escala | --pg ""] [--reusar]
     [--sin-fotos] [--solo-metricas | --solo-rendimiento]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from bench.bases import app_sobre, bases, opciones_de_bases  # noqa: E402
from bench.carga import arrancar, asegurar_wrk, guion_lua, medir, puerto_libre  # noqa: E402
from bench.escala_datos import construir_fotos, llenar  # noqa: E402

PROFUNDO = 500_000


def casos(ahora: datetime, agente: int, cliente: str) -> list[tuple[str, str, dict]]:
    """(nombre, ruta, parámetros) de cada lista medida."""
    mes = (ahora - timedelta(days=30)).isoformat()
    semana = {"desde": (ahora - timedelta(days=200)).isoformat()}
    semana["hasta"] = (ahora - timedelta(days=193)).isoformat()
    return [
        ("llamadas, primera página", "/api/llamadas/", {}),
        ("llamadas, tipo+resultado", "/api/llamadas/", {"tipo": "venta", "resultado": "escalada"}),
        ("llamadas, agente", "/api/llamadas/", {"usuario_id": agente}),
        (
            "llamadas, agente+tipo+30 días",
            "/api/llamadas/",
            {"usuario_id": agente, "tipo": "venta", "desde": mes},
        ),
        ("llamadas, cliente", "/api/llamadas/", {"numero_cliente": cliente}),
        ("llamadas, categoría reclamo", "/api/llamadas/", {"categoria": "reclamo"}),
        ("llamadas, sin clasificar", "/api/llamadas/", {"categoria": "sin_clasificar"}),
        ("llamadas, una semana de hace 200 días", "/api/llamadas/", semana),
        ("clasificaciones, primera página", "/api/clasificaciones-ia/", {}),
        (
            "clasificaciones, reclamo+revisar",
            "/api/clasificaciones-ia/",
            {"categoria": "reclamo", "revisar": "true"},
        ),
        (
            "clasificaciones, motor+agente",
            "/api/clasificaciones-ia/",
            {"motor": "local", "usuario_id": agente},
        ),
        ("usuarios", "/api/usuarios/", {}),
        ("auditoría", "/api/auditoria/", {}),
    ]


def _percentiles(tiempos: list[float]) -> tuple[float, float]:
    ordenados = sorted(tiempos)
    return statistics.median(ordenados), ordenados[round(0.99 * (len(ordenados) - 1))]


def _tiempos(cliente: httpx.Client, url: str, params: dict, veces: int) -> list[float]:
    cliente.get(url, params=params).raise_for_status()
    tiempos = []
    for _ in range(veces):
        inicio = time.perf_counter()
        respuesta = cliente.get(url, params=params)
        tiempos.append((time.perf_counter() - inicio) * 1000)
        respuesta.raise_for_status()
    return tiempos


def _fila(nombre: str, tiempos: list[float], extra: str = "") -> None:
    p50, p99 = _percentiles(tiempos)
    print(f"  {nombre:44} p50 {p50:7.1f} ms · p99 {p99:7.1f} ms {extra}", flush=True)


def _cursor_profundo(cliente: httpx.Client, url: str, params: dict) -> str:
    """El enlace rel="next" de la página que empieza en PROFUNDO (una sola petición con skip);
    con menos filas, el de la mitad de la lista."""
    exacto = {**params, "limit": 1, "total": "exacto"}
    total = int(cliente.get(url, params=exacto).headers["X-Total-Count"])
    profundo = PROFUNDO if total >= PROFUNDO else max(20, total // 2)
    respuesta = cliente.get(url, params={**params, "skip": profundo - 20, "limit": 20})
    respuesta.raise_for_status()
    return respuesta.headers["Link"].split(">")[0].lstrip("<")


def medir_listas(cliente: httpx.Client, ahora: datetime, veces: int) -> None:
    agentes = cliente.get("/api/usuarios/", params={"rol": "agente", "limit": 1}).json()
    una = cliente.get("/api/llamadas/", params={"limit": 1}).json()[0]
    for nombre, url, params in casos(ahora, agentes[0]["id"], una["numero_cliente"]):
        respuesta = cliente.get(url, params={**params, "limit": 20})
        total = respuesta.headers.get("X-Total-Count", "?")
        if respuesta.headers.get("X-Total-Exacto") == "false":
            total = f"≥{total}"
        _fila(nombre, _tiempos(cliente, url, {**params, "limit": 20}, veces), f"(total {total})")
    for url in ("/api/llamadas/", "/api/clasificaciones-ia/"):
        _fila(
            f"{url} skip={PROFUNDO:,}", _tiempos(cliente, url, {"skip": PROFUNDO, "limit": 20}, 5)
        )
        enlace = _cursor_profundo(cliente, url, {})
        _fila(f"{url} cursor tras {PROFUNDO:,}", _tiempos(cliente, enlace, {}, veces))
    exacto = _tiempos(cliente, "/api/llamadas/", {"limit": 20, "total": "exacto"}, 5)
    _fila("/api/llamadas/ total=exacto", exacto)


def medir_metricas(cliente: httpx.Client, ahora: datetime, veces: int) -> None:
    """p50/p99 de cada rango, con el tiempo de la primera petición (sin nada en caché) aparte,
    y la referencia de la misma pasada: una petición autenticada mínima (GET /api/usuarios/me)."""
    _fila("referencia: GET /api/usuarios/me", _tiempos(cliente, "/api/usuarios/me", {}, veces))
    for nombre, dias in (("30 días", 30), ("1 año", 366)):
        params = {"desde": (ahora - timedelta(days=dias)).isoformat(), "hasta": ahora.isoformat()}
        inicio = time.perf_counter()
        cuerpo = cliente.get("/api/metricas/", params=params).raise_for_status().json()
        primera = (time.perf_counter() - inicio) * 1000
        extra = f"(primera {primera:.0f} ms, {cuerpo.get('dias_desde_fotos', 0)} días de fotos)"
        tiempos = _tiempos(cliente, "/api/metricas/", params, veces)
        _fila(f"GET /api/metricas/ {nombre}", tiempos, extra)


def medir_rendimiento(base: str, token: str, args: argparse.Namespace) -> None:
    """wrk contra la lista real y contra la app desnuda con el mismo JSON, en la misma pasada:
    rondas alternadas, cada una con su relación, y la mediana de las relaciones."""
    wrk, segundos, conexiones = asegurar_wrk(), args.segundos, args.conexiones
    temporal = Path(tempfile.mkdtemp(prefix="bench-escala-"))
    auth = {"Authorization": f"Bearer {token}"}
    lista = httpx.get(f"{base}/api/llamadas/?limit=20", headers=auth).json()
    (temporal / "lista.json").write_text(json.dumps(lista), encoding="utf-8")
    puerto = puerto_libre()
    desnuda = arrancar(
        "bench.app_desnuda:app", puerto, {"BENCH_LISTA_JSON": str(temporal / "lista.json")}
    )
    relaciones = []
    try:
        guion = guion_lua(temporal, "listar", "GET", "", auth)
        for ronda in range(1, args.rondas + 1):
            api = medir(wrk, f"{base}/api/llamadas/?limit=20", guion, segundos, conexiones)
            url_ref = f"http://127.0.0.1:{puerto}/api/llamadas/?limit=20"
            ref = medir(wrk, url_ref, guion, segundos, conexiones)
            relaciones.append(api["rps"] / ref["rps"])
            print(
                f"  wrk {conexiones} conexiones, ronda {ronda}: API {api['rps']:.0f} pet/s "
                f"(p50 {api['p50']:.1f} ms, no-2xx {api['errores']}) · desnuda "
                f"{ref['rps']:.0f} pet/s · relación {relaciones[-1]:.2f}×",
                flush=True,
            )
    finally:
        desnuda.terminate()
        desnuda.wait(timeout=10)
    if len(relaciones) > 1:
        extremos = f"{min(relaciones):.2f}–{max(relaciones):.2f}"
        print(
            f"  relación, mediana de {len(relaciones)} rondas: "
            f"{statistics.median(relaciones):.2f}× ({extremos})",
            flush=True,
        )


def banco(url: str, args: argparse.Namespace, ahora: datetime) -> None:
    motor = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(f"\n== {motor}: {args.llamadas:,} llamadas de un año ==", flush=True)
    if not args.reusar:
        print(f"  carga en bloque: {llenar(url, args.llamadas, 40, ahora):.1f} s", flush=True)
    if not args.sin_fotos:
        # Parte de la importación, como los índices: lo que el programador haría al arrancar.
        print(f"  fotos diarias de una vez: {construir_fotos(url, ahora):.1f} s", flush=True)
    with app_sobre(url) as app:
        with httpx.Client(base_url=app.base, headers=app.cabeceras, timeout=300) as cliente:
            if not (args.solo_metricas or args.solo_rendimiento):
                medir_listas(cliente, ahora, args.peticiones)
            if not args.solo_rendimiento:
                medir_metricas(cliente, ahora, max(5, args.peticiones // 4))
        if not args.solo_metricas:
            medir_rendimiento(app.base, app.token, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llamadas", type=int, default=1_000_000)
    parser.add_argument("--peticiones", type=int, default=40)
    parser.add_argument("--segundos", type=int, default=10)
    parser.add_argument("--conexiones", type=int, default=32)
    parser.add_argument("--rondas", type=int, default=3, help="rondas alternadas de wrk")
    opciones_de_bases(parser)
    parser.add_argument("--reusar", action="store_true", help="no recarga: usa las bases ya llenas")
    parser.add_argument(
        "--sin-fotos", action="store_true", help="no construye las fotos diarias tras la carga"
    )
    solo = parser.add_mutually_exclusive_group()
    solo.add_argument(
        "--solo-metricas", action="store_true", help="mide solo GET /api/metricas/ (sin listas)"
    )
    solo.add_argument(
        "--solo-rendimiento", action="store_true", help="mide solo el rendimiento con wrk"
    )
    args = parser.parse_args()
    ahora = datetime.now(UTC)
    for _, url in bases(args):
        banco(url, args, ahora)


if __name__ == "__main__":
    main()
