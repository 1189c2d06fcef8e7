"""La transcripción sobrevive a un kill -9 del proceso que la estaba haciendo: otro proceso la
retoma cuando caduca su arriendo (SQLite) o su latido (PostgreSQL) y la termina una vez."""

import os
import time

import httpx
import pytest

from test.audio_prueba import wav
from test.procesos import base_postgresql_vacia, token
from test.servidor_proceso import python_main
from test.servidor_transcripcion_falso import MODELO, ServidorTranscripcionFalso

GUION = [(0, 0.3, 1.5, "Buenos días, dígame"), (1, 1.8, 3.5, "Quiero darme de baja")]
BASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _entorno(tmp_path, base: str, servidor: ServidorTranscripcionFalso) -> dict[str, str]:
    if base == "sqlite":
        url = f"sqlite:///{tmp_path}/kill.db"
    else:
        url = base_postgresql_vacia(os.environ["TEST_DATABASE_URL"], "transcripcion")
    return {
        "DATABASE_URL": url,
        "GRABACIONES_DIR": str(tmp_path / "grabaciones"),
        "TRANSCRIPCION_MOTOR": "remoto",
        "TRANSCRIPCION_REMOTA_URL": servidor.url,
        "TRANSCRIPCION_REMOTA_CLAVE": servidor.clave,
        "TRANSCRIPCION_REMOTA_MODELO": MODELO,
        "TRANSCRIPCION_MODELO": str(tmp_path / "sin-modelo"),
        "TRABAJOS_ARRIENDO_SEGUNDOS": "2",
        "TRABAJOS_SONDEO_SEGUNDOS": "0.2",
        "CLASIFICACION_AUTOMATICA": "false",
    }


def _esperar_lista(url: str, cabeceras: dict, llamada_id: int, plazo: float = 90) -> dict:
    limite = time.monotonic() + plazo
    while True:
        cuerpo = httpx.get(
            f"{url}/api/llamadas/{llamada_id}/transcripcion", headers=cabeceras, timeout=10
        ).json()
        if cuerpo["estado"] == "lista":
            return cuerpo
        assert time.monotonic() < limite, cuerpo
        time.sleep(0.2)


@pytest.mark.parametrize("base", BASES)
def test_la_transcripcion_sobrevive_a_un_kill_9_del_trabajador(tmp_path, base):
    audio = wav(tmp_path / "k.wav", GUION, canales=2, duracion=4.0).read_bytes()
    with ServidorTranscripcionFalso(GUION) as remoto:
        remoto.retener = True
        entorno = _entorno(tmp_path, base, remoto)
        primero = python_main(tmp_path, **entorno)
        try:
            cabeceras = {"Authorization": f"Bearer {token(primero.url, 'agente1@example.com')}"}
            datos = {"numero_cliente": "600111222", "duracion_segundos": 4, "tipo": "soporte"}
            datos["resultado"] = "atendida"
            llamada = httpx.post(
                f"{primero.url}/api/llamadas/", json=datos, headers=cabeceras, timeout=10
            ).json()
            subida = httpx.post(
                f"{primero.url}/api/llamadas/{llamada['id']}/grabacion",
                files={"archivo": ("k.wav", audio, "audio/wav")},
                headers=cabeceras,
                timeout=30,
            )
            assert subida.status_code == 201, subida.text
            # El trabajo está dentro del motor remoto: se mata el proceso ahí mismo.
            assert remoto.recibida.wait(60), primero.parar()
            primero.proceso.kill()
            primero.proceso.wait(10)
        finally:
            primero.parar()
        remoto.retener = False
        remoto.soltar.set()
        segundo = python_main(tmp_path, **entorno)
        try:
            cuerpo = _esperar_lista(segundo.url, cabeceras, llamada["id"])
        finally:
            segundo.parar()
    assert cuerpo["intentos"] == 2
    assert [s["texto"] for s in cuerpo["segmentos"]] == [t for *_, t in GUION]
    assert [s["hablante"] for s in cuerpo["segmentos"]] == ["agente", "cliente"]
    # Una petición cortada por el kill y dos (una por canal) del intento que terminó.
    assert len(remoto.peticiones) == 3
