"""Motor local (SQLite por defecto): cola en la tabla `trabajos`, con arriendo y latido.

Cada proceso toma trabajos con un UPDATE atómico que los pasa a `procesando` con un
arriendo; un hilo de latido lo renueva mientras el trabajo corre. Si el proceso muere
(kill -9), el arriendo caduca y otro proceso retoma el trabajo. Los trabajos con la
misma clave nunca corren a la vez.
"""

import logging
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, event, exists, or_, select, update
from sqlalchemy.dialects.sqlite import insert as insert_sqlite
from sqlalchemy.orm import Session, aliased

from config import Ajustes
from database import crear_fabrica
from modelos.base import ahora_utc
from modelos.trabajo import Trabajo, TrabajoError
from trabajos.avisos import registrar_fallo
from trabajos.registro import Contexto, EstadoTrabajo, ejecutar, espera_reintento

registro = logging.getLogger("callcenter.trabajos")

# Despierta a los hilos de este proceso en cuanto se confirma un trabajo nuevo.
_aviso = threading.Event()


def _avisar(_sesion: Session) -> None:
    _aviso.set()


def encolar(
    *, sesion: Session, tipo: str, carga: dict[str, Any], clave_unica: str | None
) -> int | None:
    """Inserta el trabajo en la transacción de la sesión; None si ya había uno pendiente."""
    ahora = ahora_utc()
    valores = {
        "tipo": tipo,
        "carga": carga,
        "estado": EstadoTrabajo.pendiente.value,
        "clave_unica": clave_unica,
        "intentos": 0,
        "disponible_en": ahora,
        "creado_en": ahora,
        "actualizado_en": ahora,
    }
    # Sin savepoint (en SQLite, un SAVEPOINT que abre la transacción se confirma al soltarlo):
    # si ya hay uno sin empezar con esa clave, el índice único descarta la fila y ese trabajo,
    # que aún no leyó nada, verá los datos más recientes.
    consulta = insert_sqlite(Trabajo).values(**valores).on_conflict_do_nothing()
    trabajo_id = sesion.scalar(consulta.returning(Trabajo.id))
    if trabajo_id is None:
        return None
    event.listen(sesion, "after_commit", _avisar, once=True)
    return trabajo_id


def _consulta_tomar(yo: str, arriendo: float):
    ahora = ahora_utc()
    candidato = aliased(Trabajo)
    otro = aliased(Trabajo)
    ocupada = exists().where(
        otro.clave_unica == candidato.clave_unica,
        otro.id != candidato.id,
        otro.estado == EstadoTrabajo.procesando.value,
        otro.arrendado_hasta >= ahora,
    )
    elegido = (
        select(candidato.id)
        .where(
            or_(
                and_(
                    candidato.estado == EstadoTrabajo.pendiente.value,
                    candidato.disponible_en <= ahora,
                ),
                and_(
                    candidato.estado == EstadoTrabajo.procesando.value,
                    candidato.arrendado_hasta < ahora,
                ),
            ),
            or_(candidato.clave_unica.is_(None), ~ocupada),
        )
        .order_by(candidato.id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        update(Trabajo)
        .where(Trabajo.id == elegido)
        .values(
            estado=EstadoTrabajo.procesando.value,
            intentos=Trabajo.intentos + 1,
            trabajador=yo,
            arrendado_hasta=ahora + timedelta(seconds=arriendo),
            actualizado_en=ahora,
        )
        .returning(Trabajo.id, Trabajo.tipo, Trabajo.carga, Trabajo.intentos)
    )


class TrabajadorLocal:
    """Hilos propios (acotados) que ejecutan trabajos con su propio motor de base de datos."""

    def __init__(
        self,
        *,
        motor,
        ajustes: Callable[[], Ajustes],
        hilos: int,
        nombre: str,
        bus: object | None = None,
    ):
        self.fabrica = crear_fabrica(motor, bus=bus)
        self.ajustes = ajustes
        self.nombre = nombre
        self._parar = threading.Event()
        self._en_curso: set[int] = set()
        self._cerrojo = threading.Lock()
        self._hilos = [
            threading.Thread(target=self._bucle, name=f"trabajos-{i}", daemon=True)
            for i in range(hilos)
        ]
        self._hilos.append(
            threading.Thread(target=self._latir, name="trabajos-latido", daemon=True)
        )

    def iniciar(self) -> None:
        for hilo in self._hilos:
            hilo.start()

    def detener(self, espera: float = 30.0) -> None:
        """Deja de tomar trabajos y espera a que terminen los que corren."""
        self._parar.set()
        _aviso.set()
        for hilo in self._hilos:
            hilo.join(timeout=espera)
        self.fabrica.kw["bind"].dispose()

    def _bucle(self) -> None:
        while not self._parar.is_set():
            try:
                hecho = self.ejecutar_uno()
            except Exception as error:
                registrar_fallo(registro, "Falló la toma de trabajos; se reintentará", error)
                hecho = False
            if not hecho and _aviso.wait(self.ajustes().trabajos_sondeo_segundos):
                _aviso.clear()

    def ejecutar_uno(self) -> bool:
        """Toma y ejecuta un trabajo disponible; False si no había ninguno."""
        ajustes = self.ajustes()
        with self.fabrica() as sesion:
            fila = sesion.execute(
                _consulta_tomar(self.nombre, ajustes.trabajos_arriendo_segundos)
            ).first()
            sesion.commit()
        if fila is None:
            return False
        trabajo_id, tipo, carga, intento = fila
        with self._cerrojo:
            self._en_curso.add(trabajo_id)
        try:
            contexto = Contexto(
                fabrica=self.fabrica, ajustes=ajustes, trabajo_id=trabajo_id, intento=intento
            )
            ejecutar(tipo, carga, contexto)
        except Exception:
            self._fallar(trabajo_id, intento, traceback.format_exc(limit=5), ajustes)
        else:
            self._cerrar(trabajo_id, intento, {"estado": EstadoTrabajo.lista.value})
        finally:
            with self._cerrojo:
                self._en_curso.discard(trabajo_id)
        return True

    def _cerrar(
        self, trabajo_id: int, intento: int, valores: dict[str, Any], error: str | None = None
    ) -> None:
        """Cambia el estado (y anota el error) solo si el trabajo sigue siendo nuestro."""
        with self.fabrica() as sesion:
            resultado = sesion.execute(
                update(Trabajo)
                .where(
                    Trabajo.id == trabajo_id,
                    Trabajo.trabajador == self.nombre,
                    Trabajo.intentos == intento,
                    Trabajo.estado == EstadoTrabajo.procesando.value,
                )
                .values(arrendado_hasta=None, actualizado_en=ahora_utc(), **valores)
            )
            if resultado.rowcount != 1:
                sesion.rollback()
                registro.warning("El trabajo %s ya no era de este proceso al cerrarlo", trabajo_id)
                return
            if error is not None:
                sesion.add(TrabajoError(trabajo_id=trabajo_id, intento=intento, error=error))
            sesion.commit()

    def _fallar(self, trabajo_id: int, intento: int, error: str, ajustes: Ajustes) -> None:
        if intento >= ajustes.trabajos_intentos:
            valores = {"estado": EstadoTrabajo.fallida.value}
        else:
            espera = espera_reintento(intento, ajustes.trabajos_espera_segundos)
            valores = {
                "estado": EstadoTrabajo.pendiente.value,
                "disponible_en": ahora_utc() + timedelta(seconds=espera),
            }
        self._cerrar(trabajo_id, intento, valores, error)

    def _latir(self) -> None:
        """Renueva el arriendo de los trabajos en curso de este proceso."""
        while not self._parar.wait(self.ajustes().trabajos_arriendo_segundos / 3):
            with self._cerrojo:
                en_curso = list(self._en_curso)
            if not en_curso:
                continue
            try:
                arriendo = timedelta(seconds=self.ajustes().trabajos_arriendo_segundos)
                with self.fabrica() as sesion:
                    sesion.execute(
                        update(Trabajo)
                        .where(
                            Trabajo.id.in_(en_curso),
                            Trabajo.trabajador == self.nombre,
                            Trabajo.estado == EstadoTrabajo.procesando.value,
                        )
                        .values(arrendado_hasta=ahora_utc() + arriendo)
                    )
                    sesion.commit()
            except Exception as error:
                registrar_fallo(registro, "No se pudo renovar el arriendo de los trabajos", error)
