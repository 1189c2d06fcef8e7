"""Consola: el historial pagina con el cursor del Link (sin skip) y vuelve atrás sin repetir."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from modelos.enums import ResultadoLlamada, TipoLlamada
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from test.navegador import entrar

LLAMADAS = 25
POR_PAGINA = 10  # TAMANO_PAGINA de consola/estaticos/js/componentes/historial.js


def _sembrar_llamadas(servidor) -> list[int]:
    """LLAMADAS del agente, una por minuto; ids de la más reciente a la más antigua."""
    ahora = datetime.now(UTC)
    with servidor.app.state.fabrica_sesiones() as sesion:
        agente = sesion.scalar(select(Usuario).where(Usuario.email == "agente1@example.com"))
        llamadas = [
            Llamada(
                usuario_id=agente.id,
                numero_cliente=f"60011{n:04d}",
                duracion_segundos=60,
                tipo=TipoLlamada.venta,
                resultado=ResultadoLlamada.resuelta,
                fecha_hora=ahora - timedelta(minutes=n + 1),
            )
            for n in range(LLAMADAS)
        ]
        sesion.add_all(llamadas)
        sesion.commit()
        return [ll.id for ll in llamadas]


def _ids_visibles(pagina) -> list[int]:
    filas = pagina.locator("#tarjeta-historial tbody tr")
    return [int(i) for i in filas.evaluate_all("fs => fs.map(f => f.dataset.id)")]


def _pagina(pagina, texto: str) -> list[int]:
    pagina.wait_for_selector(f"#tarjeta-historial .pagina-texto:has-text('{texto}')")
    return _ids_visibles(pagina)


def test_el_historial_avanza_por_cursor_y_vuelve_atras(abrir_pagina, servidor, vigilancia):
    esperadas = _sembrar_llamadas(servidor)
    pagina = abrir_pagina()
    entrar(pagina, "agente")
    siguiente = pagina.locator("#tarjeta-historial button:has-text('Siguiente')")
    anterior = pagina.locator("#tarjeta-historial button:has-text('Anterior')")
    vistas = [_pagina(pagina, f"1–{POR_PAGINA} de {LLAMADAS}")]
    siguiente.click()
    vistas.append(_pagina(pagina, f"11–20 de {LLAMADAS}"))
    siguiente.click()
    vistas.append(_pagina(pagina, f"21–25 de {LLAMADAS}"))
    assert siguiente.is_disabled()
    assert [i for v in vistas for i in v] == esperadas
    anterior.click()
    assert _pagina(pagina, f"11–20 de {LLAMADAS}") == vistas[1]
    pedidas = [p for p in vigilancia.peticiones if re.search(r"/api/llamadas/\?", p)]
    assert any("cursor=" in p for p in pedidas)
    assert not any(re.search(r"[?&]skip=[1-9]", p) for p in pedidas)
