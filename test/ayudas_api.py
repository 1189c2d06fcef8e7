"""Ayudas de las pruebas HTTP: cuerpos válidos, altas rápidas y comprobaciones de errores."""

from typing import Any

from fastapi.testclient import TestClient

from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, MotorIA, Sentimiento
from servicios.semilla import PASSWORD_INICIAL

PASSWORD_NUEVA = PASSWORD_INICIAL


def datos_llamada(**cambios: Any) -> dict[str, Any]:
    """Cuerpo válido de una llamada, con los cambios indicados."""
    return {
        "numero_cliente": "600111222",
        "duracion_segundos": 180,
        "tipo": "soporte",
        "resultado": "resuelta",
        "descripcion": "El cliente no puede entrar en su cuenta",
        **cambios,
    }


def crear_llamada(cliente: TestClient, cabeceras: dict[str, str], **cambios: Any) -> dict:
    """Registra una llamada por la API y devuelve su JSON."""
    respuesta = cliente.post("/api/llamadas/", json=datos_llamada(**cambios), headers=cabeceras)
    assert respuesta.status_code == 201, respuesta.text
    return respuesta.json()


def datos_usuario(**cambios: Any) -> dict[str, Any]:
    """Cuerpo válido de un usuario nuevo, con los cambios indicados."""
    return {
        "nombre": "Lucía Pérez",
        "email": "lucia@example.com",
        "password": PASSWORD_NUEVA,
        "rol": "agente",
        **cambios,
    }


def crear_usuario(cliente: TestClient, cabeceras_admin: dict[str, str], **cambios: Any) -> dict:
    """Da de alta un usuario como admin y devuelve su JSON."""
    respuesta = cliente.post(
        "/api/usuarios/", json=datos_usuario(**cambios), headers=cabeceras_admin
    )
    assert respuesta.status_code == 201, respuesta.text
    return respuesta.json()


def bearer(token: str) -> dict[str, str]:
    """Cabecera Authorization con un token."""
    return {"Authorization": f"Bearer {token}"}


def id_usuario(cliente: TestClient, cabeceras: dict[str, str]) -> int:
    """Id del usuario dueño de las cabeceras, leído de /api/usuarios/me."""
    return cliente.get("/api/usuarios/me", headers=cabeceras).json()["id"]


def campos_con_error(respuesta) -> set[str]:
    """Campos nombrados en un 422 de validación."""
    assert respuesta.status_code == 422, respuesta.text
    detalle = respuesta.json()["detail"]
    assert isinstance(detalle, list), detalle
    for error in detalle:
        assert error["msg"].startswith(f"{error['campo']}: "), error
    return {error["campo"] for error in detalle}


def mensaje_422(respuesta) -> str:
    """Mensaje del único error de un 422 (validación o regla de negocio, con la misma forma)."""
    campos_con_error(respuesta)
    detalle = respuesta.json()["detail"]
    assert len(detalle) == 1, detalle
    return detalle[0]["msg"]


def sin_hash(valor: Any) -> bool:
    """True si ningún objeto anidado lleva password_hash ni un hash bcrypt."""
    if isinstance(valor, dict):
        return "password_hash" not in valor and all(sin_hash(v) for v in valor.values())
    if isinstance(valor, list):
        return all(sin_hash(v) for v in valor)
    return not (isinstance(valor, str) and valor.startswith("$2b$"))


def clasificar(sesion_bd, llamada_id: int, categoria: Categoria = Categoria.reclamo) -> None:
    """Guarda una clasificación de IA para la llamada, directamente en la base."""
    sesion_bd.add(
        ClasificacionIA(
            llamada_id=llamada_id,
            categoria=categoria,
            confianza=0.9,
            recomendacion_agente="Ofrecer una compensación y escalar",
            sentimiento=Sentimiento.negativo,
            resumen="Cliente molesto",
            motor=MotorIA.local,
            modelo="prueba",
            latencia_ms=1.0,
        )
    )
    sesion_bd.commit()
