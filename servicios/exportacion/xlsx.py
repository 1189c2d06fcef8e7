"""XLSX en flujo y con memoria constante: un zip escrito según sale.

Las partes pequeñas (estilos, hojas de resumen, gráficos) son las de un libro de xlsxwriter
hecho sin las llamadas (xlsx_libro.py); la hoja «Llamadas» se escribe fila a fila como XML
directamente en su entrada del zip, con los índices de estilo `s="N"` que xlsxwriter dio a la
fila plantilla. El libro (workbook.xml) va al final: su rango del autofiltro necesita saber
cuántas filas salieron. Los textos van como cadenas en línea, nunca como fórmulas.
"""

import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from config import Ajustes
from modelos.reporte import Reporte
from servicios.exportacion import resumen as servicio_resumen
from servicios.exportacion.filas import Columna, columnas_llamadas, lotes_de_llamadas
from servicios.exportacion.xlsx_libro import HOJA_LLAMADAS, hoja_llamadas, libro_sin_llamadas

FILAS_MAXIMAS = 1_048_575
RUTA_HOJA = "xl/worksheets/sheet2.xml"
RUTA_LIBRO = "xl/workbook.xml"
EPOCA_EXCEL = datetime(1899, 12, 30)
UN_DIA = timedelta(days=1)
COMPRESION = 1  # deflate rápido: la hoja grande es XML muy repetitivo y comprime bien igual
# Caracteres que XML 1.0 no admite (salvo tabulador y saltos de línea) se quitan.
ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
ESCAPES.update(dict.fromkeys((c for c in range(32) if c not in (9, 10, 13)), None))
ESPECIALES = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")


class _Salida(io.RawIOBase):
    """Flujo no buscable: zipfile escribe descriptores de datos y aquí se recoge lo escrito."""

    def __init__(self) -> None:
        self._trozos: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, datos) -> int:
        self._trozos.append(bytes(datos))
        return len(datos)

    def vaciar(self) -> bytes:
        datos = b"".join(self._trozos)
        self._trozos.clear()
        return datos


@dataclass(frozen=True)
class HojaPlantilla:
    """La hoja de llamadas de xlsxwriter partida en: antes de las filas, estilos y después."""

    prefijo: str
    estilos: list[str]
    sufijo: str

    @classmethod
    def leer(cls, xml: str) -> "HojaPlantilla":
        plantilla = re.search(r'<row r="2"[^>]*>(.*?)</row>', xml)
        if plantilla is None:
            raise ValueError("la hoja plantilla no tiene fila 2")
        estilos = []
        for celda in re.findall(r"<c [^>]*>", plantilla.group(1)):
            estilo = re.search(r' s="(\d+)"', celda)
            estilos.append(f' s="{estilo.group(1)}"' if estilo else "")
        # Sin <dimension>: es opcional y su tamaño no se sabe hasta el final.
        prefijo = re.sub(r"<dimension [^>]*/>", "", xml[: plantilla.start()])
        return cls(prefijo, estilos, xml[plantilla.end() :])


def _letra(indice: int) -> str:
    letras = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        letras = chr(65 + resto) + letras
    return letras


def _texto(valor: str) -> str:
    limpio = valor.translate(ESCAPES) if ESPECIALES.search(valor) else valor
    espacio = ' xml:space="preserve"' if limpio[:1].isspace() or limpio[-1:].isspace() else ""
    return f"<is><t{espacio}>{limpio}</t></is>"


def _expresion_celda(letra: str, estilo: str, columna: Columna) -> str:
    """Código de una expresión que da el XML de la celda de la fila n del registro r."""
    valor = f"r.{columna.campo}"
    if columna.tipo == "texto":
        cuerpo = f't="inlineStr">{{_texto({valor})}}'
    elif columna.tipo == "fecha":
        cuerpo = f"><v>{{({valor} - EPOCA_EXCEL) / UN_DIA}}</v>"
    elif columna.tipo == "duracion":
        cuerpo = f"><v>{{{valor} / 86400}}</v>"
    else:
        cuerpo = f"><v>{{{valor}}}</v>"
    celda = f'<c r="{letra}{{n}}"{estilo}{" " if cuerpo[0] == "t" else ""}{cuerpo}</c>'
    return f"('' if {valor} is None else f'{celda}')"


def _escritor_de_filas(columnas: tuple[Columna, ...], estilos: list[str]):
    """Función (n, registro) -> XML de la fila n; las celdas vacías no se escriben.

    Se compila una sola expresión por exportación a partir de las columnas declaradas (nombres
    de campo propios, nunca datos): escribir 100 000 filas celda a celda con una llamada por
    celda cuesta el triple.
    """
    celdas = [
        _expresion_celda(_letra(i), estilo, columna)
        for i, (columna, estilo) in enumerate(zip(columnas, estilos, strict=True))
    ]
    codigo = "lambda n, r: ''.join((f'<row r=\"{n}\">', " + ", ".join(celdas) + ", '</row>'))"
    entorno = {"_texto": _texto, "EPOCA_EXCEL": EPOCA_EXCEL, "UN_DIA": UN_DIA}
    return eval(codigo, entorno)  # noqa: S307 - código generado de las columnas declaradas


def _escribir_llamadas(destino, salida: _Salida, hoja: HojaPlantilla, lotes, columnas):
    """Escribe las filas en la entrada del zip; devuelve por yield lo comprimido, y la última."""
    fila_xml = _escritor_de_filas(columnas, hoja.estilos)
    destino.write(hoja.prefijo.encode("utf-8"))
    numero = 1
    for lote in lotes:
        trozo = []
        for registro in lote:
            numero += 1
            if numero > FILAS_MAXIMAS:
                break
            trozo.append(fila_xml(numero, registro))
        destino.write("".join(trozo).encode("utf-8"))
        if numero > FILAS_MAXIMAS:
            numero = FILAS_MAXIMAS
            break
        yield salida.vaciar()
    ultima = _letra(len(columnas) - 1)
    filtro = f'<autoFilter ref="A1:{ultima}{numero}"'
    sufijo = re.sub(r'<autoFilter ref="[^"]*"', filtro, hoja.sufijo)
    destino.write(sufijo.encode("utf-8"))
    return numero


def _libro_con_rango(xml: str, ultima_fila: int) -> str:
    """El nombre oculto del autofiltro de «Llamadas» con su rango real."""
    patron = rf"({HOJA_LLAMADAS}!\$A\$1:\$[A-Z]+\$)\d+"
    return re.sub(patron, rf"\g<1>{ultima_fila}", xml)


def libro_xlsx(
    *, reporte: Reporte, fabrica: sessionmaker[Session], ajustes: Ajustes
) -> Iterator[bytes]:
    """Trozos del XLSX según se escribe: primero las llamadas, luego el resto del libro.

    La hoja de llamadas no depende del resumen (xlsx_libro la escribe la primera), así que
    empieza a salir antes de calcular los KPIs del periodo anterior.
    """
    hoja = _plantilla(ajustes.zona_horaria)
    columnas = columnas_llamadas(ajustes.zona_horaria)
    salida = _Salida()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESION) as zip_:
        lotes = lotes_de_llamadas(reporte=reporte, fabrica=fabrica, zona=ajustes.zona)
        with zip_.open(RUTA_HOJA, "w") as destino:
            ultima = yield from _escribir_llamadas(destino, salida, hoja, lotes, columnas)
        resumen = servicio_resumen.construir(
            reporte=reporte, fabrica=fabrica, ajustes=ajustes, ahora=servicio_resumen.ahora_utc()
        )
        plantilla = zipfile.ZipFile(io.BytesIO(libro_sin_llamadas(resumen)))
        for nombre in plantilla.namelist():
            if nombre == RUTA_LIBRO:
                zip_.writestr(nombre, _libro_con_rango(plantilla.read(nombre).decode(), ultima))
            elif nombre != RUTA_HOJA:
                zip_.writestr(nombre, plantilla.read(nombre))
    yield salida.vaciar()


@functools.lru_cache(maxsize=8)
def _plantilla(zona: str) -> HojaPlantilla:
    with zipfile.ZipFile(io.BytesIO(hoja_llamadas(zona))) as plantilla:
        return HojaPlantilla.leer(plantilla.read(RUTA_HOJA).decode("utf-8"))
