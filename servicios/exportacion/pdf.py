"""PDF del reporte (fpdf2): una portada de una página con los KPIs contra objetivo y contra el
periodo anterior y tres gráficos, y detrás la tabla por agente y el volumen por día de la semana.
Cifras en formato español, horas locales, pie con periodo, zona, generación y página."""

import importlib.util
import logging
from collections.abc import Iterator
from pathlib import Path

from fpdf import FPDF
from sqlalchemy.orm import Session, sessionmaker

from config import Ajustes
from modelos.reporte import Reporte
from servicios.exportacion import resumen as servicio_resumen
from servicios.exportacion.pdf_graficos import barras, barras_horizontales
from servicios.exportacion.resumen import Kpi, Resumen
from servicios.exportacion.textos import (
    valor_legible,
    variacion_legible,
)

# fontTools escribe una línea INFO por tabla al recortar cada fuente: ruido en el registro.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FUENTE = "DejaVu"
MARGEN = 12
ANCHO_UTIL = 210 - 2 * MARGEN
VERDE, ROJO, NEUTRO = (30, 123, 52), (179, 38, 30), (110, 110, 110)
FONDOS = {VERDE: (227, 244, 230), ROJO: (251, 228, 226), NEUTRO: (242, 244, 247)}


def _carpeta_dejavu() -> Path | None:
    """Las DejaVu que trae matplotlib, sin importarlo (solo se busca su carpeta)."""
    especificacion = importlib.util.find_spec("matplotlib")
    if especificacion is None or not especificacion.submodule_search_locations:
        return None
    carpeta = Path(especificacion.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
    return carpeta if (carpeta / "DejaVuSans-Bold.ttf").exists() else None


class _Documento(FPDF):
    pie = ""
    fuente = "Helvetica"

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.fuente, size=7)
        self.set_text_color(*NEUTRO)
        self.cell(0, 5, f"{self.pie} · Página {self.page_no()} de {{nb}}", align="C")
        self.set_text_color(0)


def _nuevo_documento(resumen: Resumen) -> _Documento:
    pdf = _Documento(format="A4")
    pdf.set_margins(MARGEN, MARGEN, MARGEN)
    pdf.set_auto_page_break(auto=True, margin=14)
    carpeta = _carpeta_dejavu()
    if carpeta is not None:
        pdf.add_font(FUENTE, "", str(carpeta / "DejaVuSans.ttf"))
        pdf.add_font(FUENTE, "B", str(carpeta / "DejaVuSans-Bold.ttf"))
        pdf.fuente = FUENTE
    pdf.pie = (
        f"Periodo {resumen.periodo} ({resumen.zona}) · Generado el {resumen.generado_en} "
        f"({resumen.zona})"
    )
    return pdf


def _cabecera(pdf: _Documento, resumen: Resumen, logo: str | None) -> None:
    if logo and Path(logo).is_file():
        pdf.image(logo, x=210 - MARGEN - 40, y=MARGEN - 2, h=14, keep_aspect_ratio=True)
    pdf.set_font(pdf.fuente, "B", 16)
    pdf.cell(0, 9, f"Reporte de llamadas n.º {resumen.reporte_id}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.fuente, size=9)
    lineas = (
        f"Periodo: {resumen.periodo} ({resumen.zona})",
        f"Comparado con: {resumen.periodo_anterior}",
        f"Filtros: {resumen.filtros} · Generado por: {resumen.generado_por}",
    )
    for linea in lineas:
        pdf.cell(0, 4.6, linea, new_x="LMARGIN", new_y="NEXT")
    if resumen.descripcion:
        pdf.multi_cell(0, 4.6, resumen.descripcion[:300], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _objetivo(kpi: Kpi) -> str:
    if kpi.objetivo is None:
        return "sin objetivo"
    signo = "≥" if kpi.indicador.mayor_es_mejor else "≤"
    return f"objetivo {signo} {valor_legible(kpi.indicador.unidad, kpi.objetivo)}"


def _tarjeta(pdf: _Documento, x: float, y: float, ancho: float, kpi: Kpi) -> None:
    """Etiqueta, valor (verde si cumple, rojo si no), objetivo y cambio frente al anterior."""
    color = NEUTRO if kpi.cumple is None else VERDE if kpi.cumple else ROJO
    pdf.set_fill_color(*FONDOS[color])
    pdf.set_draw_color(*color)
    pdf.set_line_width(0.4 if kpi.cumple is not None else 0.1)
    pdf.rect(x, y, ancho, 23, "DF")
    unidad = kpi.indicador.unidad
    pdf.set_text_color(60)
    pdf.set_font(pdf.fuente, size=7)
    pdf.text(x + 2, y + 4, kpi.indicador.etiqueta)
    pdf.set_text_color(*(color if kpi.cumple is not None else (0, 0, 0)))
    pdf.set_font(pdf.fuente, "B", 14)
    pdf.text(x + 2, y + 11.5, valor_legible(unidad, kpi.actual))
    pdf.set_text_color(60)
    pdf.set_font(pdf.fuente, size=6.5)
    pdf.text(x + 2, y + 16, _objetivo(kpi))
    antes = f"antes {valor_legible(unidad, kpi.anterior)} · "
    pdf.text(x + 2, y + 20, antes)
    # La flecha en verde si el cambio es a mejor, en rojo si es a peor.
    pdf.set_text_color(*({True: VERDE, False: ROJO}.get(kpi.mejora, NEUTRO)))
    cambio = variacion_legible(unidad, kpi.actual, kpi.anterior)
    pdf.text(x + 2 + pdf.get_string_width(antes), y + 20, cambio)
    pdf.set_text_color(0)


def _tarjetas(pdf: _Documento, kpis: list[Kpi]) -> None:
    por_fila, separacion = 5, 2.5
    ancho = (ANCHO_UTIL - separacion * (por_fila - 1)) / por_fila
    y = pdf.get_y()
    for i, kpi in enumerate(kpis):
        fila, columna = divmod(i, por_fila)
        _tarjeta(pdf, MARGEN + columna * (ancho + separacion), y + fila * 25.5, ancho, kpi)
    pdf.set_y(y + 25.5 * ((len(kpis) + por_fila - 1) // por_fila) + 2)


def _graficos(pdf: _Documento, resumen: Resumen) -> None:
    y = pdf.get_y()
    dias = resumen.dias
    barras(
        pdf,
        (MARGEN, y, ANCHO_UTIL, 58),
        "Llamadas por día",
        [c.etiqueta for c in dias],
        [c.llamadas for c in dias],
        [c.parcial for c in dias],
        pdf.fuente,
    )
    y += 62
    barras(
        pdf,
        (MARGEN, y, ANCHO_UTIL * 0.58, 55),
        f"Llamadas por hora del día ({resumen.zona})",
        [c.etiqueta for c in resumen.horas],
        [c.llamadas for c in resumen.horas],
        fuente=pdf.fuente,
    )
    barras_horizontales(
        pdf,
        (MARGEN + ANCHO_UTIL * 0.62, y, ANCHO_UTIL * 0.38, 55),
        "Mezcla de categorías (IA)",
        resumen.categorias,
        pdf.fuente,
    )
    y += 62
    barras(
        pdf,
        (MARGEN, y, ANCHO_UTIL * 0.58, 50),
        "Llamadas por día de la semana",
        [c.etiqueta[:3] for c in resumen.semana],
        [c.llamadas for c in resumen.semana],
        fuente=pdf.fuente,
    )
    pdf.set_y(y + 54)


def _tabla(pdf: _Documento, titulo: str, cabecera, filas, anchos) -> None:
    pdf.set_font(pdf.fuente, "B", 11)
    pdf.cell(0, 8, titulo, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.fuente, size=8)
    alineacion = ("LEFT",) + ("RIGHT",) * (len(cabecera) - 1)
    with pdf.table(col_widths=anchos, text_align=alineacion, line_height=4.6) as tabla:
        for datos in [cabecera, *filas]:
            fila = tabla.row()
            for texto in datos:
                fila.cell(texto)
    pdf.ln(3)


def _agentes(pdf: _Documento, resumen: Resumen) -> None:
    columnas = [("Agente", "nombre", "texto"), ("Llamadas", "total_llamadas", "entero")]
    columnas += [("AHT", "duracion_promedio_segundos", "segundos")]
    columnas += [("CSAT", "satisfaccion_promedio", "decimal")]
    columnas += [("Resolución", "tasa_resolucion", "proporcion")]
    ejemplo = resumen.agentes[0] if resumen.agentes else {}
    columnas += [
        (titulo, clave, "proporcion")
        for titulo, clave in (("Abandono", "tasa_abandono"), ("Escalamiento", "tasa_escalamiento"))
        if clave in ejemplo
    ]
    filas = [
        [str(a[c]) if u == "texto" else valor_legible(u, a.get(c)) for _, c, u in columnas]
        for a in resumen.agentes
    ]
    anchos = (60,) + (22,) * (len(columnas) - 1)
    _tabla(pdf, "Por agente", [t for t, _, _ in columnas], filas, anchos)


def documento_pdf(
    *, reporte: Reporte, fabrica: sessionmaker[Session], ajustes: Ajustes
) -> Iterator[bytes]:
    """El PDF entero en un trozo (se calcula en el hilo de la respuesta, no en el bucle)."""
    resumen = servicio_resumen.construir(
        reporte=reporte, fabrica=fabrica, ajustes=ajustes, ahora=servicio_resumen.ahora_utc()
    )
    yield renderizar(resumen, ajustes.reporte_logo)


def renderizar(resumen: Resumen, logo: str | None = None) -> bytes:
    pdf = _nuevo_documento(resumen)
    pdf.add_page()
    _cabecera(pdf, resumen, logo)
    _tarjetas(pdf, resumen.kpis)
    _graficos(pdf, resumen)
    pdf.add_page()
    _agentes(pdf, resumen)
    return bytes(pdf.output())
