"""Llamadas de prueba de verdad: espeak-ng dice un guion en español y sox monta el estéreo.

Cada frase se sintetiza a WAV mono de 16 kHz sin silencio al principio ni al final, así que su
duración es exactamente su número de muestras. El guion dice cuánto silencio hay antes de cada
turno (negativo: el turno pisa al anterior), y de ahí salen los tiempos esperados de cada turno,
calculados aquí en muestras, no leídos de ninguna salida. El agente va en el canal izquierdo y
el cliente en el derecho; `a_mulaw_8k` lo deja como una grabación de centralita (8 kHz, μ-law).
"""

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

TASA = 16_000
CANALES = {"agente": 1, "cliente": 2}
VOCES = {"agente": "es+m3", "cliente": "es-419+m3"}
VELOCIDAD = "150"  # palabras por minuto de espeak-ng
COLA_SEGUNDOS = 0.5
PROGRAMAS = ("espeak-ng", "sox", "soxi")
# Una llamada de soporte: (hablante, texto, silencio antes del turno en segundos).
GUION: tuple[tuple[str, str, float], ...] = (
    ("agente", "Buenos días, le atiende Laura del servicio de atención al cliente.", 0.8),
    ("cliente", "Hola, buenos días. Tengo un problema con la factura de este mes.", 0.9),
    ("agente", "Lo siento mucho. ¿Me puede decir qué ha pasado exactamente?", 0.7),
    ("cliente", "Me han cobrado dos veces el mismo servicio de internet.", 1.2),
    ("agente", "Entiendo. Voy a revisar su cuenta ahora mismo, espere un momento.", 0.6),
    ("cliente", "De acuerdo, muchas gracias.", 0.7),
    ("agente", "Ya lo veo. Ha sido un error nuestro y le devolvemos el importe.", 2.5),
    ("cliente", "Perfecto, me alegra mucho escuchar eso.", -0.4),
    ("agente", "¿Puedo ayudarle con algo más?", 0.8),
    ("cliente", "No, eso es todo. Que tenga un buen día.", 1.0),
)


@dataclass(frozen=True)
class Turno:
    hablante: str
    texto: str
    inicio: float
    fin: float


@dataclass(frozen=True)
class LlamadaSintetica:
    ruta: Path
    turnos: tuple[Turno, ...]
    duracion: float

    def de(self, hablante: str) -> list[Turno]:
        return [t for t in self.turnos if t.hablante == hablante]


def motivo_para_saltar() -> str | None:
    """Por qué no se pueden generar llamadas en esta máquina (None si se puede)."""
    faltan = [p for p in PROGRAMAS if shutil.which(p) is None]
    if faltan:
        return f"faltan {', '.join(faltan)}: apt-get install espeak-ng sox libsox-fmt-all"
    return None


def _ejecutar(programa: str, *argumentos: object) -> str:
    # sox añade ruido de dither al bajar de precisión, con otra semilla en cada ejecución: con
    # -R la semilla es fija y la misma llamada da el mismo audio, bit a bit, en cada pasada.
    repetible = ["-R"] if programa == "sox" else []
    return subprocess.run(
        [programa, *repetible, *(str(parte) for parte in argumentos)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def muestras(ruta: Path) -> int:
    return int(_ejecutar("soxi", "-s", ruta))


def sintetizar(texto: str, voz: str, destino: Path) -> int:
    """La frase a WAV mono 16 kHz sin silencios en los bordes; devuelve su número de muestras."""
    crudo = destino.with_suffix(".espeak.wav")
    _ejecutar("espeak-ng", "-v", voz, "-s", VELOCIDAD, "-w", crudo, texto)
    recorte = ("silence", "1", "0.02", "0.5%")
    _ejecutar(
        "sox", crudo, "-r", TASA, "-b", "16", destino, *recorte, "reverse", *recorte, "reverse"
    )
    crudo.unlink()
    return muestras(destino)


Pieza = tuple[Path, int, int]  # frase, muestra de inicio, muestras que dura


def _canal(piezas: list[Pieza], total: int, carpeta: Path, nombre: str) -> Path:
    """Un canal mono: cada frase precedida del silencio que la lleva a su muestra de inicio."""
    tramos, cursor = [], 0
    for indice, (frase, inicio, largo) in enumerate(piezas):
        tramo = carpeta / f"{nombre}-{indice}.wav"
        _ejecutar("sox", frase, tramo, "pad", f"{inicio - cursor}s", "0")
        tramos.append(tramo)
        cursor = inicio + largo
    destino = carpeta / f"{nombre}.wav"
    if not tramos:
        _ejecutar("sox", "-n", "-r", TASA, "-b", "16", "-c", "1", destino, "trim", "0", f"{total}s")
        return destino
    _ejecutar("sox", *tramos, destino, "pad", "0", f"{total - cursor}s")
    for tramo in tramos:
        tramo.unlink()
    return destino


def construir_llamada(
    carpeta: Path, guion: tuple[tuple[str, str, float], ...] = GUION, nombre: str = "llamada"
) -> LlamadaSintetica:
    """WAV estéreo PCM 16 kHz (agente a la izquierda) y los tiempos exactos de cada turno."""
    carpeta.mkdir(parents=True, exist_ok=True)
    frases: dict[tuple[str, str], tuple[Path, int]] = {}
    piezas: dict[str, list[Pieza]] = {h: [] for h in CANALES}
    turnos, fin_voz = [], 0
    for hablante, texto, silencio in guion:
        clave = (hablante, texto)
        if clave not in frases:
            ruta = carpeta / f"frase-{len(frases)}.wav"
            frases[clave] = (ruta, sintetizar(texto, VOCES[hablante], ruta))
        ruta, largo = frases[clave]
        inicio = fin_voz + round(silencio * TASA)
        propias = piezas[hablante]
        if propias and inicio < propias[-1][1] + propias[-1][2]:
            raise ValueError(f"el turno {texto!r} pisa a otro del mismo hablante")
        propias.append((ruta, inicio, largo))
        turnos.append(Turno(hablante, texto, inicio / TASA, (inicio + largo) / TASA))
        fin_voz = max(fin_voz, inicio + largo)
    total = fin_voz + round(COLA_SEGUNDOS * TASA)
    canales = [_canal(piezas[h], total, carpeta, f"{nombre}-{h}") for h in CANALES]
    destino = carpeta / f"{nombre}.wav"
    _ejecutar("sox", "-M", *canales, destino)
    return LlamadaSintetica(destino, tuple(turnos), total / TASA)


def a_mulaw_8k(origen: Path, destino: Path) -> Path:
    """La misma grabación como la deja una centralita: 8 kHz, μ-law de 8 bits."""
    _ejecutar("sox", origen, "-r", "8000", "-e", "u-law", "-b", "8", destino)
    return destino


def extraer_canal(origen: Path, hablante: str, destino: Path) -> Path:
    """El canal de un hablante como WAV mono PCM de 16 kHz (lo que espera el motor)."""
    _ejecutar(
        "sox", origen, "-r", TASA, "-e", "signed", "-b", "16", destino, "remix", CANALES[hablante]
    )
    return destino


def normalizar(texto: str) -> list[str]:
    """Palabras en minúscula, sin tildes ni puntuación (la ñ se conserva)."""
    texto = unicodedata.normalize("NFD", texto.lower().replace("ñ", "\0"))
    texto = "".join(c for c in texto if unicodedata.category(c) != "Mn").replace("\0", "ñ")
    return "".join(c if c.isalnum() else " " for c in texto).split()


def tasa_error_palabras(referencia: str, hipotesis: str) -> float:
    """WER: sustituciones + borrados + inserciones entre palabras de la referencia."""
    ref, hip = normalizar(referencia), normalizar(hipotesis)
    fila = list(range(len(hip) + 1))
    for i, palabra in enumerate(ref, 1):
        anterior, fila[0] = fila[0], i
        for j, otra in enumerate(hip, 1):
            anterior, fila[j] = (
                fila[j],
                min(fila[j] + 1, fila[j - 1] + 1, anterior + (palabra != otra)),
            )
    return fila[-1] / max(len(ref), 1)
