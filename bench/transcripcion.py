"""Banco del motor local de transcripción sobre llamadas estéreo de 8 kHz μ-law sintetizadas.

Para 1, 5 y 20 minutos de llamada (el guion de test/audio_sintetico.py repetido), cada medida
corre en un proceso nuevo: separa los dos canales con sox, transcribe cada uno con el motor
local (TRANSCRIPCION_MODELO, "pypi" por defecto) y mide el tiempo de pared, el de CPU y la
memoria residente (psutil, muestreada cada 20 ms). Referencias de la misma pasada: la memoria
del proceso con todo importado y con el modelo cargado, y el tiempo de leer el audio y pasarle
el VAD, bloque a bloque como el motor, sin Whisper.

    .venv/bin/python bench/transcripcion.py [--minutos 1 5 20] [--hilos 2]
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from test import audio_sintetico as sintetico  # noqa: E402

MIB = 1024 * 1024


class PicoDeMemoria:
    """RSS máxima del proceso mientras dura el bloque `with`."""

    def __init__(self, periodo: float = 0.02) -> None:
        self.proceso, self.periodo, self.pico = psutil.Process(), periodo, 0
        self._fin = threading.Event()

    def _muestrear(self) -> None:
        while not self._fin.is_set():
            self.pico = max(self.pico, self.proceso.memory_info().rss)
            self._fin.wait(self.periodo)

    def __enter__(self) -> "PicoDeMemoria":
        self._hilo = threading.Thread(target=self._muestrear, daemon=True)
        self._hilo.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._fin.set()
        self._hilo.join()
        self.pico = max(self.pico, self.proceso.memory_info().rss)


def medir_en_este_proceso(estereo: Path, hilos: int, modelo: str) -> dict:
    """Lo que imprime el proceso hijo: tiempos y memoria de transcribir los dos canales."""
    from grabaciones.motores.audio import bloques, leer_audio
    from grabaciones.motores.local import MotorLocal, modelo_cargado
    from grabaciones.motores.tramos import regiones_de_voz

    proceso = psutil.Process()
    rss_base = proceso.memory_info().rss
    motor = MotorLocal(modelo=modelo, hilos=hilos)
    inicio = time.perf_counter()
    modelo_cargado(motor.modelo, motor.hilos)
    carga = time.perf_counter() - inicio
    rss_modelo = proceso.memory_info().rss
    with tempfile.TemporaryDirectory() as carpeta:
        with PicoDeMemoria() as memoria:
            cpu, inicio = time.process_time(), time.perf_counter()
            canales = [
                sintetico.extraer_canal(estereo, h, Path(carpeta) / f"{h}.wav")
                for h in sintetico.CANALES
            ]
            segmentos = sum(len(motor.transcribir(canal).segmentos) for canal in canales)
            pared, cpu = time.perf_counter() - inicio, time.process_time() - cpu
        # Referencia, fuera de la medida de memoria: leer y pasar el VAD, sin Whisper.
        inicio = time.perf_counter()
        for canal in canales:
            for _, bloque in bloques(leer_audio(canal)):
                regiones_de_voz(bloque)
        solo_vad = time.perf_counter() - inicio
    return {
        "carga": carga,
        "pared": pared,
        "cpu": cpu,
        "solo_vad": solo_vad,
        "segmentos": segmentos,
        "rss_base": rss_base,
        "rss_modelo": rss_modelo,
        "rss_pico": memoria.pico,
    }


def llamada_de(minutos: float, carpeta: Path) -> tuple[Path, float]:
    """Una llamada de esos minutos (el guion repetido y cortado), en estéreo μ-law de 8 kHz."""
    una = sintetico.construir_llamada(carpeta / "una", nombre="una")
    veces = math.ceil(minutos * 60 / una.duracion)
    larga = sintetico.construir_llamada(carpeta, sintetico.GUION * veces, nombre="larga")
    segundos = min(minutos * 60, larga.duracion)
    cortada = carpeta / "cortada.wav"
    subprocess.run(["sox", larga.ruta, cortada, "trim", "0", str(segundos)], check=True)
    return sintetico.a_mulaw_8k(cortada, carpeta / "mulaw.wav"), segundos


def medir_en_otro_proceso(estereo: Path, hilos: int, modelo: str) -> dict:
    orden = [sys.executable, __file__, "--hijo", str(estereo), "--hilos", str(hilos)]
    salida = subprocess.run(
        [*orden, "--modelo", modelo], check=True, capture_output=True, text=True, cwd=RAIZ
    ).stdout
    return json.loads(salida.strip().splitlines()[-1])


def cifra(valor: float, decimales: int = 2) -> str:
    """Número como lo escribe un hispanohablante: coma decimal y espacio en los miles."""
    texto = f"{valor:,.{decimales}f}"
    return texto.replace(",", " ").replace(".", ",")


def imprimir(minutos: float, duracion: float, r: dict, hilos: int) -> None:
    llamada = f"{cifra(minutos, 0 if minutos.is_integer() else 1)} min ({cifra(duracion, 0)} s)"
    print(
        f"| {llamada} | {cifra(r['pared'], 1)} s "
        f"| **{cifra(r['pared'] / duracion, 3)}** | {cifra(r['cpu'] / duracion / hilos, 3)} "
        f"| {cifra(r['solo_vad'], 1)} s | {cifra(r['rss_pico'] / MIB, 0)} MiB "
        f"| {cifra(r['rss_modelo'] / MIB, 0)} MiB | {cifra(3600 / r['pared'], 0)} |",
        flush=True,
    )


def main() -> None:
    opciones = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    opciones.add_argument("--minutos", type=float, nargs="+", default=[1.0, 5.0, 20.0])
    opciones.add_argument("--hilos", type=int, default=2)
    opciones.add_argument("--modelo", default=os.environ.get("TRANSCRIPCION_MODELO", "pypi"))
    opciones.add_argument("--hijo", type=Path, help=argparse.SUPPRESS)
    args = opciones.parse_args()
    if args.hijo:
        print(json.dumps(medir_en_este_proceso(args.hijo, args.hilos, args.modelo)))
        return
    if motivo := sintetico.motivo_para_saltar():
        sys.exit(motivo)
    print(f"modelo {args.modelo}, {args.hilos} hilos, carga media {os.getloadavg()[0]:.1f}")
    print(
        "| llamada | proceso | RTF (pared) | RTF (CPU/hilos) | leer + VAD | RSS pico "
        "| RSS con el modelo | trabajos/hora |"
    )
    with tempfile.TemporaryDirectory() as carpeta:
        for minutos in args.minutos:
            estereo, duracion = llamada_de(minutos, Path(carpeta) / f"{minutos}")
            resultado = medir_en_otro_proceso(estereo, args.hilos, args.modelo)
            imprimir(minutos, duracion, resultado, args.hilos)
            print(
                f"  carga del modelo {cifra(resultado['carga'], 1)} s, RSS con todo importado "
                f"{cifra(resultado['rss_base'] / MIB, 0)} MiB, {resultado['segmentos']} tramos, "
                f"carga media {os.getloadavg()[0]:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
