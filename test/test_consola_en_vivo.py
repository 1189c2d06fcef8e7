"""Consola en vivo en el navegador: el agente registra y ve su clasificación; el tablero abierto
de la supervisora muestra la llamada, la fila del agente y los cambios de estado en segundos."""

import time

from test.navegador import entrar

LIMITE_MS = 2000
NOTAS_RECLAMO = (
    "El cliente está muy enfadado: le cobraron dos veces la factura y exige la devolución ya, "
    "amenaza con darse de baja y poner una reclamación formal."
)


def _tablero_abierto(abrir_pagina):
    tablero = abrir_pagina(1920, 1080)
    entrar(tablero, "supervisor")
    tablero.wait_for_selector("#agentes tr[data-usuario]")
    tablero.wait_for_selector("#conexion[data-estado='en_vivo']")
    return tablero


def _registrar(agente, numero: str, notas: str) -> str:
    agente.fill("#llamada-numero", numero)
    agente.select_option("#llamada-tipo", "reclamo")
    agente.select_option("#llamada-resultado", "escalada")
    agente.fill("#llamada-duracion", "4:05")
    agente.fill("#llamada-espera", "12")
    agente.select_option("#llamada-csat", "2")
    agente.fill("#llamada-notas", notas)
    agente.click("#llamada-guardar")
    mensaje = agente.wait_for_selector("#llamada-mensajes .aviso.ok")
    return mensaje.inner_text().split("#")[1].split(" ")[0]


def test_el_agente_registra_una_llamada_y_ve_aparecer_clasificacion_y_consejo(abrir_pagina):
    agente = abrir_pagina()
    entrar(agente, "agente")
    agente.wait_for_selector("#conexion[data-estado='en_vivo']")
    inicio = time.monotonic()
    llamada_id = _registrar(agente, "+34 600 111 222", NOTAS_RECLAMO)
    agente.wait_for_selector(f"#ia-resultado[data-llamada='{llamada_id}']", timeout=LIMITE_MS)
    transcurrido = time.monotonic() - inicio
    assert agente.inner_text("#ia-categoria") == "Reclamo"
    assert agente.inner_text("#ia-confianza").endswith("%")
    assert agente.inner_text("#ia-sentimiento").strip().endswith("Negativo")
    assert len(agente.inner_text("#ia-consejo")) > 20
    assert transcurrido < 5
    # Su historial y sus cifras del día se ponen al día solos.
    agente.wait_for_selector(f"#historial tr[data-id='{llamada_id}']")
    agente.wait_for_selector("#mi-total .cifra-valor:text-is('1')")


def test_el_cliente_que_repite_muestra_sus_llamadas_anteriores(abrir_pagina):
    agente = abrir_pagina()
    entrar(agente, "agente")
    _registrar(agente, "600999888", "Pregunta por el estado de su pedido")
    agente.fill("#llamada-numero", "600999888")
    agente.wait_for_selector("#historial-cliente li")
    assert "Reclamo · Escalada" in agente.inner_text("#historial-cliente")


def test_el_tablero_abierto_muestra_la_llamada_nueva_en_menos_de_2_s(abrir_pagina):
    tablero = _tablero_abierto(abrir_pagina)
    fila_agente = "#agentes tr:has(td.agente-nombre:text-is('Agente Uno')) .agente-llamadas"
    assert tablero.inner_text(fila_agente) == "0"
    agente = abrir_pagina()
    entrar(agente, "agente")
    llamada_id = _registrar(agente, "+34 611 000 111", NOTAS_RECLAMO)
    tablero.wait_for_selector(f"#ultima-{llamada_id}", timeout=LIMITE_MS)
    assert "Agente Uno" in tablero.inner_text(f"#ultima-{llamada_id}")
    tablero.wait_for_selector(f"{fila_agente}:text-is('1')", timeout=LIMITE_MS)
    tablero.wait_for_selector("#kpi-llamadas .kpi-valor:text-is('1')", timeout=LIMITE_MS)
    tablero.wait_for_selector(f"#ultima-{llamada_id} .insignia.cat-reclamo", timeout=LIMITE_MS)


def test_un_cambio_de_estado_del_agente_se_ve_en_el_tablero(abrir_pagina):
    tablero = _tablero_abierto(abrir_pagina)
    agente = abrir_pagina()
    entrar(agente, "agente")
    agente.wait_for_selector("#estado-actual:has-text('Desconectado')")
    agente.click("#estado-pausa")
    agente.select_option("#estado-motivo", "Comida")
    agente.click("#estado-pausa-confirmar")
    agente.wait_for_selector("#estado-actual:has-text('En pausa')")
    fila = "#agentes tr:has(td.agente-nombre:text-is('Agente Uno'))"
    tablero.wait_for_selector(f"{fila} .est-pausa", timeout=LIMITE_MS)
    assert "Comida" in tablero.inner_text(fila)
    agente.click("#estado-disponible")
    tablero.wait_for_selector(f"{fila} .est-disponible", timeout=LIMITE_MS)
    tiempo = tablero.inner_text(f"{fila} .tiempo-estado")
    assert tiempo.startswith("0:0"), tiempo


def test_la_pausa_sin_motivo_no_se_envia(abrir_pagina, vigilancia):
    agente = abrir_pagina()
    entrar(agente, "agente")
    agente.click("#estado-pausa")
    agente.click("#estado-pausa-confirmar")
    agente.wait_for_selector("#tarjeta-estado .aviso.error:has-text('motivo')")
    assert not [p for p in vigilancia.peticiones if p.startswith("PUT ")]


def test_el_analizador_sse_junta_trozos_y_respeta_el_formato(abrir_pagina):
    pagina = abrir_pagina()
    pagina.goto("/panel/")
    resultado = pagina.evaluate(
        """async () => {
          const { AnalizadorSSE } = await import('/panel/js/eventos.js');
          const vistos = [];
          let reintento = null;
          const analizador = new AnalizadorSSE((e) => vistos.push(e), (ms) => { reintento = ms; });
          for (const trozo of [
            'retry: 2000\\r\\n\\r\\n: ping\\n\\nid: 7\\nevent: kp',
            'is\\ndata: {}\\n\\nid: 8\\nevent: llamada_creada\\ndata: {"a":\\ndata: 1}\\r',
            '\\r:comentario\\ndata:sin espacio\\n\\n',
          ]) analizador.empujar(trozo);
          return { vistos, reintento };
        }"""
    )
    assert resultado["reintento"] == 2000
    assert [(e["tipo"], e["datos"]) for e in resultado["vistos"]] == [
        ("kpis", "{}"),
        ("llamada_creada", '{"a":\n1}'),
        ("message", "sin espacio"),
    ]
    assert [e["id"] for e in resultado["vistos"][:2]] == ["7", "8"]


def _cortar_flujos(servidor) -> None:
    """Cierra desde el servidor los flujos SSE abiertos, como haría una red que se cae."""
    bus = servidor.app.state.bus

    def _cerrar() -> None:
        for suscripcion in list(bus._suscripciones):
            suscripcion.cerrar()

    bus._bucle.call_soon_threadsafe(_cerrar)


def test_tras_un_corte_el_tablero_reconecta_con_last_event_id_y_se_pone_al_dia(
    abrir_pagina, servidor
):
    tablero = _tablero_abierto(abrir_pagina)
    agente = abrir_pagina()
    entrar(agente, "agente")
    primera = _registrar(agente, "600123123", "Consulta sobre su tarifa")
    tablero.wait_for_selector(f"#ultima-{primera}", timeout=LIMITE_MS)
    with tablero.expect_request(lambda p: "/api/eventos" in p.url, timeout=10_000) as peticion:
        _cortar_flujos(servidor)
        tablero.wait_for_selector("#conexion[data-estado='reconectando']")
        segunda = _registrar(agente, "600123124", NOTAS_RECLAMO)
    assert int(peticion.value.headers["last-event-id"]) > 0
    tablero.wait_for_selector(f"#ultima-{segunda}", timeout=LIMITE_MS)
    tablero.wait_for_selector("#conexion[data-estado='en_vivo']")
