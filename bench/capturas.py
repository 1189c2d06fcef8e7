"""Capturas de la consola para el README: arranca la app con datos de demostración, añade la
actividad de un día (y la del mismo día de la semana pasada), pone a los agentes en distintos
estados y fotografía el tablero (1920x1080) y la pantalla del agente con el Chromium del sistema.

Uso: python bench/capturas.py [--salida docs/capturas]
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from modelos.enums import TipoLlamada  # noqa: E402
from modelos.estado_agente import EstadoActual  # noqa: E402
from servicios.semilla import PASSWORD_INICIAL  # noqa: E402
from servicios.semilla_textos import NOTAS_POR_TIPO  # noqa: E402

AGENTES_EXTRA = (
    ("Lucía Pérez", "lucia@example.com"),
    ("Javier Gómez", "javier@example.com"),
    ("Carmen Ortiz", "carmen@example.com"),
)
ESTADOS = (
    ("agente1@example.com", "en_llamada", None, 4),
    ("agente2@example.com", "disponible", None, 1),
    ("agente3@example.com", "pausa", "Comida", 17),
    ("lucia@example.com", "en_llamada", None, 9),
    ("javier@example.com", "disponible", None, 2),
    ("carmen@example.com", "desconectado", None, 95),
)
TIPOS = list(TipoLlamada)
PESOS_TIPO = [24, 26, 14, 16, 12, 8]
RESULTADOS = ["resuelta", "atendida", "escalada", "pendiente", "colgada"]
PESOS_RESULTADO = [52, 20, 9, 8, 5]


def _token(http: httpx.Client, email: str) -> dict[str, str]:
    respuesta = http.post(
        "/api/usuarios/login", json={"email": email, "password": PASSWORD_INICIAL}
    )
    respuesta.raise_for_status()
    return {"Authorization": f"Bearer {respuesta.json()['access_token']}"}


def _llamada(azar: random.Random, usuario_id: int, fecha: datetime, tipo=None) -> dict:
    tipo = tipo or azar.choices(TIPOS, weights=PESOS_TIPO)[0]
    resultado = azar.choices(RESULTADOS, weights=PESOS_RESULTADO)[0]
    return {
        "usuario_id": usuario_id,
        "numero_cliente": f"+34 6{azar.randint(10, 99)} {azar.randint(100_000, 999_999)}",
        "duracion_segundos": azar.randint(20, 60)
        if resultado == "colgada"
        else azar.randint(120, 520),
        "tipo": tipo.value,
        "resultado": resultado,
        "fecha_hora": fecha.isoformat(),
        "descripcion": azar.choice(NOTAS_POR_TIPO[tipo]),
        "satisfaccion": None if resultado == "colgada" else azar.choices([3, 4, 5], [1, 3, 5])[0],
        "tiempo_espera_segundos": azar.choices([azar.randint(2, 19), azar.randint(20, 70)], [5, 1])[
            0
        ],
    }


def _horas_del_dia(dia: datetime, zona: ZoneInfo, hasta: datetime) -> list[datetime]:
    """Instantes entre las 8:00 locales y `hasta`, más densos a media mañana y media tarde."""
    inicio = dia.astimezone(zona).replace(hour=8, minute=0, second=0, microsecond=0)
    instantes = []
    momento = inicio
    azar = random.Random(dia.toordinal())
    while momento < hasta:
        hora = momento.hour
        ritmo = 7 if 10 <= hora < 13 or 16 <= hora < 18 else 4
        instantes.append(momento)
        momento += timedelta(minutes=azar.uniform(0.4, 1.6) * 60 / ritmo)
    return [m.astimezone(UTC) for m in instantes]


def preparar_datos(http: httpx.Client, servidor) -> None:
    """Agentes extra, un día de llamadas (hoy y hace una semana), un pico de reclamos y estados."""
    azar = random.Random(47)
    admin = _token(http, "admin@example.com")
    for nombre, email in AGENTES_EXTRA:
        http.post(
            "/api/usuarios/",
            json={"nombre": nombre, "email": email, "password": PASSWORD_INICIAL, "rol": "agente"},
            headers=admin,
        )
    agentes = {
        u["email"]: u["id"]
        for u in http.get("/api/usuarios/", params={"rol": "agente"}, headers=admin).json()
    }
    zona = ZoneInfo(http.get("/api/tablero/", headers=admin).json()["zona_horaria"])
    ahora = datetime.now(UTC)
    ids = list(agentes.values())
    ultima_hora = ahora - timedelta(minutes=55)
    for dia, hasta in (
        (ahora - timedelta(days=7), ahora - timedelta(days=7) + timedelta(hours=3)),
        (ahora, ultima_hora),
    ):
        for fecha in _horas_del_dia(dia, zona, hasta.astimezone(zona)):
            respuesta = http.post(
                "/api/llamadas/", json=_llamada(azar, azar.choice(ids), fecha), headers=admin
            )
            respuesta.raise_for_status()
    for minuto in range(2, 52, 6):
        fecha = ahora - timedelta(minutes=minuto)
        http.post(
            "/api/llamadas/",
            json=_llamada(azar, azar.choice(ids), fecha, TipoLlamada.reclamo),
            headers=admin,
        )
    for email, estado, motivo, _ in ESTADOS:
        cabeceras = _token(http, email)
        # Pasar antes por disponible: repetir «desconectado» (el de partida) no guarda nada.
        for paso in ({"estado": "disponible"}, {"estado": estado, "motivo": motivo}):
            http.put("/api/estados-agente/me", json=paso, headers=cabeceras).raise_for_status()
    # Antigüedad creíble en cada estado (los estados recién puestos marcarían 0:00).
    with servidor.app.state.fabrica_sesiones() as sesion:
        for email, _, _, minutos in ESTADOS:
            fila = sesion.get(EstadoActual, agentes[email])
            fila.desde = ahora - timedelta(minutes=minutos, seconds=azar.randint(0, 59))
        sesion.commit()


def capturar(servidor, salida: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from test.navegador import ARGUMENTOS_CHROMIUM, RUTA_CHROMIUM, entrar

    rutas = []
    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(
            executable_path=RUTA_CHROMIUM, args=ARGUMENTOS_CHROMIUM
        )
        contexto = navegador.new_context(
            viewport={"width": 1920, "height": 1080},
            locale="es-ES",
            timezone_id="Europe/Madrid",
            base_url=servidor.url,
        )
        tablero = contexto.new_page()
        entrar(tablero, "supervisor")
        tablero.wait_for_selector("#agentes tr[data-usuario]")
        tablero.wait_for_selector("#conexion[data-estado='en_vivo']")
        time.sleep(1.5)
        rutas.append(salida / "tablero.png")
        tablero.screenshot(path=rutas[-1])
        tablero.set_viewport_size({"width": 1366, "height": 768})
        time.sleep(0.5)
        rutas.append(salida / "tablero-portatil.png")
        tablero.screenshot(path=rutas[-1])

        agente_ctx = navegador.new_context(
            viewport={"width": 1440, "height": 1000},
            locale="es-ES",
            timezone_id="Europe/Madrid",
            base_url=servidor.url,
        )
        agente = agente_ctx.new_page()
        entrar(agente, "agente")
        repetido = agente.evaluate(
            "fetch('/api/llamadas/?limit=1', {headers: {Authorization: 'Bearer ' + "
            "sessionStorage.getItem('cc.token')}}).then(r => r.json())"
            ".then(d => d[0].numero_cliente)"
        )
        agente.fill("#llamada-numero", repetido)
        agente.wait_for_selector("#historial-cliente li")
        agente.select_option("#llamada-tipo", "reclamo")
        agente.select_option("#llamada-resultado", "escalada")
        agente.fill("#llamada-duracion", "6:42")
        agente.fill("#llamada-espera", "35")
        agente.select_option("#llamada-csat", "2")
        agente.fill(
            "#llamada-notas",
            "Segunda vez que llama esta semana: el técnico no vino a la cita y sigue sin "
            "internet. Está muy molesto y pide una compensación en la factura.",
        )
        agente.click("#llamada-guardar")
        agente.wait_for_selector("#ia-resultado")
        time.sleep(0.6)
        rutas.append(salida / "agente.png")
        agente.screenshot(path=rutas[-1], full_page=True)
        navegador.close()
    return rutas


def main() -> None:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--salida", type=Path, default=RAIZ / "docs" / "capturas")
    analizador.add_argument(
        "--bd", type=Path, help="fichero SQLite a conservar (si ya existe, se reutilizan sus datos)"
    )
    argumentos = analizador.parse_args()
    argumentos.salida.mkdir(parents=True, exist_ok=True)

    from main import crear_app
    from test.conftest import ajustes_de_prueba
    from test.navegador import arrancar_servidor

    with tempfile.TemporaryDirectory() as carpeta:
        bd = argumentos.bd or Path(carpeta) / "demo.db"
        nueva = not bd.exists()
        ajustes = ajustes_de_prueba(database_url=f"sqlite:///{bd}", sembrar_demo=True)
        servidor = arrancar_servidor(crear_app(ajustes))
        try:
            if nueva:
                with httpx.Client(base_url=servidor.url, timeout=30) as http:
                    preparar_datos(http, servidor)
            for ruta in capturar(servidor, argumentos.salida):
                print(ruta.relative_to(RAIZ) if ruta.is_relative_to(RAIZ) else ruta)
        finally:
            servidor.detener()


if __name__ == "__main__":
    main()
