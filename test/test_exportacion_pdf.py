"""PDF exportado: texto leído con pypdf y páginas renderizadas a PNG con pdftoppm."""

import io
import logging
import shutil
import statistics
import subprocess
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from modelos.medidas import POR_NOMBRE
from modelos.reporte import Reporte
from test.datos_exportacion import (
    ANTERIORES,
    EN_PERIODO,
    NOMBRES,
    ZONA,
    crear_reporte,
    descargar,
)

pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")
UMBRAL = 20
# Un PNG de 1×1 píxel válido, como logo del centro.
PNG_1X1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _mm_ss(segundos: float) -> str:
    minutos, seg = divmod(round(segundos), 60)
    return f"{minutos}:{seg:02d}"


def _porcentaje(proporcion: float) -> str:
    return f"{proporcion * 100:.1f}".replace(".", ",") + " %"


@pytest.fixture
def pdf(cliente, cabeceras, sesion_bd, cambiar_ajustes, tmp_path, caplog):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1X1)
    reporte = crear_reporte(cliente, cabeceras, sesion_bd, cambiar_ajustes, reporte_logo=str(logo))
    with caplog.at_level(logging.INFO):
        contenido = descargar(cliente, cabeceras, reporte, "pdf")
    assert not [r for r in caplog.records if r.name.startswith("fontTools")]
    return reporte, contenido


def test_pdf_nombres_horas_locales_mm_ss_y_coma_decimal(pdf):
    reporte, contenido = pdf
    documento = PdfReader(io.BytesIO(contenido))
    assert len(documento.pages) == 2
    texto = "\n".join(pagina.extract_text() for pagina in documento.pages)
    assert f"Reporte de llamadas n.º {reporte['id']}" in texto
    assert f"Periodo: 10/03/2025 a 16/03/2025 ({ZONA})" in texto
    assert "Comparado con: 03/03/2025 a 09/03/2025" in texto
    for nombre in NOMBRES.values():
        assert nombre in texto
    aht = statistics.mean(ll.duracion for ll in EN_PERIODO)
    assert _mm_ss(aht) in texto
    esperas = [ll.espera for ll in EN_PERIODO if ll.espera is not None]
    assert _porcentaje(sum(e <= UMBRAL for e in esperas) / len(esperas)) in texto
    abandono = sum(ll.resultado == "colgada" for ll in EN_PERIODO) / len(EN_PERIODO)
    assert _porcentaje(abandono) in texto
    assert f"antes {len(ANTERIORES)}" in texto
    for etiqueta in ("Llamadas por día", "Llamadas por hora del día", "Mezcla de categorías"):
        assert etiqueta in texto
    assert POR_NOMBRE["nivel_servicio"].etiqueta in texto
    assert "Página 1 de 2" in texto and "Página 2 de 2" in texto
    assert f"Periodo 10/03/2025 a 16/03/2025 ({ZONA}) · Generado el" in texto
    assert "Generado por: Supervisor" in texto or "Generado por: " in texto
    assert "usuario " not in texto


def test_pdf_lleva_el_logo_del_ajuste(pdf):
    documento = PdfReader(io.BytesIO(pdf[1]))
    assert len(documento.pages[0].images) == 1


def test_pdf_se_renderiza_a_png_con_sus_paginas(pdf, tmp_path: Path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("falta pdftoppm: sudo apt-get install poppler-utils")
    (tmp_path / "r.pdf").write_bytes(pdf[1])
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    paginas = sorted(tmp_path.glob("p-*.png"))
    assert len(paginas) == 2
    for pagina in paginas:
        datos = pagina.read_bytes()
        assert datos.startswith(b"\x89PNG")
        # A4 a 40 ppp: 331 × 468 píxeles.
        ancho, alto = int.from_bytes(datos[16:20], "big"), int.from_bytes(datos[20:24], "big")
        assert (ancho, alto) == (331, 468)
    assert zlib.crc32(paginas[0].read_bytes()) != zlib.crc32(paginas[1].read_bytes())


def test_pdf_de_un_reporte_guardado_sin_comparacion_la_recalcula(
    cliente, cabeceras, sesion_bd, cambiar_ajustes
):
    reporte = crear_reporte(cliente, cabeceras, sesion_bd, cambiar_ajustes)
    guardado = sesion_bd.get(Reporte, reporte["id"])
    contenido = dict(guardado.contenido)
    del contenido["comparacion"], contenido["objetivos"]
    guardado.contenido = contenido
    sesion_bd.commit()
    texto = "\n".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(descargar(cliente, cabeceras, reporte, "pdf"))).pages
    )
    assert f"antes {len(ANTERIORES)}" in texto
    assert "Comparado con: 03/03/2025 a 09/03/2025" in texto
