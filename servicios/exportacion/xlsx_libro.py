"""El libro XLSX sin las llamadas: resumen con objetivos y comparación, agentes, horas y días,
con gráficos nativos; la hoja «Llamadas» lleva solo la cabecera y una fila plantilla cuyos
estilos reutiliza quien escribe las llamadas en flujo (servicios/exportacion/xlsx.py)."""

import io
from datetime import datetime

import xlsxwriter

from servicios.exportacion.filas import FilaLlamada, columnas_llamadas
from servicios.exportacion.resumen import Cubeta, Resumen
from servicios.exportacion.textos import Unidad

HOJA_LLAMADAS = "Llamadas"
SEGUNDOS_DIA = 86_400
FORMATOS = {
    "entero": {"num_format": "#,##0"},
    "segundos": {"num_format": "[m]:ss"},
    "duracion": {"num_format": "[m]:ss"},
    "proporcion": {"num_format": "0.0%"},
    "porcentaje": {"num_format": "0.0%"},
    "decimal": {"num_format": "0.00"},
    "fecha": {"num_format": "dd/mm/yyyy hh:mm:ss"},
    "dia": {"num_format": "dd/mm/yyyy"},
    "texto": {},
    "cabecera": {"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True},
    "titulo": {"bold": True, "font_size": 14},
    "bien": {"bold": True, "font_color": "#1E7B34", "bg_color": "#E3F4E6"},
    "mal": {"bold": True, "font_color": "#B3261E", "bg_color": "#FBE4E2"},
    "variacion": {"num_format": "+0.0%;-0.0%;0.0%"},
    "variacion_segundos": {"num_format": '+0" s";-0" s";0" s"'},
    "variacion_numero": {"num_format": "+0.00;-0.00;0.00"},
}
# Fila plantilla: un valor de cada tipo para que xlsxwriter asigne el estilo de cada columna.
PLANTILLA = FilaLlamada(
    1, datetime(2000, 1, 1), "x", "x", "x", "x", "x", 1, 1, 1, "x", 0.5, "x", "x", "x"
)


def excel(unidad: Unidad | str, valor: float | None) -> float | None:
    """El valor como lo guarda Excel con su formato: segundos en días, 0-100 en 0-1."""
    if valor is None:
        return None
    if unidad in ("segundos", "duracion"):
        return valor / SEGUNDOS_DIA
    if unidad == "porcentaje":
        return valor / 100
    return valor


def _tabla(hoja, fila: int, col: int, cabeceras, estilos, anchos=None) -> None:
    hoja.write_row(fila, col, cabeceras, estilos["cabecera"])
    for i, cabecera in enumerate(cabeceras):
        ancho = anchos[i] if anchos else max(12, len(cabecera) + 3)
        hoja.set_column(col + i, col + i, ancho)


def _resumen(libro, hoja, resumen: Resumen, estilos) -> None:
    hoja.write(0, 0, f"Reporte de llamadas n.º {resumen.reporte_id}", estilos["titulo"])
    datos = (
        ("Periodo", resumen.periodo),
        ("Periodo anterior", resumen.periodo_anterior),
        ("Zona horaria", resumen.zona),
        ("Filtros", resumen.filtros),
        ("Generado por", resumen.generado_por),
        ("Generado el", f"{resumen.generado_en} ({resumen.zona})"),
        ("Descripción", resumen.descripcion or ""),
    )
    for fila, (clave, valor) in enumerate(datos, start=2):
        hoja.write(fila, 0, clave, estilos["cabecera"])
        hoja.write_string(fila, 1, valor)
    fila = len(datos) + 3
    cabeceras = ("Indicador", "Valor", "Objetivo", "Cumple", "Periodo anterior", "Variación")
    _tabla(hoja, fila, 0, cabeceras, estilos, (30, 14, 12, 9, 17, 12))
    for kpi in resumen.kpis:
        fila += 1
        unidad = kpi.indicador.unidad
        formato = estilos[unidad]
        hoja.write_string(fila, 0, kpi.indicador.etiqueta)
        hoja.write(fila, 1, excel(unidad, kpi.actual), formato)
        hoja.write(fila, 2, excel(unidad, kpi.objetivo), formato)
        if kpi.cumple is not None:
            hoja.write_string(fila, 3, "Sí" if kpi.cumple else "No", estilos[_color(kpi.cumple)])
        hoja.write(fila, 4, excel(unidad, kpi.anterior), formato)
        if kpi.actual is not None and kpi.anterior is not None:
            hoja.write(fila, 5, *_variacion(unidad, kpi.actual, kpi.anterior, estilos))
    fila += 2
    _tabla(hoja, fila, 0, ("Categoría", "Llamadas"), estilos, (30, 14))
    primera = fila + 1
    for categoria, total in resumen.categorias:
        fila += 1
        hoja.write_string(fila, 0, categoria)
        hoja.write_number(fila, 1, total, estilos["entero"])
    grafico = libro.add_chart({"type": "pie"})
    grafico.add_series(
        {
            "name": "Mezcla de categorías",
            "categories": [hoja.name, primera, 0, fila, 0],
            "values": [hoja.name, primera, 1, fila, 1],
            "data_labels": {"percentage": True},
        }
    )
    grafico.set_title({"name": "Mezcla de categorías"})
    hoja.insert_chart(2, 7, grafico, {"x_scale": 1.0, "y_scale": 1.0})


def _color(cumple: bool) -> str:
    return "bien" if cumple else "mal"


def _variacion(unidad: str, actual: float, anterior: float, estilos) -> tuple:
    if unidad == "segundos":
        return actual - anterior, estilos["variacion_segundos"]
    if unidad in ("proporcion", "porcentaje"):
        return excel(unidad, actual) - excel(unidad, anterior), estilos["variacion"]
    if unidad == "entero":
        cambio = (actual - anterior) / anterior if anterior else 0
        return cambio, estilos["variacion"]
    return actual - anterior, estilos["variacion_numero"]


COLUMNAS_AGENTE = (
    ("Agente", "nombre", "texto"),
    ("Llamadas", "total_llamadas", "entero"),
    ("Duración media (AHT)", "duracion_promedio_segundos", "segundos"),
    ("CSAT medio (1-5)", "satisfaccion_promedio", "decimal"),
    ("Resolución", "tasa_resolucion", "proporcion"),
    ("Abandono", "tasa_abandono", "proporcion"),
    ("Escalamiento", "tasa_escalamiento", "proporcion"),
)


def _agentes(hoja, resumen: Resumen, estilos) -> None:
    columnas = [c for c in COLUMNAS_AGENTE if any(c[1] in a for a in resumen.agentes[:1])]
    columnas = columnas or list(COLUMNAS_AGENTE[:5])
    nombres = max((len(a.get("nombre", "")) for a in resumen.agentes), default=10)
    anchos = [max(nombres + 2, 16)] + [max(12, len(c[0]) + 3) for c in columnas[1:]]
    _tabla(hoja, 0, 0, [c[0] for c in columnas], estilos, anchos)
    for fila, agente in enumerate(resumen.agentes, start=1):
        for col, (_, clave, unidad) in enumerate(columnas):
            hoja.write(fila, col, excel(unidad, agente.get(clave)), estilos[unidad])
    _fijar(hoja, len(resumen.agentes), len(columnas))


def _fijar(hoja, filas: int, columnas: int) -> None:
    hoja.freeze_panes(1, 0)
    hoja.autofilter(0, 0, max(filas, 1), columnas - 1)


def _serie(libro, hoja, cubetas: list[Cubeta], titulo: str, tipo: str):
    """Tabla etiqueta/llamadas/AHT y un gráfico de columnas o líneas de las llamadas."""
    grafico = libro.add_chart({"type": tipo})
    completas = [i for i, c in enumerate(cubetas, start=1) if not c.parcial] or [1, len(cubetas)]
    grafico.add_series(
        {
            "name": titulo,
            "categories": [hoja.name, completas[0], 0, completas[-1], 0],
            "values": [hoja.name, completas[0], 1, completas[-1], 1],
        }
    )
    grafico.set_title({"name": titulo})
    grafico.set_legend({"none": True})
    grafico.set_y_axis({"min": 0, "num_format": "0", "major_gridlines": {"visible": True}})
    return grafico


def _horas(libro, hoja, resumen: Resumen, estilos) -> None:
    _tabla(hoja, 0, 0, ("Hora", "Llamadas", "Duración media (AHT)"), estilos)
    for fila, cubeta in enumerate(resumen.horas, start=1):
        hoja.write_string(fila, 0, f"{cubeta.etiqueta}:00")
        hoja.write_number(fila, 1, cubeta.llamadas, estilos["entero"])
        hoja.write(fila, 2, excel("segundos", cubeta.aht), estilos["segundos"])
    _tabla(hoja, 0, 4, ("Día de la semana", "Llamadas", "Duración media (AHT)"), estilos)
    for fila, cubeta in enumerate(resumen.semana, start=1):
        hoja.write_string(fila, 4, cubeta.etiqueta)
        hoja.write_number(fila, 5, cubeta.llamadas, estilos["entero"])
        hoja.write(fila, 6, excel("segundos", cubeta.aht), estilos["segundos"])
    hoja.freeze_panes(1, 0)
    grafico = _serie(libro, hoja, resumen.horas, "Volumen por hora", "column")
    grafico.set_x_axis({"name": f"Hora del día ({resumen.zona})"})
    hoja.insert_chart(9, 4, grafico)


def _dias(libro, hoja, resumen: Resumen, estilos) -> object:
    _tabla(hoja, 0, 0, ("Día", "Llamadas", "Duración media (AHT)", "Día completo"), estilos)
    for fila, cubeta in enumerate(resumen.dias, start=1):
        hoja.write_string(fila, 0, cubeta.etiqueta)
        hoja.write_number(fila, 1, cubeta.llamadas, estilos["entero"])
        hoja.write(fila, 2, excel("segundos", cubeta.aht), estilos["segundos"])
        hoja.write_string(fila, 3, "No" if cubeta.parcial else "Sí")
    _fijar(hoja, len(resumen.dias), 4)
    grafico = _serie(libro, hoja, resumen.dias, "Volumen diario", "line")
    grafico.set_x_axis({"name": "Días completos (los parciales no se dibujan)"})
    return grafico


def _libro(salida: io.BytesIO) -> xlsxwriter.Workbook:
    opciones = {
        "in_memory": True,
        # Un texto se escribe siempre como texto: '=HYPERLINK(...)' en un nombre no es una fórmula.
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    return xlsxwriter.Workbook(salida, opciones)


def _estilos_y_llamadas(libro, zona: str) -> tuple[dict, object]:
    """Formatos y hoja «Llamadas» (la segunda), escrita antes que nada: así los índices de
    estilo y de cadenas compartidas de su XML no dependen de los datos del resumen."""
    estilos = {nombre: libro.add_format(props) for nombre, props in FORMATOS.items()}
    for formato in estilos.values():
        # xlsxwriter numera los estilos al usarlos por primera vez al cerrar, hoja a hoja;
        # numerarlos ya, en el orden de FORMATOS, hace que «Llamadas» tenga siempre los mismos.
        formato._get_xf_index()
    primera = libro.add_worksheet("Resumen")
    _plantilla_llamadas(libro.add_worksheet(HOJA_LLAMADAS), zona, estilos)
    return estilos, primera


def hoja_llamadas(zona: str) -> bytes:
    """Solo el libro con la hoja plantilla de llamadas: su XML es el del libro completo."""
    salida = io.BytesIO()
    with _libro(salida) as libro:
        _estilos_y_llamadas(libro, zona)
    return salida.getvalue()


def libro_sin_llamadas(resumen: Resumen) -> bytes:
    """El libro entero salvo las filas de las llamadas, en memoria (es pequeño)."""
    salida = io.BytesIO()
    with _libro(salida) as libro:
        estilos, resumen_hoja = _estilos_y_llamadas(libro, resumen.zona)
        agentes = libro.add_worksheet("Agentes")
        horas = libro.add_worksheet("Horas")
        dias = libro.add_worksheet("Días")
        _resumen(libro, resumen_hoja, resumen, estilos)
        resumen_hoja.insert_chart(18, 7, _dias(libro, dias, resumen, estilos))
        _agentes(agentes, resumen, estilos)
        _horas(libro, horas, resumen, estilos)
    return salida.getvalue()


def _plantilla_llamadas(hoja, zona: str, estilos) -> None:
    columnas = columnas_llamadas(zona)
    for col, columna in enumerate(columnas):
        hoja.set_column(col, col, columna.ancho)
        hoja.write_string(0, col, columna.cabecera, estilos["cabecera"])
        valor = getattr(PLANTILLA, columna.campo)
        if columna.tipo in ("fecha",):
            hoja.write_datetime(1, col, valor, estilos["fecha"])
        elif columna.tipo == "texto":
            hoja.write_string(1, col, valor, estilos["texto"])
        else:
            hoja.write_number(1, col, valor, estilos[columna.tipo])
    _fijar(hoja, 1, len(columnas))
