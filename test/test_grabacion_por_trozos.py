"""Una subida de grabación enviada por trozos (sin Content-Length) a un uvicorn real se corta
con 413 en cuanto pasa del máximo, sin leerse entera y sin dejar fichero ni fila."""

import select
import socket
import time

import httpx

from config import UN_MIB
from test.ayudas_api import datos_llamada
from test.conftest import EMAILS, ajustes_de_prueba
from test.servidor_real import servidor_real
from test.test_limites import _leer_respuesta

MAXIMO_MB = 1
TROZO = 64 * 1024
LIMITE = "boundary-de-prueba"


def test_subida_por_trozos_mayor_que_el_maximo_da_413_y_no_guarda_nada(tmp_path):
    carpeta = tmp_path / "grabaciones"
    ajustes = ajustes_de_prueba(
        database_url=f"sqlite:///{tmp_path / 'cc.db'}",
        grabaciones_dir=str(carpeta),
        grabacion_max_mb=MAXIMO_MB,
    )
    with (
        servidor_real(ajustes) as (_, puerto),
        httpx.Client(base_url=f"http://127.0.0.1:{puerto}", timeout=10) as http,
    ):
        login = {"email": EMAILS["agente"], "password": "123456"}
        token = http.post("/api/usuarios/login", json=login).json()["access_token"]
        autorizacion = {"Authorization": f"Bearer {token}"}
        llamada_id = http.post("/api/llamadas/", json=datos_llamada(), headers=autorizacion).json()[
            "id"
        ]
        ruta = f"/api/llamadas/{llamada_id}/grabacion"
        cabecera = "\r\n".join(
            [
                f"POST {ruta} HTTP/1.1",
                f"Host: 127.0.0.1:{puerto}",
                f"Authorization: Bearer {token}",
                f"Content-Type: multipart/form-data; boundary={LIMITE}",
                "Transfer-Encoding: chunked",
                "",
                "",
            ]
        ).encode()
        inicio_parte = (
            f'--{LIMITE}\r\nContent-Disposition: form-data; name="archivo"; '
            'filename="grande.wav"\r\nContent-Type: audio/wav\r\n\r\n'
        ).encode()
        total = 64 * MAXIMO_MB * UN_MIB  # 64 veces el máximo, si nadie lo cortara
        enviados = 0
        with socket.create_connection(("127.0.0.1", puerto)) as conexion:
            conexion.sendall(cabecera + f"{len(inicio_parte):x}\r\n".encode() + inicio_parte)
            conexion.sendall(b"\r\n")
            marco = f"{TROZO:x}\r\n".encode() + b"\x00" * TROZO + b"\r\n"
            conexion.settimeout(5)
            try:
                while enviados < total and not select.select([conexion], [], [], 0)[0]:
                    conexion.sendall(marco)
                    enviados += TROZO
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                pass  # el servidor dejó de leer
            respuesta = _leer_respuesta(conexion)
        assert respuesta.startswith(b"HTTP/1.1 413"), respuesta[:300]
        assert enviados < total // 2, enviados
        # Ni fichero (tampoco un temporal) ni fila.
        time.sleep(0.2)
        restos = [p for p in carpeta.rglob("*") if p.is_file()] if carpeta.exists() else []
        assert restos == []
        assert http.get(ruta, headers=autorizacion).status_code == 404
