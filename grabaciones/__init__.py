"""Grabaciones de llamadas: subida, almacenamiento, transcripción offline y analítica de voz."""
