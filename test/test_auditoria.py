"""Auditoría: qué queda registrado, que nada la cambia ni la borra y su consulta y exportación."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from crud import auditoria as crud_auditoria
from modelos import Auditoria, ClasificacionIA
from servicios import reportes as servicio_reportes
from servicios import usuarios as servicio_usuarios
from servicios.semilla import PASSWORD_INICIAL
from test.ayudas_api import clasificar, crear_llamada, crear_usuario, id_usuario
from test.conftest import EMAILS


def _filas(cliente, cabeceras, **filtros) -> list[dict]:
    respuesta = cliente.get("/api/auditoria/", params=filtros, headers=cabeceras("admin"))
    assert respuesta.status_code == 200, respuesta.text
    assert int(respuesta.headers["x-total-count"]) >= len(respuesta.json())
    return respuesta.json()


def _login(cliente, email: str, password: str, **cabeceras):
    return cliente.post(
        "/api/usuarios/login", json={"email": email, "password": password}, headers=cabeceras
    )


def test_login_correcto_fallido_y_bloqueado_con_correo_ip_e_id_de_peticion(cliente, cabeceras):
    agente_id = id_usuario(cliente, cabeceras("agente"))
    fallo = _login(cliente, EMAILS["agente"], "no-es-la-clave", **{"X-Request-ID": "login-malo"})
    assert fallo.status_code == 401
    assert _login(cliente, "nadie@example.com", "otra-clave").status_code == 401
    correcto = _login(cliente, EMAILS["agente"], PASSWORD_INICIAL)
    assert correcto.status_code == 200
    for _ in range(6):
        bloqueo = _login(cliente, "bloqueo@example.com", "x")
    assert bloqueo.status_code == 429

    fallidos = _filas(cliente, cabeceras, accion="login.fallido")
    por_id = {f["request_id"]: f for f in fallidos}
    malo = por_id["login-malo"]
    assert malo["usuario_id"] is None and malo["entidad_id"] == agente_id
    assert malo["detalle"] == {"email": EMAILS["agente"], "motivo": "contraseña incorrecta"}
    assert malo["ip"] == "testclient"
    desconocido = [f for f in fallidos if f["detalle"]["email"] == "nadie@example.com"]
    assert desconocido[0]["detalle"]["motivo"] == "correo desconocido"
    correctos = _filas(cliente, cabeceras, accion="login.correcto", usuario_id=agente_id)
    assert correcto.headers["x-request-id"] in {f["request_id"] for f in correctos}
    bloqueados = _filas(cliente, cabeceras, accion="login.bloqueado")
    assert [f["detalle"]["email"] for f in bloqueados] == ["bloqueo@example.com"]


def test_alta_cambio_de_rol_password_y_baja_de_usuario(cliente, cabeceras):
    admin = cabeceras("admin")
    admin_id = id_usuario(cliente, admin)
    usuario = crear_usuario(cliente, admin, email="marta@example.com")
    ruta = f"/api/usuarios/{usuario['id']}"
    assert cliente.patch(ruta, json={"rol": "supervisor"}, headers=admin).status_code == 200
    nueva = {"password": "otra-clave-segura-123"}
    assert cliente.patch(ruta, json=nueva, headers=admin).status_code == 200
    assert cliente.delete(ruta, headers=admin).status_code == 204

    filas = _filas(cliente, cabeceras, entidad="usuario", usuario_id=admin_id)
    acciones = [f["accion"] for f in filas if f["entidad_id"] == usuario["id"]]
    assert acciones == [
        "usuario.eliminado",
        "usuario.password_cambiada",
        "usuario.cambiado",
        "usuario.creado",
    ]
    por_accion = {f["accion"]: f for f in filas if f["entidad_id"] == usuario["id"]}
    assert por_accion["usuario.creado"]["detalle"]["email"] == "marta@example.com"
    rol = por_accion["usuario.cambiado"]["detalle"]["cambios"]["rol"]
    assert rol == {"antes": "agente", "despues": "supervisor"}
    cambio_clave = por_accion["usuario.password_cambiada"]["detalle"]
    assert cambio_clave == {"cambios": {}, "credenciales": "password cambiada"}


def test_desactivar_y_baja_con_historial_quedan_como_desactivacion(cliente, cabeceras):
    admin = cabeceras("admin")
    agente_id = id_usuario(cliente, cabeceras("agente"))
    crear_llamada(cliente, cabeceras("agente"))
    assert cliente.delete(f"/api/usuarios/{agente_id}", headers=admin).status_code == 204
    (fila,) = _filas(cliente, cabeceras, accion="usuario.desactivado")
    assert fila["entidad_id"] == agente_id
    assert fila["detalle"]["motivo"] == "baja de un usuario con historial"
    assert _login(cliente, EMAILS["agente"], PASSWORD_INICIAL).status_code == 401
    (intento,) = _filas(cliente, cabeceras, accion="login.fallido")
    assert intento["detalle"]["motivo"] == "usuario desactivado"
    ruta = f"/api/usuarios/{agente_id}"
    assert cliente.patch(ruta, json={"activo": True}, headers=admin).status_code == 200
    (fila,) = _filas(cliente, cabeceras, accion="usuario.reactivado")
    assert fila["detalle"]["cambios"]["activo"] == {"antes": False, "despues": True}


def test_cambio_y_borrado_de_llamada_con_valores_antes_y_despues(cliente, cabeceras):
    agente = cabeceras("agente")
    llamada = crear_llamada(cliente, agente, duracion_segundos=60)
    ruta = f"/api/llamadas/{llamada['id']}"
    cambio = {"duracion_segundos": 95, "descripcion": "Notas nuevas"}
    assert cliente.patch(ruta, json=cambio, headers=agente).status_code == 200
    assert cliente.delete(ruta, headers=cabeceras("supervisor")).status_code == 204

    (cambiada,) = _filas(cliente, cabeceras, accion="llamada.cambiada")
    assert cambiada["usuario_id"] == id_usuario(cliente, agente)
    assert cambiada["entidad_id"] == llamada["id"]
    cambios = cambiada["detalle"]["cambios"]
    assert cambios["duracion_segundos"] == {"antes": 60, "despues": 95}
    # Las notas no se copian: solo su longitud.
    assert cambios["descripcion"]["despues"] == f"{len('Notas nuevas')} caracteres"
    (borrada,) = _filas(cliente, cabeceras, accion="llamada.eliminada")
    assert borrada["usuario_id"] == id_usuario(cliente, cabeceras("supervisor"))
    assert borrada["detalle"]["numero_cliente"] == llamada["numero_cliente"]


def test_reporte_generado_y_cada_descarga(cliente, cabeceras):
    supervisor = cabeceras("supervisor")
    reporte = cliente.post("/api/reportes/", json={}, headers=supervisor).json()
    for formato in ("csv", "pdf"):
        ruta = f"/api/reportes/{reporte['id']}/descargar?formato={formato}"
        assert cliente.get(ruta, headers=supervisor).status_code == 200
    supervisor_id = id_usuario(cliente, supervisor)
    (generado,) = _filas(cliente, cabeceras, accion="reporte.generado")
    assert generado["usuario_id"] == supervisor_id
    assert generado["entidad_id"] == reporte["id"]
    assert generado["detalle"]["automatico"] is False
    descargas = _filas(cliente, cabeceras, accion="reporte.descargado")
    assert [d["detalle"]["formato"] for d in descargas] == ["pdf", "csv"]
    assert {d["usuario_id"] for d in descargas} == {supervisor_id}


def test_reporte_automatico_queda_sin_usuario(app, cliente, cabeceras, sesion_bd):
    reporte = servicio_reportes.generar_automatico(
        sesion=sesion_bd, tipo="diario", ahora=datetime.now(UTC), ajustes=app.state.ajustes
    )
    (fila,) = _filas(cliente, cabeceras, accion="reporte.generado")
    assert fila["usuario_id"] is None and fila["entidad_id"] == reporte.id
    assert fila["detalle"]["automatico"] is True


def test_correccion_de_clasificacion_queda_con_antes_y_despues(cliente, cabeceras, sesion_bd):
    llamada = crear_llamada(cliente, cabeceras("agente"), descripcion=None)
    clasificar(sesion_bd, llamada["id"])
    clasificacion = sesion_bd.scalars(select(ClasificacionIA)).one()
    antes = clasificacion.categoria.value
    despues = next(c for c in ("venta", "soporte", "reclamo") if c != antes)
    respuesta = cliente.patch(
        f"/api/clasificaciones-ia/{clasificacion.id}",
        json={"categoria": despues, "nota": "El cliente quería contratar"},
        headers=cabeceras("supervisor"),
    )
    assert respuesta.status_code == 200, respuesta.text
    (fila,) = _filas(cliente, cabeceras, accion="clasificacion.corregida")
    assert fila["detalle"]["cambios"]["categoria"] == {"antes": antes, "despues": despues}
    assert fila["detalle"]["llamada_id"] == llamada["id"]
    assert fila["usuario_id"] == id_usuario(cliente, cabeceras("supervisor"))


def test_un_cambio_que_se_deshace_no_deja_fila(cliente, cabeceras, monkeypatch):
    admin = cabeceras("admin")
    usuario = crear_usuario(cliente, admin)
    # Sin la comprobación previa, la restricción única salta en el commit y todo se deshace.
    monkeypatch.setattr(servicio_usuarios, "_email_libre", lambda *a, **k: None)
    respuesta = cliente.patch(
        f"/api/usuarios/{usuario['id']}", json={"email": EMAILS["supervisor"]}, headers=admin
    )
    assert respuesta.status_code == 409
    assert _filas(cliente, cabeceras, accion="usuario.cambiado") == []


def test_la_base_impide_cambiar_o_borrar_filas(cliente, cabeceras, motor_bd):
    _login(cliente, "nadie@example.com", "x")
    ordenes = ["UPDATE auditoria SET accion = 'nada'", "DELETE FROM auditoria"]
    if motor_bd.dialect.name == "postgresql":
        ordenes.append("TRUNCATE auditoria")
    for orden in ordenes:
        with pytest.raises(DBAPIError, match="solo se añaden filas"), motor_bd.begin() as c:
            c.execute(text(orden))
    # Ni con el permiso de purga se reescribe una fila.
    with pytest.raises(DBAPIError, match="solo se añaden filas"):
        with motor_bd.begin() as conexion, crud_auditoria.permiso_de_purga(conexion):
            conexion.execute(text("UPDATE auditoria SET accion = 'nada'"))
    # El permiso no sobrevive a su transacción.
    with pytest.raises(DBAPIError, match="solo se añaden filas"), motor_bd.begin() as c:
        c.execute(text("DELETE FROM auditoria"))
    assert [f["accion"] for f in _filas(cliente, cabeceras, accion="login.fallido")] == [
        "login.fallido"
    ]


def test_la_purga_de_retencion_borra_solo_lo_anterior(cliente, cabeceras, sesion_bd):
    _login(cliente, "nadie@example.com", "x")
    hace_un_anno = datetime.now(UTC) - timedelta(days=365)
    crud_auditoria.crear(
        sesion=sesion_bd,
        datos={"accion": "prueba.vieja", "entidad": "sistema", "fecha": hace_un_anno},
    )
    sesion_bd.commit()
    borradas = crud_auditoria.purgar_anteriores(
        sesion=sesion_bd, antes_de=hace_un_anno + timedelta(days=1)
    )
    sesion_bd.commit()
    assert borradas == 1
    acciones = set(sesion_bd.scalars(select(Auditoria.accion)))
    assert "prueba.vieja" not in acciones and "login.fallido" in acciones


def test_ninguna_api_cambia_ni_borra_la_auditoria(cliente, cabeceras):
    admin = cabeceras("admin")
    total = len(_filas(cliente, cabeceras))
    for metodo in ("POST", "PUT", "PATCH", "DELETE"):
        assert cliente.request(metodo, "/api/auditoria/", headers=admin).status_code == 405
        assert cliente.request(metodo, "/api/auditoria/1", headers=admin).status_code == 404
    assert len(_filas(cliente, cabeceras)) == total
