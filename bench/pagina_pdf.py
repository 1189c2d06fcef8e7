"""Renderiza la portada del PDF de un reporte mensual de 40 agentes a docs/capturas/reporte-pdf.png.

Llena un SQLite temporal con llamadas de un año (las de bench/metricas.py), genera el reporte
del último mes cerrado en la zona del centro y pasa su primera página por pdftoppm.

Uso: python bench/pagina_pdf.py [--llamadas 60000] [--salida docs/capturas/reporte-pdf.png]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from sqlalchemy import select  # noqa: E402

from bench.metricas import _ajustes, llenar  # noqa: E402
from database import crear_fabrica, crear_motor  # noqa: E402
from esquemas.reporte import ReporteCrear  # noqa: E402
from modelos.usuario import Usuario  # noqa: E402
from servicios import reportes  # noqa: E402
from servicios.exportacion import resumen  # noqa: E402
from servicios.exportacion.pdf import renderizar  # noqa: E402


def mes_anterior(ahora: datetime, zona) -> tuple[datetime, datetime]:
    """Del día 1 del mes pasado a las 00:00 locales hasta justo antes del día 1 de este mes."""
    primero_este = ahora.astimezone(zona).date().replace(day=1)
    primero_pasado = (primero_este - timedelta(days=1)).replace(day=1)
    desde = datetime.combine(primero_pasado, time(), zona)
    return desde, datetime.combine(primero_este, time(), zona) - timedelta(microseconds=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llamadas", type=int, default=60_000)
    parser.add_argument("--salida", type=Path, default=RAIZ / "docs/capturas/reporte-pdf.png")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        sys.exit("falta pdftoppm: sudo apt-get install poppler-utils")
    carpeta = Path(tempfile.mkdtemp(prefix="pagina_pdf_"))
    ruta = carpeta / "pagina.db"
    ahora = datetime.now(UTC)
    llenar(ruta, args.llamadas, 40, ahora)
    ajustes = _ajustes(ruta)
    fabrica = crear_fabrica(crear_motor(ajustes.database_url))
    desde, hasta = mes_anterior(ahora, ajustes.zona)
    with fabrica() as sesion:
        supervisor = sesion.scalar(select(Usuario).where(Usuario.email == "sup@example.com"))
        datos = ReporteCrear(desde=desde, hasta=hasta, descripcion="Cierre del mes")
        reporte = reportes.crear(sesion=sesion, actor=supervisor, datos=datos, ajustes=ajustes)
        sesion.expunge(reporte)
    contenido = resumen.construir(reporte=reporte, fabrica=fabrica, ajustes=ajustes, ahora=ahora)
    pdf = carpeta / "reporte.pdf"
    pdf.write_bytes(renderizar(contenido))
    base = carpeta / "pagina"
    subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-png", pdf, base], check=True)
    args.salida.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(next(carpeta.glob("pagina*.png")), args.salida)
    print(f"Página 1 de {reporte.id} ({contenido.periodo}) en {args.salida}")


if __name__ == "__main__":
    main()
