"""KPIs en vivo: cada cifra de un conjunto conocido, con y sin fotos diarias, y permisos."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from modelos.metrica import Metrica
from servicios import programador
from test.ayudas_api import mensaje_422
from test.datos_metricas import DESDE, DIA, HASTA, LLAMADAS, cargar_llamadas

# Las cifras de categoría las fija cada prueba: sin clasificación ni repesca automáticas.
pytestmark = pytest.mark.usefixtures("sin_clasificacion_automatica")

PERIODO = {"desde": DESDE.isoformat(), "hasta": HASTA.isoformat()}
ESPERADO = {
    "total_llamadas": 7,
    "duracion_promedio_segundos": 122.86,
    "satisfaccion_promedio": 3.0,
    "llamadas_con_satisfaccion": 5,
    "csat_porcentaje": 40.0,
    "tasa_resolucion": 0.2857,
    "tasa_escalamiento": 0.1429,
    "tasa_abandono": 0.1429,
    "tasa_resolucion_primer_contacto": 0.5714,
    "llamadas_con_espera": 5,
    "tiempo_espera_promedio_segundos": 17.0,
    "nivel_servicio": 0.6,
    "nivel_servicio_umbral_segundos": 20,
    "granularidad": "dia",
    "por_categoria": {"venta": 2, "soporte": 1, "reclamo": 1, "sin_clasificar": 3},
    "por_tipo": {
        "venta": 2,
        "soporte": 1,
        "reclamo": 1,
        "consulta": 1,
        "tecnico": 1,
        "logistica": 1,
    },
    "por_resultado": {
        "atendida": 1,
        "colgada": 1,
        "resuelta": 2,
        "escalada": 1,
        "pendiente": 1,
        "fallida": 1,
    },
    "por_direccion": {"entrante": 5, "saliente": 2},
}
SERIE = {
    0: (2, 200.0, 5.0, 0.5),
    1: (2, 25.0, 4.0, 0.5),
    2: (1, 200.0, 3.0, 0.0),
    7: (1, 60.0, 2.0, 0.0),
    9: (1, 150.0, 1.0, 0.0),
}


def _tasas_del_agente(letra: str) -> dict:
    """Escalamiento, abandono y primer contacto de un agente, calculados desde LLAMADAS."""
    suyas = [f for f in LLAMADAS if f[0] == letra and DESDE <= f[2] <= HASTA]

    def _primer_contacto(fila) -> bool:
        return not any(
            o[1] == fila[1] and fila[2] < o[2] <= fila[2] + timedelta(days=7) for o in LLAMADAS
        )

    def _tasa(cuantas: int) -> float:
        return round(cuantas / len(suyas), 4)

    return {
        "tasa_escalamiento": _tasa(sum(f[5] == "escalada" for f in suyas)),
        "tasa_abandono": _tasa(sum(f[5] == "colgada" for f in suyas)),
        "tasa_resolucion_primer_contacto": _tasa(sum(map(_primer_contacto, suyas))),
    }


@pytest.fixture
def agentes(sesion_bd):
    return cargar_llamadas(sesion_bd)


def _comprobar_todo(cuerpo: dict, agentes: dict[str, int]) -> None:
    for clave, valor in ESPERADO.items():
        assert cuerpo[clave] == valor, clave
    assert cuerpo["por_agente"] == [
        {
            "usuario_id": agentes["B"],
            "nombre": "Beatriz Núñez",
            "total_llamadas": 4,
            "duracion_promedio_segundos": 65.0,
            "satisfaccion_promedio": 2.33,
            "tasa_resolucion": 0.25,
            **_tasas_del_agente("B"),
        },
        {
            "usuario_id": agentes["A"],
            "nombre": "Agente Uno",
            "total_llamadas": 3,
            "duracion_promedio_segundos": 200.0,
            "satisfaccion_promedio": 4.0,
            "tasa_resolucion": 0.3333,
            **_tasas_del_agente("A"),
        },
    ]
    assert len(cuerpo["serie"]) == 10
    for indice, punto in enumerate(cuerpo["serie"]):
        assert punto["inicio"].startswith((DIA + timedelta(days=indice)).date().isoformat())
        total, aht, csat, resolucion = SERIE.get(indice, (0, None, None, None))
        assert (
            punto["total_llamadas"],
            punto["duracion_promedio_segundos"],
            punto["satisfaccion_promedio"],
            punto["tasa_resolucion"],
        ) == (total, aht, csat, resolucion)


def test_kpis_en_vivo_dan_cada_cifra_exacta(cliente, cabeceras, agentes):
    respuesta = cliente.get("/api/metricas/", params=PERIODO, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200, respuesta.text
    cuerpo = respuesta.json()
    assert cuerpo["dias_desde_fotos"] == 0
    _comprobar_todo(cuerpo, agentes)


def test_kpis_con_fotos_diarias_dan_las_mismas_cifras(app, cliente, cabeceras, agentes):
    resultado = programador.ejecutar(
        fabrica=app.state.fabrica_sesiones, ajustes=app.state.ajustes, ahora=DIA + timedelta(30)
    )
    assert DIA.date() in resultado.dias_guardados
    respuesta = cliente.get("/api/metricas/", params=PERIODO, headers=cabeceras("admin"))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["dias_desde_fotos"] == 10
    _comprobar_todo(cuerpo, agentes)


# El último día (hasta las 12:00: le falta menos de medio día) sale de su foto menos el resto.
@pytest.mark.parametrize(("hora", "total", "dias_fotos"), [(10, 6, 10), (20, 5, 9)])
def test_periodo_con_dias_parciales_coincide_con_y_sin_fotos(
    app, cliente, cabeceras, agentes, hora, total, dias_fotos
):
    periodo = {
        "desde": (DIA + timedelta(hours=hora)).isoformat(),
        "hasta": (DIA + timedelta(days=9, hours=12)).isoformat(),
    }
    en_vivo = cliente.get("/api/metricas/", params=periodo, headers=cabeceras("supervisor"))
    programador.ejecutar(
        fabrica=app.state.fabrica_sesiones, ajustes=app.state.ajustes, ahora=DIA + timedelta(30)
    )
    con_fotos = cliente.get("/api/metricas/", params=periodo, headers=cabeceras("supervisor"))
    assert en_vivo.status_code == con_fotos.status_code == 200
    vivo, fotos = en_vivo.json(), con_fotos.json()
    assert vivo["total_llamadas"] == total
    # Si falta más de medio día, el primer día sale de su foto menos las horas anteriores.
    assert (vivo["dias_desde_fotos"], fotos["dias_desde_fotos"]) == (0, dias_fotos)
    vivo.pop("dias_desde_fotos"), fotos.pop("dias_desde_fotos")
    assert vivo == fotos


def test_cambio_en_un_dia_cerrado_invalida_su_foto_y_las_cifras_siguen_exactas(
    app, cliente, cabeceras, sesion_bd, agentes
):
    programador.ejecutar(
        fabrica=app.state.fabrica_sesiones, ajustes=app.state.ajustes, ahora=DIA + timedelta(30)
    )
    lista = cliente.get(
        "/api/llamadas/cliente/100", headers=cabeceras("supervisor"), params={"limit": 10}
    )
    segunda = lista.json()[0]["id"]  # la más reciente del cliente 100 (día 2)
    borrado = cliente.delete(f"/api/llamadas/{segunda}", headers=cabeceras("supervisor"))
    assert borrado.status_code == 204
    vigentes = dict(sesion_bd.execute(select(Metrica.fecha, Metrica.vigente)).all())
    # Su día y el de la llamada previa del mismo cliente (primer contacto) quedan invalidados.
    assert vigentes[DIA.date()] is False
    assert vigentes[(DIA + timedelta(days=2)).date()] is False
    assert vigentes[(DIA + timedelta(days=1)).date()] is True
    respuesta = cliente.get("/api/metricas/", params=PERIODO, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["dias_desde_fotos"] == 8
    assert cuerpo["total_llamadas"] == 6
    assert cuerpo["tasa_resolucion_primer_contacto"] == round(4 / 6, 4)
    assert cuerpo["tasa_escalamiento"] == 0.0
    assert cuerpo["por_categoria"]["soporte"] == 0


def test_periodo_de_dos_dias_va_por_horas(cliente, cabeceras, agentes):
    periodo = {"desde": DIA.isoformat(), "hasta": (DIA + timedelta(days=2)).isoformat()}
    respuesta = cliente.get("/api/metricas/", params=periodo, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["granularidad"] == "hora"
    assert len(cuerpo["serie"]) == 49
    con_llamadas = {
        p["inicio"][:13]: p["total_llamadas"] for p in cuerpo["serie"] if p["total_llamadas"]
    }
    assert con_llamadas == {
        "2025-03-10T09": 1,
        "2025-03-10T11": 1,
        "2025-03-11T08": 1,
        "2025-03-11T23": 1,
    }
    assert cuerpo["total_llamadas"] == 4


def test_agente_ve_solo_sus_cifras(cliente, cabeceras, agentes):
    respuesta = cliente.get("/api/metricas/", params=PERIODO, headers=cabeceras("agente"))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["usuario_id"] == agentes["A"]
    assert cuerpo["total_llamadas"] == 3
    assert [a["usuario_id"] for a in cuerpo["por_agente"]] == [agentes["A"]]


def test_supervisor_filtra_por_agente(cliente, cabeceras, agentes):
    params = {**PERIODO, "usuario_id": agentes["B"]}
    respuesta = cliente.get("/api/metricas/", params=params, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    assert respuesta.json()["total_llamadas"] == 4
    assert respuesta.json()["por_categoria"]["reclamo"] == 1


def test_agente_pidiendo_otro_agente_da_403(cliente, cabeceras, agentes):
    params = {"usuario_id": agentes["B"]}
    respuesta = cliente.get("/api/metricas/", params=params, headers=cabeceras("agente"))
    assert respuesta.status_code == 403
    assert "propias métricas" in respuesta.json()["detail"]


def test_metricas_sin_token_da_401(cliente):
    respuesta = cliente.get("/api/metricas/")
    assert respuesta.status_code == 401
    assert respuesta.headers["WWW-Authenticate"] == "Bearer"
    assert respuesta.json()["detail"]


def test_usuario_desconocido_da_404(cliente, cabeceras):
    respuesta = cliente.get(
        "/api/metricas/", params={"usuario_id": 999999}, headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "Usuario 999999 no encontrado"}


def test_desde_posterior_a_hasta_da_422(cliente, cabeceras):
    params = {"desde": "2025-03-10T00:00:00Z", "hasta": "2025-03-01T00:00:00Z"}
    respuesta = cliente.get("/api/metricas/", params=params, headers=cabeceras("supervisor"))
    assert respuesta.status_code == 422
    assert mensaje_422(respuesta).startswith("desde:")


def test_fecha_mal_formada_da_422(cliente, cabeceras):
    respuesta = cliente.get(
        "/api/metricas/", params={"desde": "ayer"}, headers=cabeceras("supervisor")
    )
    assert respuesta.status_code == 422
    assert "desde" in str(respuesta.json()["detail"])


def test_sin_llamadas_da_ceros_y_treinta_dias(cliente, cabeceras):
    respuesta = cliente.get("/api/metricas/", headers=cabeceras("supervisor"))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert cuerpo["total_llamadas"] == 0
    assert cuerpo["tasa_resolucion"] is None
    assert cuerpo["por_agente"] == []
    assert len(cuerpo["serie"]) == 31
