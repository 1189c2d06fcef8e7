"""XLSX exportado, leído de vuelta con openpyxl: hojas, formatos, filtros, gráficos y cifras."""

import io
import statistics
import zipfile
from collections import Counter
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from modelos.medidas import POR_NOMBRE
from servicios.exportacion.resumen import Kpi, Resumen
from servicios.exportacion.textos import INDICADORES
from servicios.exportacion.xlsx import RUTA_HOJA
from servicios.exportacion.xlsx_libro import hoja_llamadas, libro_sin_llamadas
from test.datos_exportacion import (
    ANTERIORES,
    EN_PERIODO,
    NOMBRES,
    ZONA,
    crear_reporte,
    descargar,
)

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")
UMBRAL = 20  # NIVEL_SERVICIO_SEGUNDOS por defecto
OBJETIVO_NIVEL = 0.8


@pytest.fixture
def libro(cliente, cabeceras, sesion_bd, cambiar_ajustes):
    reporte = crear_reporte(
        cliente, cabeceras, sesion_bd, cambiar_ajustes, objetivo_nivel_servicio=OBJETIVO_NIVEL
    )
    contenido = descargar(cliente, cabeceras, reporte, "xlsx")
    return load_workbook(io.BytesIO(contenido)), contenido


def _segundos(valor) -> float:
    return valor.total_seconds() if isinstance(valor, timedelta) else valor * 86_400


def test_xlsx_tiene_una_hoja_por_bloque(libro):
    assert libro[0].sheetnames == ["Resumen", "Llamadas", "Agentes", "Horas", "Días"]


def test_xlsx_llamadas_en_hora_local_con_formatos_reales_y_filtro(libro):
    hoja = libro[0]["Llamadas"]
    filas = list(hoja.iter_rows())
    cabecera = [c.value for c in filas[0]]
    assert cabecera[:3] == ["ID", f"Fecha y hora ({ZONA})", "Agente"]
    assert cabecera[-4:] == ["Confianza IA", "Sentimiento", "Consejo de la IA", "Notas"]
    assert hoja.freeze_panes == "A2"
    assert hoja.auto_filter.ref == f"A1:O{len(EN_PERIODO) + 1}"
    assert all(hoja.column_dimensions[letra].width >= 8 for letra in "ABCDEFGHIJKLMNO")
    assert len(filas) == len(EN_PERIODO) + 1
    col = {nombre: i for i, nombre in enumerate(cabecera)}
    for fila, llamada in zip(filas[1:], EN_PERIODO, strict=True):
        fecha = fila[col[f"Fecha y hora ({ZONA})"]]
        assert fecha.value == llamada.local.replace(tzinfo=None)
        assert fecha.number_format == "dd/mm/yyyy hh:mm:ss"
        duracion = fila[col["Duración"]]
        assert round(_segundos(duracion.value)) == llamada.duracion
        assert duracion.number_format == "[m]:ss"
        assert fila[col["Agente"]].value == NOMBRES[llamada.agente]
        assert fila[col["Agente"]].data_type == "s"
        confianza = fila[col["Confianza IA"]]
        assert confianza.value == llamada.confianza
        if llamada.confianza is not None:
            assert confianza.number_format == "0.0%"
        assert fila[col["Sentimiento"]].value == llamada.sentimiento
        assert fila[col["Consejo de la IA"]].value == llamada.consejo
        # La nota '=1+1 …' sigue siendo texto: nunca una fórmula.
        assert fila[col["Notas"]].value == llamada.notas
        assert fila[col["Notas"]].data_type in ("s", "n") if llamada.notas is None else "s"


def _tabla_kpis(hoja) -> dict[str, tuple]:
    filas = list(hoja.iter_rows())
    inicio = next(i for i, f in enumerate(filas) if f[0].value == "Indicador")
    return {f[0].value: f for f in filas[inicio + 1 :] if f[0].value and f[1].value is not None}


def test_xlsx_resumen_con_objetivos_y_periodo_anterior(libro):
    kpis = _tabla_kpis(libro[0]["Resumen"])
    valor, objetivo, cumple, anterior, _ = (c.value for c in kpis["Llamadas"][1:6])
    assert (valor, anterior) == (len(EN_PERIODO), len(ANTERIORES))
    aht = kpis[POR_NOMBRE["duracion_promedio_segundos"].etiqueta]
    assert round(_segundos(aht[1].value), 2) == round(
        statistics.mean(ll.duracion for ll in EN_PERIODO), 2
    )
    assert aht[1].number_format == "[m]:ss"
    esperas = [ll.espera for ll in EN_PERIODO if ll.espera is not None]
    nivel = sum(e <= UMBRAL for e in esperas) / len(esperas)
    fila = kpis["Nivel de servicio"]
    assert fila[1].value == pytest.approx(nivel, abs=1e-4)
    assert fila[1].number_format == "0.0%"
    assert fila[2].value == OBJETIVO_NIVEL
    assert fila[3].value == ("Sí" if nivel >= OBJETIVO_NIVEL else "No")
    anteriores = [ll.espera for ll in ANTERIORES if ll.espera is not None]
    assert fila[4].value == pytest.approx(sum(e <= UMBRAL for e in anteriores) / len(anteriores))
    assert fila[5].value == pytest.approx(fila[1].value - fila[4].value, abs=1e-4)


def test_xlsx_agentes_horas_y_dias_locales(libro):
    por_agente = Counter(NOMBRES[ll.agente] for ll in EN_PERIODO)
    agentes = list(libro[0]["Agentes"].iter_rows(values_only=True))
    assert agentes[0][:3] == ("Agente", "Llamadas", "Duración media (AHT)")
    assert {fila[0]: fila[1] for fila in agentes[1:]} == dict(por_agente)
    assert libro[0]["Agentes"].column_dimensions["A"].width >= len("Beto Núñez")
    horas = list(libro[0]["Horas"].iter_rows(min_row=2, max_col=2, values_only=True))
    por_hora = Counter(ll.local.hour for ll in EN_PERIODO)
    assert horas == [(f"{h:02d}:00", por_hora[h]) for h in range(24)]
    dias = list(libro[0]["Días"].iter_rows(min_row=2, values_only=True))
    por_dia = Counter(ll.local.strftime("%d/%m") for ll in EN_PERIODO)
    assert [(d[0], d[1]) for d in dias] == [
        (f"{d:02d}/03", por_dia[f"{d:02d}/03"]) for d in range(10, 17)
    ]
    assert {d[3] for d in dias} == {"Sí"}


def test_xlsx_graficos_nativos_de_categorias_dias_y_horas(libro):
    with zipfile.ZipFile(io.BytesIO(libro[1])) as paquete:
        graficos = sorted(n for n in paquete.namelist() if n.startswith("xl/charts/chart"))
        textos = " ".join(paquete.read(n).decode("utf-8") for n in graficos)
        for hoja in (n for n in paquete.namelist() if n.startswith("xl/worksheets/sheet")):
            xml = paquete.read(hoja).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, hoja
    assert len(graficos) == 3
    for titulo in ("Mezcla de categorías", "Volumen diario", "Volumen por hora"):
        assert titulo in textos
    tipos = {type(g).__name__ for hoja in libro[0] for g in hoja._charts}
    assert tipos == {"PieChart", "LineChart", "BarChart"}


@pytest.mark.parametrize("cumple", [True, False, None])
def test_xlsx_la_hoja_plantilla_no_depende_del_resumen(cumple):
    """Las filas salen antes que el resumen: sus estilos no pueden depender de sus datos."""
    indicador = INDICADORES[1]
    kpi = Kpi(indicador, 100.0, 90.0, 120.0 if cumple is not None else None, cumple, None)
    resumen = Resumen(1, ZONA, "p", "a", "f", "g", "e", None, [kpi], [("venta", 3)], [], [], [], [])
    with zipfile.ZipFile(io.BytesIO(hoja_llamadas(ZONA))) as sola:
        esperado = sola.read(RUTA_HOJA)
    with zipfile.ZipFile(io.BytesIO(libro_sin_llamadas(resumen))) as completo:
        assert completo.read(RUTA_HOJA) == esperado
