"""CSV exportado, leído de vuelta con el módulo csv en los dos formatos regionales."""

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crud.reporte import instante_utc
from test.datos_exportacion import EN_PERIODO, NOMBRES, ZONA, crear_reporte, descargar

# Las categorías las fija la prueba: sin clasificación automática.
pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

FORMATOS = {
    "es": (";", ",", "%d/%m/%Y %H:%M:%S"),
    "en": (",", ".", "%Y-%m-%d %H:%M:%S"),
}


@pytest.fixture
def reporte(cliente, cabeceras, sesion_bd, cambiar_ajustes):
    return crear_reporte(cliente, cabeceras, sesion_bd, cambiar_ajustes)


def _leer(contenido: bytes, separador: str) -> list[dict]:
    assert contenido.startswith(b"\xef\xbb\xbf")
    texto = contenido.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(texto, newline=""), delimiter=separador))


@pytest.mark.parametrize("regional", ["es", "en"])
def test_csv_una_fila_por_llamada_en_hora_local_y_formato_regional(
    cliente, cabeceras, reporte, regional
):
    separador, decimal, formato_fecha = FORMATOS[regional]
    contenido = descargar(cliente, cabeceras, reporte, "csv", formato_regional=regional)
    filas = _leer(contenido, separador)
    assert len(filas) == len(EN_PERIODO) == 5
    for fila, llamada in zip(filas, EN_PERIODO, strict=True):
        assert fila[f"Fecha y hora ({ZONA})"] == llamada.local.strftime(formato_fecha)
        assert fila["Agente"] == NOMBRES[llamada.agente]
        assert fila["Cliente"] == llamada.cliente
        assert (fila["Tipo"], fila["Resultado"]) == (llamada.tipo, llamada.resultado)
        assert fila["Dirección"] == llamada.direccion
        assert int(fila["Duración (s)"]) == llamada.duracion
        assert fila["Espera (s)"] == ("" if llamada.espera is None else str(llamada.espera))
        assert fila["CSAT (1-5)"] == ("" if llamada.csat is None else str(llamada.csat))
        assert fila["Categoría IA"] == (llamada.categoria or "sin_clasificar")
        confianza = "" if llamada.confianza is None else str(llamada.confianza)
        assert fila["Confianza IA (0-1)"] == confianza.replace(".", decimal)
        assert fila["Sentimiento"] == (llamada.sentimiento or "")
        assert fila["Consejo de la IA"] == (llamada.consejo or "")
        notas = llamada.notas or ""
        assert fila["Notas"] == ("'" + notas if notas.startswith("=") else notas)


def test_csv_por_defecto_es_el_formato_espanol(cliente, cabeceras, reporte):
    contenido = descargar(cliente, cabeceras, reporte, "csv")
    assert contenido == descargar(cliente, cabeceras, reporte, "csv", formato_regional="es")
    cabecera = contenido.decode("utf-8-sig").splitlines()[0]
    assert cabecera.startswith("ID;Fecha y hora (")


def test_csv_formato_regional_desconocido_da_422(cliente, cabeceras, reporte):
    respuesta = cliente.get(
        f"/api/reportes/{reporte['id']}/descargar",
        params={"formato": "csv", "formato_regional": "fr"},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 422
    assert any(e["campo"] == "formato_regional" for e in respuesta.json()["detail"])


def test_instante_utc_de_las_filas_crudas():
    """Las filas del CSV y del XLSX se leen sin las conversiones de SQLAlchemy: la fecha llega
    como texto ISO sin zona (SQLite, en UTC) o con su zona (PostgreSQL)."""
    utc = datetime(2026, 3, 29, 1, 30, 5, 120000, tzinfo=UTC)
    assert instante_utc(utc.strftime("%Y-%m-%d %H:%M:%S.%f")) == utc
    assert instante_utc("2026-03-29 01:30:05") == utc.replace(microsecond=0)
    en_madrid = utc.astimezone(ZoneInfo("Europe/Madrid"))
    assert instante_utc(en_madrid) == utc and instante_utc(en_madrid).tzinfo is en_madrid.tzinfo
    assert instante_utc(utc.replace(tzinfo=None)) == utc
