"""Listas que validan su consulta con un modelo (rutas/consulta.py): la documentación sale del
modelo y los errores nombran cada parámetro, como los de FastAPI."""

import json
import re

from rutas.llamadas import ConsultaLlamadas
from test.ayudas_api import campos_con_error

LLAMADAS = "/api/llamadas/"


def test_openapi_documenta_cada_parametro_del_modelo(cliente):
    documento = cliente.get("/openapi.json").json()
    parametros = {p["name"]: p for p in documento["paths"][LLAMADAS]["get"]["parameters"]}
    assert set(parametros) == set(ConsultaLlamadas.model_fields)
    assert all(p["in"] == "query" and not p["required"] for p in parametros.values())
    limite = ConsultaLlamadas.model_fields["limit"]
    esquema = parametros["limit"]["schema"]
    assert (esquema["minimum"], esquema["maximum"], esquema["default"]) == (
        1,
        500,
        limite.default,
    )
    assert parametros["categoria"]["description"] == (
        ConsultaLlamadas.model_fields["categoria"].description
    )
    # Cada referencia (los enumerados) existe en components/schemas.
    texto = json.dumps(documento["paths"][LLAMADAS]["get"]["parameters"])
    referencias = set(re.findall(r'"#/components/schemas/([^"]+)"', texto))
    assert referencias and referencias <= set(documento["components"]["schemas"])


def test_varios_parametros_malos_se_nombran_todos(cliente, cabeceras):
    malos = {"limit": "0", "tipo": "otro", "desde": "ayer", "usuario_id": "x", "skip": "-1"}
    respuesta = cliente.get(LLAMADAS, params=malos, headers=cabeceras("supervisor"))
    assert campos_con_error(respuesta) == set(malos)


def test_un_parametro_repetido_vale_el_ultimo_y_los_desconocidos_se_ignoran(cliente, cabeceras):
    sup = cabeceras("supervisor")
    respuesta = cliente.get(f"{LLAMADAS}?limit=0&limit=2&otro=1", headers=sup)
    assert respuesta.status_code == 200, respuesta.text
    assert len(respuesta.json()) <= 2
    assert campos_con_error(cliente.get(f"{LLAMADAS}?limit=2&limit=0", headers=sup)) == {"limit"}
