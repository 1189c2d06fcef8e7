"""Libro XLSX (xlsxwriter, memoria constante): resumen con gráfico, llamadas y agentes."""

import io

import xlsxwriter
from sqlalchemy.orm import Session, sessionmaker

from modelos.reporte import Reporte
from servicios.exportacion.filas import CABECERA, lotes_de_llamadas, valores
from servicios.exportacion.textos import ETIQUETAS_KPI, describir_filtros, periodo_legible

FILAS_MAXIMAS = 1_048_575


def _resumen(libro, reporte: Reporte) -> None:
    hoja = libro.add_worksheet("Resumen")
    negrita = libro.add_format({"bold": True})
    titulo = libro.add_format({"bold": True, "font_size": 14})
    contenido = reporte.contenido
    hoja.set_column(0, 0, 42)
    hoja.set_column(1, 1, 18)
    hoja.write(0, 0, f"Reporte {reporte.id}", titulo)
    hoja.write(1, 0, "Periodo (UTC)")
    hoja.write(1, 1, periodo_legible(reporte))
    hoja.write(2, 0, "Filtros")
    hoja.write(2, 1, describir_filtros(reporte.filtros))
    hoja.write(4, 0, "Indicador", negrita)
    hoja.write(4, 1, "Valor", negrita)
    fila = 5
    for clave, etiqueta in ETIQUETAS_KPI:
        hoja.write(fila, 0, etiqueta)
        hoja.write(fila, 1, contenido.get(clave))
        fila += 1
    fila += 1
    hoja.write(fila, 0, "Categoría", negrita)
    hoja.write(fila, 1, "Llamadas", negrita)
    primera = fila + 1
    for categoria, total in contenido.get("por_categoria", {}).items():
        fila += 1
        hoja.write(fila, 0, categoria)
        hoja.write(fila, 1, total)
    grafico = libro.add_chart({"type": "column"})
    grafico.add_series(
        {
            "name": "Llamadas por categoría",
            "categories": ["Resumen", primera, 0, fila, 0],
            "values": ["Resumen", primera, 1, fila, 1],
        }
    )
    grafico.set_title({"name": "Llamadas por categoría"})
    grafico.set_legend({"none": True})
    hoja.insert_chart(4, 3, grafico)


def _llamadas(libro, reporte: Reporte, fabrica: sessionmaker[Session]) -> None:
    hoja = libro.add_worksheet("Llamadas")
    negrita = libro.add_format({"bold": True})
    fecha = libro.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    hoja.set_column(1, 3, 20)
    hoja.write_row(0, 0, CABECERA, negrita)
    fila = 0
    for lote in lotes_de_llamadas(reporte=reporte, fabrica=fabrica):
        for registro in lote:
            fila += 1
            if fila > FILAS_MAXIMAS:
                hoja.write(fila, 0, "Límite de filas de Excel alcanzado; usa el CSV")
                return
            datos = valores(registro)
            hoja.write_row(fila, 0, datos[:3])
            hoja.write_datetime(fila, 3, datos[3], fecha)
            hoja.write_row(fila, 4, datos[4:])


def _agentes(libro, reporte: Reporte) -> None:
    hoja = libro.add_worksheet("Agentes")
    negrita = libro.add_format({"bold": True})
    columnas = ("usuario_id", "nombre", "total_llamadas", "duracion_promedio_segundos")
    columnas += ("satisfaccion_promedio", "tasa_resolucion")
    hoja.set_column(1, 1, 24)
    hoja.write_row(0, 0, columnas, negrita)
    for fila, agente in enumerate(reporte.contenido.get("por_agente", []), start=1):
        hoja.write_row(fila, 0, [agente.get(c) for c in columnas])


def libro_xlsx(*, reporte: Reporte, fabrica: sessionmaker[Session]) -> bytes:
    """El libro completo; las filas de llamadas pasan a disco temporal, no a memoria."""
    salida = io.BytesIO()
    opciones = {
        "constant_memory": True,
        "remove_timezone": True,
        "in_memory": False,
        # Un texto se escribe siempre como texto: '=HYPERLINK(...)' en un nombre no es una fórmula.
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(salida, opciones) as libro:
        _resumen(libro, reporte)
        _llamadas(libro, reporte, fabrica)
        _agentes(libro, reporte)
    return salida.getvalue()
