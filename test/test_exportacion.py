"""Cada exportación se vuelve a abrir con un lector y se compara con las llamadas."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from test.datos_metricas import DESDE, HASTA, LLAMADAS, cargar_llamadas

# Las cifras de categoría las fija cada prueba: sin clasificación ni repesca automáticas.
pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

PERIODO = {"desde": DESDE.isoformat(), "hasta": HASTA.isoformat()}
NOMBRES = {"A": "Agente Uno", "B": "Beatriz Núñez"}
EN_PERIODO = sorted((ll for ll in LLAMADAS if DESDE <= ll[2] <= HASTA), key=lambda ll: ll[2])


@pytest.fixture
def reporte(cliente, cabeceras, sesion_bd):
    cargar_llamadas(sesion_bd)
    respuesta = cliente.post("/api/reportes/", json=PERIODO, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 201
    return respuesta.json()


def _descargar(cliente, cabeceras, reporte, formato):
    respuesta = cliente.get(
        f"/api/reportes/{reporte['id']}/descargar",
        params={"formato": formato},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200, respuesta.text
    nombre = f"reporte_{reporte['id']}_2025-03-10_2025-03-19.{formato}"
    assert respuesta.headers["content-disposition"] == f'attachment; filename="{nombre}"'
    return respuesta


def test_csv_una_fila_por_llamada_con_bom(cliente, cabeceras, reporte):
    respuesta = _descargar(cliente, cabeceras, reporte, "csv")
    assert respuesta.headers["content-type"].startswith("text/csv")
    assert respuesta.content.startswith(b"\xef\xbb\xbf")
    filas = list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig")), delimiter=";"))
    assert len(filas) == len(EN_PERIODO) == 7
    for fila, llamada in zip(filas, EN_PERIODO, strict=True):
        agente, cliente_, instante, dur, tipo, res, csat, espera, dire, cat, conf = llamada
        assert fila["agente"] == NOMBRES[agente]
        assert fila["cliente"] == cliente_
        assert fila["fecha_hora_utc"] == instante.strftime("%Y-%m-%d %H:%M:%S")
        assert int(fila["duracion_segundos"]) == dur
        assert (fila["tipo"], fila["resultado"], fila["direccion"]) == (tipo, res, dire)
        assert fila["satisfaccion"] == ("" if csat is None else str(csat))
        assert fila["tiempo_espera_segundos"] == ("" if espera is None else str(espera))
        assert fila["categoria"] == (cat or "sin_clasificar")
        assert fila["confianza"] == ("" if conf is None else str(conf))


def test_xlsx_tiene_resumen_llamadas_agentes_y_grafico(cliente, cabeceras, reporte):
    respuesta = _descargar(cliente, cabeceras, reporte, "xlsx")
    libro = load_workbook(io.BytesIO(respuesta.content))
    assert libro.sheetnames == ["Resumen", "Llamadas", "Agentes"]
    resumen = {fila[0]: fila[1] for fila in libro["Resumen"].iter_rows(values_only=True)}
    assert resumen["Total de llamadas"] == 7
    assert resumen["Duración media (AHT, s)"] == 122.86
    assert resumen["Nivel de servicio"] == 0.6
    assert (resumen["venta"], resumen["sin_clasificar"]) == (2, 3)
    llamadas = list(libro["Llamadas"].iter_rows(values_only=True))
    assert llamadas[0][:4] == ("id", "agente", "cliente", "fecha_hora_utc")
    assert len(llamadas) == 8
    for fila, llamada in zip(llamadas[1:], EN_PERIODO, strict=True):
        assert fila[1:3] == (NOMBRES[llamada[0]], llamada[1])
        assert fila[3] == llamada[2].replace(tzinfo=None, microsecond=fila[3].microsecond)
        assert fila[4] == llamada[3]
        assert fila[10] == (llamada[9] or "sin_clasificar")
    agentes = list(libro["Agentes"].iter_rows(values_only=True))
    assert [a[1:3] for a in agentes[1:]] == [("Beatriz Núñez", 4), ("Agente Uno", 3)]
    with zipfile.ZipFile(io.BytesIO(respuesta.content)) as fichero:
        graficos = [n for n in fichero.namelist() if n.startswith("xl/charts/chart")]
        assert len(graficos) == 1
        assert "Llamadas por categoría" in fichero.read(graficos[0]).decode("utf-8")


def test_pdf_tiene_titulo_periodo_kpis_y_agentes(cliente, cabeceras, reporte):
    respuesta = _descargar(cliente, cabeceras, reporte, "pdf")
    assert respuesta.headers["content-type"] == "application/pdf"
    documento = PdfReader(io.BytesIO(respuesta.content))
    assert 1 <= len(documento.pages) <= 2
    texto = "\n".join(pagina.extract_text() for pagina in documento.pages)
    assert f"Reporte de llamadas n.º {reporte['id']}" in texto
    assert "2025-03-10 00:00 a 2025-03-19 23:59 UTC" in texto
    assert "Total de llamadas" in texto and "122.86" in texto and "57.14 %" in texto
    assert "Beatriz Núñez" in texto and "Agente Uno" in texto
    assert sum(len(p.images) for p in documento.pages) == 2
