"""Un evento (con su marco SSE ya serializado) y la suscripción acotada de un flujo."""

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Evento:
    """Qué pasó, a quién concierne (agente dueño) y si lo ven supervisores y admins."""

    tipo: str
    datos: dict[str, Any]
    usuario_id: int | None = None
    supervision: bool = True
    id: int = 0
    _marco: bytes | None = field(default=None, repr=False)

    def marco(self) -> bytes:
        """Texto SSE del evento; se serializa una sola vez para todos los flujos."""
        if self._marco is None:
            datos = json.dumps(self.datos, ensure_ascii=False, separators=(",", ":"))
            self._marco = f"id: {self.id}\nevent: {self.tipo}\ndata: {datos}\n\n".encode()
        return self._marco

    def a_json(self) -> str:
        """Forma de transporte entre procesos (sin id: lo pone el bus)."""
        return json.dumps(
            {"t": self.tipo, "d": self.datos, "u": self.usuario_id, "s": self.supervision},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def de_json(cls, texto: str | bytes, id_evento: int) -> "Evento":
        valores = json.loads(texto)
        return cls(
            tipo=valores["t"],
            datos=valores["d"],
            usuario_id=valores["u"],
            supervision=valores["s"],
            id=id_evento,
        )


class Suscripcion:
    """Cola acotada de un flujo: si se llena, se vacía y el flujo pide resincronizar."""

    def __init__(self, *, usuario_id: int, supervision: bool, capacidad: int) -> None:
        self.usuario_id = usuario_id
        self.supervision = supervision
        self.capacidad = capacidad
        self.pendientes: deque[Evento] = deque()
        self.desbordada = False
        self.cerrada = False
        self.al_cerrar = asyncio.Event()
        self._futuro: asyncio.Future[None] | None = None

    def admite(self, evento: Evento) -> bool:
        """Un agente solo recibe lo suyo; supervisión recibe todo lo marcado para supervisión."""
        if self.supervision:
            return evento.supervision
        return evento.usuario_id == self.usuario_id

    def entregar(self, evento: Evento) -> None:
        """Encola sin esperar nunca (se llama desde el bucle, para todos los flujos)."""
        if self.cerrada or not self.admite(evento):
            return
        if len(self.pendientes) >= self.capacidad:
            self.pendientes.clear()
            self.desbordada = True
        else:
            self.pendientes.append(evento)
        self._despertar()

    def cerrar(self) -> None:
        self.cerrada = True
        self.al_cerrar.set()
        self._despertar()

    def _despertar(self) -> None:
        if self._futuro is not None and not self._futuro.done():
            self._futuro.set_result(None)

    async def esperar(self, segundos: float) -> None:
        """Espera a que llegue algo (o se cierre) como mucho los segundos indicados.

        Un futuro y un temporizador del bucle, no asyncio.wait_for (que crea una tarea por
        espera): con cientos de flujos y decenas de eventos por segundo se nota."""
        if self.pendientes or self.desbordada or self.cerrada:
            return
        bucle = asyncio.get_running_loop()
        self._futuro = bucle.create_future()
        temporizador = bucle.call_later(max(0.0, segundos), self._despertar)
        try:
            await self._futuro
        finally:
            temporizador.cancel()
            self._futuro = None

    def tomar(self) -> tuple[list[Evento], bool]:
        """Eventos encolados y si hubo desbordamiento desde la última vez."""
        eventos = list(self.pendientes)
        self.pendientes.clear()
        desbordada, self.desbordada = self.desbordada, False
        return eventos, desbordada
