"""Genera el corpus etiquetado (entrenamiento y evaluación) a partir de ejemplos escritos a mano
y de plantillas con ruido realista; la evaluación usa plantillas y ejemplos que no se entrenan."""

import csv
import json
import random
import re
import unicodedata
from pathlib import Path

from conversaciones import generar_notas, generar_transcripciones
from plantillas import (
    APERTURAS,
    CIERRES,
    CIERRES_AGENTE,
    COMUNES,
    DOMINIOS,
    EMOCION_NEGATIVA,
    EMOCION_POSITIVA,
    EMPRESAS,
    NOMBRES,
    PLANTILLAS,
    SALUDOS_AGENTE,
    SEGUIMIENTOS,
)

CARPETA = Path(__file__).resolve().parent
SEMILLA = 20240611
POR_PLANTILLA = {"entrenamiento": 13, "evaluacion": 12}
REGIONES = {
    "ar": [("funciona", "anda"), ("dinero", "guita"), ("celular", "celu"), ("quiero", "quiero")],
    "mx": [("funciona", "jala"), ("dinero", "lana"), ("celular", "cel"), ("muy", "bien")],
    "es": [
        ("celular", "móvil"),
        ("dinero", "pasta"),
        ("computadora", "ordenador"),
        ("ustedes", "vosotros"),
    ],
    "co": [("dinero", "plata"), ("celular", "celular"), ("por favor", "porfa")],
    "cl": [("dinero", "lucas"), ("celular", "celu"), ("auto", "auto")],
}


def es_evaluacion(indice: int) -> bool:
    """Una de cada cuatro fuentes va a evaluación, fija y determinista."""
    return indice % 4 == 3


def sin_acentos(texto: str) -> str:
    """Quita tildes como hace quien escribe rápido."""
    return "".join(c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c))


def erratas(texto: str, rnd: random.Random) -> str:
    """Introduce 1-3 erratas típicas del español escrito deprisa."""
    reglas = [
        (r"\bqui", "ki"),
        (r"\bque\b", "q"),
        (r"ci", "si"),
        (r"ce", "se"),
        (r"z", "s"),
        (r"ll", "y"),
        (r"\bh", ""),
        (r"v", "b"),
        (r"porque", "xq"),
        (r"por favor", "xfa"),
        (r"también", "tb"),
        (r"para\b", "pa"),
    ]
    for patron, nuevo in rnd.sample(reglas, rnd.randint(1, 3)):
        texto = re.sub(patron, nuevo, texto, count=rnd.randint(1, 2))
    palabras = texto.split()
    if len(palabras) > 3 and rnd.random() < 0.5:
        i = rnd.randrange(len(palabras))
        p = palabras[i]
        if len(p) > 4:
            j = rnd.randrange(1, len(p) - 2)
            palabras[i] = p[:j] + p[j + 1] + p[j] + p[j + 2 :]
    return " ".join(palabras)


def ruido(texto: str, rnd: random.Random) -> str:
    """Variación regional, tildes, erratas, mayúsculas y puntuación con semilla fija."""
    if rnd.random() < 0.5:
        for viejo, nuevo in REGIONES[rnd.choice(list(REGIONES))]:
            texto = texto.replace(viejo, nuevo)
    if rnd.random() < 0.35:
        texto = erratas(texto, rnd)
    if rnd.random() < 0.5:
        texto = sin_acentos(texto)
    if rnd.random() < 0.4:
        texto = texto.lower()
    if rnd.random() < 0.25:
        texto = re.sub(r"[¿?¡!,;.]", "", texto)
    if rnd.random() < 0.1:
        texto = re.sub(r"([aeo])\b", lambda m: m.group(1) * 3, texto, count=1)
    return texto


def transcripcion(frase: str, categoria: str, parte: str, rnd: random.Random) -> str:
    """Envuelve la intención del cliente en turnos Agente/Cliente con relleno neutro."""
    saludo = rnd.choice(SALUDOS_AGENTE).format(
        empresa=rnd.choice(EMPRESAS), nombre=rnd.choice(NOMBRES)
    )
    pregunta, respuesta = rnd.choice(SEGUIMIENTOS)
    cierres = CIERRES_AGENTE[categoria]
    cierres = cierres[-1:] if parte == "evaluacion" else cierres[:-1]
    turnos = [
        f"Agente: {saludo}",
        f"Cliente: {frase}",
        f"Agente: {pregunta}",
        f"Cliente: {respuesta}",
    ]
    if rnd.random() < 0.7:
        turnos.append(f"Agente: {rnd.choice(cierres)}")
    return " ".join(turnos)


def valores(lista: list[str], parte: str) -> list[str]:
    """El entrenamiento no ve uno de cada cuatro valores de ranura; la evaluación los ve todos."""
    return (
        lista if parte == "evaluacion" else [v for i, v in enumerate(lista) if not es_evaluacion(i)]
    )


def rellenar(plantilla: str, parte: str, rnd: random.Random) -> str:
    """Rellena las ranuras con valores coherentes de un mismo dominio."""
    dominio = DOMINIOS[rnd.choice(list(DOMINIOS))]
    ranuras = {k: rnd.choice(valores(v, parte)) for k, v in {**dominio, **COMUNES}.items()}
    return plantilla.format(**ranuras)


def generar_sinteticos(rnd: random.Random) -> list[dict[str, str]]:
    """Ejemplos a partir de plantillas: la parte la decide el índice de la plantilla."""
    filas: list[dict[str, str]] = []
    for id_, categoria, sentimiento, plantilla in PLANTILLAS:
        parte = "evaluacion" if es_evaluacion(int(id_[1:])) else "entrenamiento"
        for _ in range(POR_PLANTILLA[parte]):
            frase = rellenar(plantilla, parte, rnd)
            senti = sentimiento
            azar = rnd.random()
            if azar < 0.12 and (categoria == "venta" or sentimiento == "positivo"):
                frase += rnd.choice(EMOCION_POSITIVA)
                senti = "positivo"
            elif azar > 0.85:
                frase += rnd.choice(EMOCION_NEGATIVA)
                senti = "negativo"
            frase = rnd.choice(APERTURAS) + frase + rnd.choice(CIERRES)
            if rnd.random() < 0.3:
                frase = transcripcion(frase[0].upper() + frase[1:], categoria, parte, rnd)
            filas.append(
                {
                    "texto": ruido(frase, rnd),
                    "categoria": categoria,
                    "sentimiento": senti,
                    "fuente": f"plantilla:{id_}",
                    "parte": parte,
                }
            )
    return filas


def leer_manuales() -> list[dict[str, str]]:
    """Ejemplos escritos a mano; uno de cada cuatro por categoría va a evaluación."""
    filas: list[dict[str, str]] = []
    for ruta in sorted(CARPETA.glob("manuales_*.tsv")):
        with ruta.open(encoding="utf-8") as f:
            for i, fila in enumerate(csv.DictReader(f, delimiter="\t")):
                parte = "evaluacion" if es_evaluacion(i) else "entrenamiento"
                filas.append({**fila, "fuente": f"{ruta.stem}:{i + 2}", "parte": parte})
    return filas


def clave(texto: str) -> str:
    """Clave de duplicados: sin tildes, minúsculas y solo letras y dígitos."""
    return re.sub(r"[^a-z0-9ñ]+", " ", sin_acentos(texto.lower())).strip()


def main() -> None:
    """Escribe entrenamiento.jsonl y evaluacion.jsonl sin duplicados entre ni dentro de ellas."""
    rnd = random.Random(SEMILLA)
    filas = leer_manuales() + generar_sinteticos(rnd)
    filas += generar_transcripciones(rnd) + generar_notas(rnd)
    vistos: set[str] = set()
    partes: dict[str, list[dict[str, str]]] = {"entrenamiento": [], "evaluacion": []}
    for fila in sorted(filas, key=lambda f: f["parte"] != "evaluacion"):
        k = clave(fila["texto"])
        if k in vistos:
            continue
        vistos.add(k)
        partes[fila.pop("parte")].append(fila)
    for parte, lista in partes.items():
        with (CARPETA / f"{parte}.jsonl").open("w", encoding="utf-8") as f:
            for fila in lista:
                f.write(json.dumps(fila, ensure_ascii=False) + "\n")
        cuenta = {
            c: sum(f["categoria"] == c for f in lista) for c in ("venta", "soporte", "reclamo")
        }
        print(f"{parte}: {len(lista)} ejemplos {cuenta}")


if __name__ == "__main__":
    main()
