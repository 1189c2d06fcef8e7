"""Modelos Pydantic v2 de entrada y salida, uno por recurso."""
