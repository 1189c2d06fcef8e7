"""Bus de eventos en vivo: en proceso sin REDIS_URL, con Redis Streams entre procesos si lo hay."""

from eventos.bus import Bus, BusLocal, crear_bus
from eventos.evento import Evento, Suscripcion
from eventos.publicar import publicar

__all__ = ["Bus", "BusLocal", "Evento", "Suscripcion", "crear_bus", "publicar"]
