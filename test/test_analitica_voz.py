"""Analítica de voz y redacción, módulos puros: lo esperado se calcula desde los segmentos y
los documentos construidos en cada prueba (con sus dígitos de control calculados aquí)."""

import pytest

from grabaciones import analitica
from grabaciones.redaccion import LETRAS_DNI, redactar


def seg(inicio: float, fin: float, hablante: str, texto: str = "hola") -> dict:
    return {"inicio": inicio, "fin": fin, "hablante": hablante, "texto": texto}


def test_habla_silencio_solape_e_interrupciones():
    segmentos = [
        seg(1.0, 4.0, "agente", "uno dos tres cuatro cinco seis"),
        seg(3.0, 6.0, "cliente", "a b c"),  # empieza con el agente hablando: interrupción
        seg(5.5, 7.0, "agente", "siete ocho"),  # interrumpe al cliente
        seg(10.0, 12.0, "cliente", "fin"),
    ]
    duracion = 14.0
    resultado = analitica.calcular(segmentos, duracion)
    agente = (4.0 - 1.0) + (7.0 - 5.5)
    cliente = (6.0 - 3.0) + (12.0 - 10.0)
    solape = (4.0 - 3.0) + (6.0 - 5.5)
    habla = (7.0 - 1.0) + (12.0 - 10.0)
    assert resultado["hablantes"]["agente"]["tiempo_habla"] == pytest.approx(agente)
    assert resultado["hablantes"]["cliente"]["tiempo_habla"] == pytest.approx(cliente)
    assert resultado["tiempo_habla"] == pytest.approx(habla)
    assert resultado["solape"] == pytest.approx(solape)
    assert resultado["silencio"] == pytest.approx(duracion - habla)
    assert resultado["cuota_silencio"] == pytest.approx((duracion - habla) / duracion, abs=1e-4)
    assert resultado["interrupciones"] == 2
    assert resultado["hablantes"]["cliente"]["interrupciones"] == 1
    assert resultado["silencio_mas_largo"] == {"inicio": 7.0, "fin": 10.0, "segundos": 3.0}
    ppm = resultado["hablantes"]["agente"]["palabras_por_minuto"]
    assert ppm == pytest.approx(8 / (agente / 60), abs=0.1)


def test_el_monologo_une_turnos_seguidos_con_pausas_cortas():
    pausa = analitica.PAUSA_MONOLOGO
    segmentos = [
        seg(0.0, 2.0, "agente"),
        seg(2.0 + pausa - 0.1, 6.0, "agente"),  # pausa corta: sigue el monólogo
        seg(6.0 + pausa + 0.5, 7.0 + pausa + 0.5, "agente"),  # pausa larga: otro
        seg(20.0, 24.0, "cliente"),
    ]
    monologo = analitica.calcular(segmentos, 30.0)["monologo_mas_largo"]
    assert monologo == {"hablante": "agente", "inicio": 0.0, "fin": 6.0, "segundos": 6.0}


def test_sin_segmentos_todo_es_silencio():
    resultado = analitica.calcular([], 5.0)
    assert (resultado["silencio"], resultado["cuota_silencio"]) == (5.0, 1.0)
    assert resultado["hablantes"] == {} and resultado["monologo_mas_largo"] is None
    assert resultado["silencio_mas_largo"]["segundos"] == 5.0


def _luhn(base: str) -> str:
    for control in "0123456789":
        cifras = [int(c) for c in base + control][::-1]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(cifras)
        )
        if total % 10 == 0:
            return base + control
    raise AssertionError


def _iban(pais: str, cuenta: str) -> str:
    numero = int("".join(str(int(c, 36)) for c in cuenta + pais + "00"))
    return f"{pais}{98 - numero % 97:02d}{cuenta}"


def _rut(cuerpo: int) -> str:
    suma = sum(int(c) * (2 + i % 6) for i, c in enumerate(reversed(str(cuerpo))))
    dv = {11: "0", 10: "K"}.get(11 - suma % 11, str(11 - suma % 11))
    return f"{cuerpo:,}".replace(",", ".") + f"-{dv}"


def _cuit(base: str) -> str:
    suma = sum(int(c) * p for c, p in zip(base, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    dv = {11: "0", 10: "9"}.get(11 - suma % 11, str(11 - suma % 11))
    return f"{base[:2]}-{base[2:]}-{dv}"


def _curp(base: str) -> str:
    valores = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
    suma = sum(valores.index(c) * (18 - i) for i, c in enumerate(base))
    return base + str((10 - suma % 10) % 10)


def test_cada_dato_personal_se_cambia_por_su_etiqueta():
    tarjeta = _luhn("453201511283036")
    casos = {
        f"mi tarjeta es {tarjeta[:4]} {tarjeta[4:8]} {tarjeta[8:12]} {tarjeta[12:]}": "[TARJETA]",
        f"la cuenta {_iban('ES', '21000418450200051332')} gracias": "[IBAN]",
        f"DNI {12345678}{LETRAS_DNI[12345678 % 23]}": "[DNI]",
        f"NIE Y{1234567}{LETRAS_DNI[11234567 % 23]}": "[DNI]",
        f"su CURP es {_curp('GODE561231HDFRRN0')}": "[CURP]",
        "RFC GODE561231GR8 de la empresa": "[RFC]",
        "mi cédula de ciudadanía es 1.020.304.050": "[CEDULA]",
        f"el RUT {_rut(12345678)} está a mi nombre": "[RUT]",
        f"CUIT {_cuit('2012345678')}": "[CUIT]",
        "mi DNI es 23.456.789, de Rosario": "[DNI]",
        "escríbeme a ana.perez+fac@example.co": "[EMAIL]",
        "llámame al +34 612 345 678": "[TELEFONO]",
    }
    for texto, etiqueta in casos.items():
        redactado = redactar(texto)
        assert etiqueta in redactado, (texto, redactado)
        assert not any(c.isdigit() for c in redactado.replace("GR8", "")), (texto, redactado)


def test_lo_que_no_cuadra_con_su_control_no_es_un_documento():
    tarjeta = _luhn("453201511283036")
    mala = tarjeta[:-1] + str((int(tarjeta[-1]) + 1) % 10)
    assert "[TARJETA]" not in redactar(f"número {mala}")
    # Con la letra que no toca no es un DNI (las cifras, de sobra, caen como teléfono).
    assert "[DNI]" not in redactar(f"DNI {12345678}{LETRAS_DNI[(12345678 + 1) % 23]}")
    for texto in ("tengo 3 hijos y 45 años", "el pedido 2024 llegó el 12 de marzo"):
        assert redactar(texto) == texto
