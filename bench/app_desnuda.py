"""Referencia para bench/carga.py: FastAPI sin base de datos que devuelve el mismo JSON."""

import json
import os
from pathlib import Path

from fastapi import FastAPI, status

_LISTA = json.loads(Path(os.environ["BENCH_LISTA_JSON"]).read_text(encoding="utf-8"))
_UNA = _LISTA[0]

app = FastAPI()


@app.get("/api/llamadas/")
def listar() -> list[dict]:
    """La misma página de 20 llamadas que devuelve la API real."""
    return _LISTA


@app.post("/api/llamadas/", status_code=status.HTTP_201_CREATED)
def crear(datos: dict) -> dict:
    """Responde lo que respondería la API real al crear, sin tocar la base."""
    return {**_UNA, **datos}
