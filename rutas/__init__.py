"""Routers FastAPI, finos: validan, autorizan y llaman a servicios."""
