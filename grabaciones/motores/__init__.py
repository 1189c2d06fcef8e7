"""Motores de transcripción (local con faster-whisper, remoto compatible con OpenAI)."""
