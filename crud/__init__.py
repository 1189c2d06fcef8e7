"""Consultas y escrituras sobre los modelos; sin HTTP."""
