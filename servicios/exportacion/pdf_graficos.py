"""Gráficos de barras dibujados con las primitivas de fpdf2: vectoriales, sin matplotlib y en
milisegundos. El eje vertical solo lleva marcas enteras."""

import math
from collections.abc import Sequence

from fpdf import FPDF

AZUL = (59, 110, 165)
GRIS_PARCIAL = (190, 196, 204)
GRIS_TEXTO = (90, 90, 90)
GRIS_REJILLA = (225, 225, 225)
MARCAS_MAXIMAS = 5


def marcas_enteras(maximo: float) -> list[int]:
    """0 y múltiplos enteros de un paso redondo (1, 2, 5 × 10^n) hasta cubrir el máximo."""
    if maximo <= 0:
        return [0, 1]
    bruto = maximo / (MARCAS_MAXIMAS - 1)
    magnitud = 10 ** math.floor(math.log10(bruto))
    paso = next(m * magnitud for m in (1, 2, 5, 10) if m * magnitud >= bruto)
    paso = max(1, int(paso))
    tope = math.ceil(maximo / paso) * paso
    return list(range(0, tope + 1, paso))


def barras(
    pdf: FPDF,
    caja: tuple[float, float, float, float],
    titulo: str,
    etiquetas: Sequence[str],
    valores: Sequence[int],
    parciales: Sequence[bool] | None = None,
    fuente: str = "Helvetica",
) -> None:
    """Barras verticales en caja=(x, y, ancho, alto); las parciales en gris con su leyenda."""
    x, y, ancho, alto = caja
    pdf.set_font(fuente, "B", 9)
    pdf.set_text_color(0)
    pdf.text(x, y + 3, titulo)
    marcas = marcas_enteras(max(valores, default=0))
    izquierda, arriba = x + 9, y + 7
    abajo = y + alto - 7
    alto_util, ancho_util = abajo - arriba, x + ancho - izquierda
    pdf.set_font(fuente, size=6)
    pdf.set_text_color(*GRIS_TEXTO)
    pdf.set_draw_color(*GRIS_REJILLA)
    pdf.set_line_width(0.15)
    for marca in marcas:
        altura = abajo - alto_util * marca / marcas[-1]
        pdf.line(izquierda, altura, x + ancho, altura)
        texto = f"{marca:,}".replace(",", ".")
        pdf.text(izquierda - 1.2 - pdf.get_string_width(texto), altura + 0.9, texto)
    if not valores:
        return
    hueco = ancho_util / len(valores)
    cada = max(1, math.ceil(len(valores) * 7 / ancho_util))
    for i, (etiqueta, valor) in enumerate(zip(etiquetas, valores, strict=True)):
        parcial = bool(parciales and parciales[i])
        pdf.set_fill_color(*(GRIS_PARCIAL if parcial else AZUL))
        altura = alto_util * valor / marcas[-1]
        pdf.rect(izquierda + i * hueco + hueco * 0.12, abajo - altura, hueco * 0.76, altura, "F")
        if i % cada == 0:
            centro = izquierda + i * hueco + hueco / 2
            pdf.text(centro - pdf.get_string_width(etiqueta) / 2, abajo + 3, etiqueta)
    if parciales and any(parciales):
        pdf.set_fill_color(*GRIS_PARCIAL)
        leyenda = "día parcial (periodo o jornada incompletos)"
        pdf.rect(x + ancho - pdf.get_string_width(leyenda) - 4, y + 0.6, 2.5, 2.5, "F")
        pdf.text(x + ancho - pdf.get_string_width(leyenda), y + 2.7, leyenda)
    pdf.set_text_color(0)


def barras_horizontales(
    pdf: FPDF,
    caja: tuple[float, float, float, float],
    titulo: str,
    filas: Sequence[tuple[str, int]],
    fuente: str = "Helvetica",
) -> None:
    """Una barra por categoría con su número y su porcentaje del total."""
    x, y, ancho, _ = caja
    pdf.set_font(fuente, "B", 9)
    pdf.set_text_color(0)
    pdf.text(x, y + 3, titulo)
    total = sum(valor for _, valor in filas) or 1
    maximo = max((valor for _, valor in filas), default=0) or 1
    pdf.set_font(fuente, size=7)
    for i, (etiqueta, valor) in enumerate(filas):
        fila_y = y + 8 + i * 8
        pdf.text(x, fila_y + 3.4, etiqueta)
        largo = (ancho - 58) * valor / maximo
        pdf.set_fill_color(*AZUL)
        pdf.rect(x + 24, fila_y, max(largo, 0.3), 4.5, "F")
        porcentaje = f"{valor / total * 100:.1f}".replace(".", ",")
        texto = f"{valor:,}".replace(",", ".") + f" ({porcentaje} %)"
        pdf.text(x + 26 + largo, fila_y + 3.4, texto)
