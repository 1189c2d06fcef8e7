"""Pruebas del clasificador offline: acierto en la partición reservada, robustez y consejos."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from servicios.clasificador.artefacto import obtener_modelo
from servicios.clasificador.huella import huella_modelo
from servicios.clasificador.local import clasificar_local, probabilidades_local
from servicios.clasificador.recomendaciones import LIMITE, detectar_temas, recomendar
from servicios.clasificador.sentimiento import analizar_sentimiento

RAIZ = Path(__file__).resolve().parents[1]
CORPUS = RAIZ / "data" / "corpus"


def _leer(nombre: str) -> list[dict[str, str]]:
    """Filas JSONL del corpus."""
    with (CORPUS / nombre).open(encoding="utf-8") as f:
        return [json.loads(linea) for linea in f if linea.strip()]


def test_corpus_equilibrado_y_sin_solapamiento():
    entrenamiento, evaluacion = _leer("entrenamiento.jsonl"), _leer("evaluacion.jsonl")
    assert len(entrenamiento) + len(evaluacion) >= 900
    assert 0.18 <= len(evaluacion) / (len(entrenamiento) + len(evaluacion)) <= 0.3
    for filas in (entrenamiento, evaluacion):
        cuentas = [sum(f["categoria"] == c for f in filas) for c in ("venta", "soporte", "reclamo")]
        assert max(cuentas) - min(cuentas) <= 0.1 * len(filas)
    plantillas_ent = {f["fuente"] for f in entrenamiento if f["fuente"].startswith("plantilla")}
    plantillas_eval = {f["fuente"] for f in evaluacion if f["fuente"].startswith("plantilla")}
    assert plantillas_eval and not plantillas_ent & plantillas_eval
    assert not {f["texto"] for f in entrenamiento} & {f["texto"] for f in evaluacion}


def test_acierto_en_evaluacion_reservada_supera_el_suelo():
    filas = _leer("evaluacion.jsonl")
    aciertos = {c: [0, 0] for c in ("venta", "soporte", "reclamo")}
    for fila in filas:
        resultado = clasificar_local(fila["texto"])
        aciertos[fila["categoria"]][0] += resultado.categoria == fila["categoria"]
        aciertos[fila["categoria"]][1] += 1
    total = sum(a for a, _ in aciertos.values()) / len(filas)
    assert total >= 0.90
    for categoria, (buenos, todos) in aciertos.items():
        assert buenos / todos >= 0.85, categoria


def test_artefacto_al_dia_con_el_corpus_de_entrenamiento():
    meta = obtener_modelo().meta
    assert meta["huella"] == huella_modelo()
    assert meta["evaluacion"]["categoria"]["acierto"] >= 0.90


@pytest.mark.parametrize(
    ("texto", "esperada"),
    [
        ("kiero cancelar el servisio ya", "reclamo"),
        ("no me funsiona el internet desde ayer", "soporte"),
        ("che, no me anda el wifi", "soporte"),
        ("está bien chido el plan? lo quiero contratar", "venta"),
        ("vale, tío, me quedo con la fibra de 600 megas", "venta"),
        ("no quiero comprar, quiero cancelar", "reclamo"),
        ("no es una queja, solo quiero saber cómo configurar el correo", "soporte"),
        ("me cobraron dos veces la factura, exijo la devolucion", "reclamo"),
        ("cuanto cuesta el seguro de hogar? me interesa contratarlo", "venta"),
        ("olvide mi contrasena de la app del banco", "soporte"),
    ],
)
def test_robusto_a_erratas_negacion_y_variantes_regionales(texto, esperada):
    resultado = clasificar_local(texto)
    assert resultado.categoria == esperada
    assert resultado.motor == "local"
    assert 0.34 < resultado.confianza <= 0.99


def test_transcripcion_larga_con_turnos():
    texto = (
        "Agente: Buenas tardes, gracias por llamar, ¿en qué le ayudo? Cliente: Hola, mire, llevo "
        "dos semanas esperando un pedido que pagué y no llega. Agente: ¿Me da el número de pedido? "
        "Cliente: Sí, el 55123. Agente: Veo un retraso en el almacén. Cliente: Pues es la tercera "
        "vez que llamo, quiero que me devuelvan el dinero ya."
    )
    resultado = clasificar_local(texto)
    assert resultado.categoria == "reclamo"
    assert resultado.sentimiento == "negativo"
    assert (
        "reembolso" in resultado.recomendacion_agente or "envío" in resultado.recomendacion_agente
    )


@pytest.mark.parametrize("texto", ["", "   ", "\n\t"])
def test_texto_vacio_no_falla_y_pide_detalles(texto):
    resultado = clasificar_local(texto)
    assert resultado.categoria == "soporte"
    assert resultado.confianza < 0.5
    assert "motivo" in resultado.recomendacion_agente
    assert sum(probabilidades_local(texto).values()) == pytest.approx(1.0)


def test_probabilidades_suman_uno_y_cubren_las_tres_categorias():
    probs = probabilidades_local("quiero contratar fibra")
    assert set(probs) == {"venta", "soporte", "reclamo"}
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=probs.get) == "venta"


def test_recomendaciones_cambian_con_el_contenido():
    duplicado = recomendar("me cobraron dos veces la factura", "reclamo", "negativo")
    baja = recomendar("quiero darme de baja, me voy a la competencia", "reclamo", "neutral")
    fibra = recomendar("no tengo internet, la fibra no funciona", "soporte", "neutral")
    assert "duplicado" in duplicado and "molestia" in duplicado
    assert "retención" in baja and "baja" in baja
    assert "visita técnica" in fibra
    assert len({duplicado, baja, fibra}) == 3
    for consejo in (duplicado, baja, fibra):
        assert 0 < len(consejo) <= LIMITE


def test_detecta_temas_de_varios_dominios():
    assert "seguro" in detectar_temas("quiero declarar un siniestro de mi póliza")
    assert "entrega" in detectar_temas("el paquete no llegó")
    assert "acceso" in detectar_temas("olvidé mi contraseña")
    assert "reembolso" in detectar_temas("quiero el reembolso")


def test_escalado_cuando_el_cliente_insiste():
    consejo = recomendar("es la tercera vez que llamo por el cobro", "reclamo", "negativo")
    assert "supervisor" in consejo


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("muchas gracias, todo perfecto, excelente atención", "positivo"),
        ("es una vergüenza, estoy harto de este pésimo servicio", "negativo"),
        ("quisiera saber el horario de la sucursal", "neutral"),
        ("hola", "neutral"),
    ],
)
def test_sentimiento(texto, esperado):
    assert analizar_sentimiento(texto) == esperado


def test_inferencia_no_importa_sklearn():
    codigo = (
        "import sys; from servicios.clasificador.local import clasificar_local; "
        "clasificar_local('quiero contratar fibra'); "
        "assert not any(m.startswith(('sklearn', 'scipy')) for m in sys.modules)"
    )
    salida = subprocess.run([sys.executable, "-c", codigo], cwd=RAIZ, capture_output=True)
    assert salida.returncode == 0, salida.stderr.decode()


@pytest.mark.parametrize("palabra", ["nunca", "jamás", "tampoco", "sin", "no"])
def test_negadores_coinciden_con_los_tokens_plegados(palabra):
    from servicios.clasificador.rasgos import NEGADORES, marcar_negacion, tokenizar
    from servicios.clasificador.sentimiento import NEGADORES as NEGADORES_SENTIMIENTO

    (token,) = tokenizar(palabra)
    assert token in NEGADORES and token in NEGADORES_SENTIMIENTO
    assert marcar_negacion(tokenizar(f"{palabra} funciona"))[-1].startswith("NEG_")


def test_que_corta_la_negacion_y_sentimiento_negado():
    from servicios.clasificador.rasgos import marcar_negacion, tokenizar

    assert marcar_negacion(tokenizar("no creo que funcione")) == [
        "no",
        "NEG_kreo",
        "ke",
        "funsione",
    ]
    assert analizar_sentimiento("nunca estuve contento con ustedes") != "positivo"


def test_huella_cambia_con_el_codigo_de_rasgos(monkeypatch, tmp_path):
    from servicios.clasificador import huella

    for nombre in huella.FICHEROS:
        destino = tmp_path / nombre
        destino.parent.mkdir(parents=True, exist_ok=True)
        origen = RAIZ / nombre
        destino.write_bytes(origen.read_bytes() if origen.exists() else b"")
    monkeypatch.setattr(huella, "RAIZ", tmp_path)
    antes = huella.huella_modelo()
    assert antes == huella_modelo()
    rasgos = tmp_path / "servicios/clasificador/rasgos.py"
    rasgos.write_text(rasgos.read_text(encoding="utf-8") + "\n# cambio\n", encoding="utf-8")
    assert huella.huella_modelo() != antes
