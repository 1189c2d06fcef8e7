"""La lista declarativa de medidas y las distribuciones por enum llegan a todas partes: modelo,
migraciones, data/ddl.sql, la API, el OpenAPI y el README. Falta una y esta prueba falla."""

from pathlib import Path

import pytest
from sqlalchemy import inspect

from config import Ajustes
from esquemas.metrica import Indicadores, KPIAgente, PuntoSerie
from modelos.medidas import MEDIDAS, tabla_markdown
from modelos.metrica import MetricaAgente
from modelos.sumas import COLUMNAS_VECTOR, DISTRIBUCIONES

RAIZ = Path(__file__).resolve().parents[1]


def test_cada_columna_del_vector_esta_en_modelo_migraciones_y_ddl(motor_bd):
    en_base = {c["name"] for c in inspect(motor_bd).get_columns("metricas_agentes")}
    en_modelo = set(MetricaAgente.__table__.columns.keys())
    ddl = (RAIZ / "data" / "ddl.sql").read_text(encoding="utf-8")
    for columna in COLUMNAS_VECTOR:
        assert columna in en_modelo, columna
        assert columna in en_base, f"falta una migración que añada {columna}"
        assert f"\t{columna} INTEGER NOT NULL" in ddl, f"regenera data/ddl.sql ({columna})"


def test_cada_valor_de_cada_enum_tiene_su_columna():
    for distribucion in DISTRIBUCIONES:
        for valores in distribucion.valores():
            assert f"{distribucion.prefijo}_{'_'.join(valores)}" in COLUMNAS_VECTOR
        assert len(distribucion.valores()) == len(set(distribucion.valores()))


def test_cada_medida_sale_de_sumas_existentes_y_tiene_su_ajuste():
    for medida in MEDIDAS:
        assert medida.numerador in COLUMNAS_VECTOR, medida.nombre
        assert medida.denominador is None or medida.denominador in COLUMNAS_VECTOR
        if medida.ajuste_objetivo:
            assert medida.ajuste_objetivo in Ajustes.model_fields, medida.nombre
            assert medida.mayor_es_mejor is not None, medida.nombre
    nombres = [m.nombre for m in MEDIDAS]
    assert len(nombres) == len(set(nombres))


def test_esquemas_y_openapi_tienen_cada_medida_y_distribucion(cliente):
    propiedades = cliente.get("/openapi.json").json()["components"]["schemas"]["Metricas"]
    propiedades = propiedades["properties"]
    for medida in MEDIDAS:
        assert medida.nombre in Indicadores.model_fields
        assert medida.nombre in propiedades, medida.nombre
        assert (medida.nombre in KPIAgente.model_fields) is medida.por_agente
        assert (medida.nombre in PuntoSerie.model_fields) is medida.en_serie
    for distribucion in DISTRIBUCIONES:
        assert distribucion.nombre in propiedades


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_la_api_da_cada_valor_de_cada_enum(cliente, cabeceras):
    cuerpo = cliente.get("/api/metricas/", headers=cabeceras("supervisor")).json()
    for distribucion in DISTRIBUCIONES:
        assert list(cuerpo[distribucion.nombre]) == distribucion.claves()
    for medida in MEDIDAS:
        assert medida.nombre in cuerpo


def test_el_readme_tiene_la_tabla_de_kpis_al_dia():
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    assert tabla_markdown() in readme, "copia modelos.medidas.tabla_markdown() al README"


def test_el_indice_por_agente_cubre_las_medidas_por_agente():
    from modelos.medidas import MEDIDAS
    from modelos.metrica import INDICE_KPI

    usadas = {c for m in MEDIDAS if m.por_agente for c in (m.numerador, m.denominador) if c}
    assert set(INDICE_KPI) == usadas
