"""Lecturas con el cursor del controlador (crud/ejecucion_directa.py): las mismas filas que con
SQLAlchemy en cada forma de página (filtros con enumerados, fechas, EXISTS, cursor, total
acotado) y en la vigencia del token, en los dos motores; y un error del controlador sale como
el de SQLAlchemy, con el original dentro."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, column, exists, select, table
from sqlalchemy.exc import DBAPIError

from crud import ejecucion_directa
from crud import usuario as crud_usuario
from crud.paginacion import PedidoPagina, columna_cruda, paginar, preparar
from modelos.clasificacion_ia import ClasificacionIA
from modelos.enums import Categoria, ResultadoLlamada, Rol, TipoLlamada
from modelos.llamada import Llamada
from modelos.usuario import Usuario
from test.ayudas_api import clasificar, crear_llamada, crear_usuario, id_usuario

COLUMNAS = ("id", "usuario_id", "numero_cliente", "tipo", "resultado", "fecha_hora")


def _sentencias(filtros: tuple[str, ...], *, con_categoria: bool, con_cursor: bool):
    tabla = Llamada.__table__
    consulta = select(*(columna_cruda(tabla.c[nombre]) for nombre in COLUMNAS))
    for nombre in filtros:
        valor = bindparam(nombre)
        if nombre == "desde":
            consulta = consulta.where(Llamada.fecha_hora >= valor)
        else:
            consulta = consulta.where(getattr(Llamada, nombre) == valor)
    if con_categoria:
        consulta = consulta.where(
            exists().where(
                ClasificacionIA.llamada_id == Llamada.id,
                ClasificacionIA.categoria == bindparam("categoria"),
            )
        )
    preparadas = preparar(consulta, orden=(Llamada.fecha_hora, Llamada.id), con_cursor=con_cursor)
    return preparadas.pagina_y_total, preparadas.acotado


@pytest.fixture
def llamadas(cliente, cabeceras, sesion_bd):
    """Llamadas de dos agentes con tipos y resultados distintos; la primera, clasificada."""
    crear_usuario(cliente, cabeceras("admin"), email="lucia@example.com")
    agente, otro = cabeceras("agente"), cabeceras("lucia@example.com")
    creadas = [
        crear_llamada(cliente, agente, tipo="venta", resultado="resuelta"),
        crear_llamada(cliente, agente, tipo="venta", resultado="escalada"),
        crear_llamada(cliente, otro, tipo="soporte", resultado="resuelta"),
        crear_llamada(cliente, agente, tipo="reclamo", resultado="pendiente"),
    ]
    clasificar(sesion_bd, creadas[0]["id"], Categoria.venta)
    return {"creadas": creadas, "agente": id_usuario(cliente, agente)}


@pytest.mark.usefixtures("sin_clasificacion_automatica")
def test_las_filas_son_las_de_sqlalchemy_en_cada_forma_de_pagina(llamadas, motor_bd):
    hace_un_dia = datetime.now(UTC) - timedelta(days=1)
    formas = [
        ((), False, {}),
        (("tipo", "resultado"), False, {"tipo": TipoLlamada.venta, "resultado": "resuelta"}),
        (("usuario_id",), False, {"usuario_id": llamadas["agente"]}),
        (("desde",), False, {"desde": hace_un_dia}),
        (("resultado",), True, {"resultado": ResultadoLlamada.resuelta, "categoria": "venta"}),
    ]
    comparadas = 0
    with motor_bd.connect() as conexion:
        for filtros, con_categoria, valores in formas:
            for con_cursor in (False, True):
                pagina, acotado = _sentencias(
                    filtros, con_categoria=con_categoria, con_cursor=con_cursor
                )
                parametros = {**valores, "salto": 0, "limite": 3, "tope": 3}
                if con_cursor:  # tras la llamada más reciente: deja fuera al menos esa
                    ultima = llamadas["creadas"][-1]["id"]
                    fecha = conexion.scalar(select(Llamada.fecha_hora).where(Llamada.id == ultima))
                    parametros |= {"tras_0": fecha, "tras_1": ultima}
                directas = ejecucion_directa.leer(conexion, pagina, parametros)
                esperadas = [tuple(f) for f in conexion.execute(pagina, parametros)]
                assert directas == esperadas, (filtros, con_cursor)
                assert all(isinstance(fila, tuple) for fila in directas)
                total = ejecucion_directa.leer(conexion, acotado, parametros)
                assert total == [(conexion.scalar(acotado, parametros),)]
                comparadas += len(esperadas)
    # Las formas devuelven filas de verdad (si no, la comparación no diría nada).
    assert comparadas >= 10


def test_la_vigencia_del_token_se_lee_igual(cliente, cabeceras, sesion_bd, motor_bd):
    supervisor = id_usuario(cliente, cabeceras("supervisor"))
    usuario = sesion_bd.get(Usuario, supervisor)
    with motor_bd.connect() as conexion:
        fila = crud_usuario.acceso(conexion=conexion, usuario_id=supervisor)
        assert fila is not None
        assert (fila[0], Rol(fila[1]), bool(fila[2]), fila[3]) == (
            supervisor,
            Rol.supervisor,
            True,
            usuario.sello,
        )
        assert crud_usuario.acceso(conexion=conexion, usuario_id=987_654) is None
    usuario.activo = False
    sesion_bd.commit()
    with motor_bd.connect() as conexion:
        fila = crud_usuario.acceso(conexion=conexion, usuario_id=supervisor)
        assert fila is not None and not fila[2]


def test_una_columna_que_se_convierte_al_leer_va_por_sqlalchemy(cabeceras, motor_bd):
    cabeceras("supervisor")  # la base sembrada de la prueba
    sentencia = select(Usuario.rol).where(Usuario.email == bindparam("email"))
    assert ejecucion_directa.compilar(sentencia, motor_bd.dialect) is None
    with motor_bd.connect() as conexion:
        filas = ejecucion_directa.leer(conexion, sentencia, {"email": "sup@example.com"})
    assert filas == [(Rol.supervisor,)]
    assert isinstance(filas[0][0], Rol)


def test_un_error_del_controlador_sale_como_el_de_sqlalchemy(cabeceras, motor_bd):
    cabeceras("supervisor")
    sentencia = select(column("x")).select_from(table("tabla_que_no_existe"))
    sentencia = sentencia.where(column("x") == bindparam("x"))
    with motor_bd.connect() as conexion:
        with pytest.raises(DBAPIError) as error:
            ejecucion_directa.leer(conexion, sentencia, {"x": 1})
    assert isinstance(error.value.orig, motor_bd.dialect.loaded_dbapi.Error)
    assert "tabla_que_no_existe" in str(error.value)
    assert not error.value.connection_invalidated


def test_las_sentencias_de_un_solo_uso_van_por_sqlalchemy(cabeceras, motor_bd):
    """`paginar` prepara sus sentencias en cada llamada: compilarlas para el controlador (una
    vez por sentencia) no ahorraría nada y llenaría la caché de compiladas."""
    cabeceras("supervisor")
    antes = ejecucion_directa.compilar.cache_info().currsize
    consulta = select(Usuario.id, Usuario.email)
    with motor_bd.connect() as conexion:
        for _ in range(3):
            pagina = paginar(conexion, consulta, orden=(Usuario.id,), pedido=PedidoPagina(limit=2))
            assert len(pagina.filas) == 2
    assert ejecucion_directa.compilar.cache_info().currsize == antes
