"""Lógica de negocio: clasificador, métricas, reportes y casos de uso."""
