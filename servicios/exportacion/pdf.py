"""PDF de una o dos páginas (fpdf2 + gráficos de matplotlib en PNG en memoria)."""

import io
from pathlib import Path

from fpdf import FPDF

from modelos.reporte import Reporte
from servicios.exportacion.textos import (
    ETIQUETAS_KPI,
    describir_filtros,
    formatear,
    formatear_kpi,
    periodo_legible,
)

AGENTES_MAXIMOS = 30
FUENTE = "DejaVu"


def _grafico(titulo: str, etiquetas: list[str], valores: list[int], barras: bool) -> io.BytesIO:
    # matplotlib se importa aquí para no alargar el arranque de la aplicación.
    from matplotlib.figure import Figure

    figura = Figure(figsize=(4.6, 3.0), dpi=110)
    ejes = figura.add_subplot()
    if barras:
        ejes.bar(etiquetas, valores, color="#3b6ea5")
    else:
        ejes.plot(
            range(len(valores)), valores, color="#3b6ea5", marker="." if len(valores) < 60 else None
        )
        paso = max(1, len(etiquetas) // 6)
        ejes.set_xticks(range(0, len(etiquetas), paso), etiquetas[::paso], rotation=30, fontsize=7)
    ejes.set_title(titulo, fontsize=10)
    ejes.tick_params(labelsize=7)
    figura.tight_layout()
    imagen = io.BytesIO()
    figura.savefig(imagen, format="png")
    imagen.seek(0)
    return imagen


def _preparar_fuente(pdf: FPDF) -> str:
    """DejaVu (de matplotlib) para cualquier carácter; Helvetica si no se encuentra."""
    import matplotlib

    carpeta = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if (carpeta / "DejaVuSans.ttf").exists() and (carpeta / "DejaVuSans-Bold.ttf").exists():
        pdf.add_font(FUENTE, "", str(carpeta / "DejaVuSans.ttf"))
        pdf.add_font(FUENTE, "B", str(carpeta / "DejaVuSans-Bold.ttf"))
        return FUENTE
    return "Helvetica"


def _tabla(pdf: FPDF, fuente: str, cabecera: list[str], filas: list[list[str]], anchos) -> None:
    pdf.set_font(fuente, size=8)
    with pdf.table(col_widths=anchos, text_align="LEFT", line_height=5) as tabla:
        fila = tabla.row()
        for texto in cabecera:
            fila.cell(texto)
        for datos in filas:
            fila = tabla.row()
            for texto in datos:
                fila.cell(texto)


def documento_pdf(*, reporte: Reporte) -> bytes:
    """Título, periodo, tabla de KPIs, dos gráficos y la tabla por agente."""
    contenido = reporte.contenido
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    fuente = _preparar_fuente(pdf)
    pdf.set_font(fuente, "B", 16)
    pdf.cell(0, 10, f"Reporte de llamadas n.º {reporte.id}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fuente, size=10)
    pdf.cell(0, 6, f"Periodo: {periodo_legible(reporte)}", new_x="LMARGIN", new_y="NEXT")
    origen = "automático" if reporte.automatico else f"usuario {reporte.generado_por}"
    pdf.cell(
        0,
        6,
        f"Filtros: {describir_filtros(reporte.filtros)} · Generado por: {origen}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if reporte.descripcion:
        pdf.multi_cell(0, 5, reporte.descripcion, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    filas_kpi = [
        [etiqueta, formatear_kpi(clave, contenido.get(clave))] for clave, etiqueta in ETIQUETAS_KPI
    ]
    _tabla(pdf, fuente, ["Indicador", "Valor"], filas_kpi, (70, 30))
    pdf.ln(3)

    categorias = contenido.get("por_categoria", {})
    serie = contenido.get("serie", [])
    por_hora = contenido.get("granularidad") == "hora"
    etiquetas = [p["inicio"][11:16] if por_hora else p["inicio"][5:10] for p in serie]
    y = pdf.get_y()
    titulo_serie = "Volumen por hora" if por_hora else "Volumen diario"
    pdf.image(
        _grafico("Llamadas por categoría", list(categorias), list(categorias.values()), True),
        x=10,
        y=y,
        w=92,
    )
    pdf.image(
        _grafico(titulo_serie, etiquetas, [p["total_llamadas"] for p in serie], False),
        x=106,
        y=y,
        w=92,
    )
    pdf.set_y(y + 62)

    pdf.set_font(fuente, "B", 11)
    pdf.cell(0, 8, "Por agente", new_x="LMARGIN", new_y="NEXT")
    agentes = contenido.get("por_agente", [])
    filas = [
        [
            a["nombre"],
            str(a["total_llamadas"]),
            formatear(a["duracion_promedio_segundos"]),
            formatear(a["satisfaccion_promedio"]),
            formatear_kpi("tasa_resolucion", a["tasa_resolucion"]),
        ]
        for a in agentes[:AGENTES_MAXIMOS]
    ]
    _tabla(
        pdf,
        fuente,
        ["Agente", "Llamadas", "AHT (s)", "CSAT", "Resolución"],
        filas,
        (60, 25, 25, 25, 25),
    )
    if len(agentes) > AGENTES_MAXIMOS:
        pdf.set_font(fuente, size=8)
        pdf.cell(0, 6, f"… y {len(agentes) - AGENTES_MAXIMOS} agentes más (ver XLSX)")
    return bytes(pdf.output())
