"""Escribe data/ddl.sql (SQLite y PostgreSQL) a partir de los modelos."""

import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

import importlib.util  # noqa: E402

from sqlalchemy.dialects import postgresql, sqlite  # noqa: E402
from sqlalchemy.schema import CreateIndex, CreateTable  # noqa: E402

from modelos import Base, disparadores  # noqa: E402

RUTA_DDL = RAIZ / "data" / "ddl.sql"
MIGRACIONES = RAIZ / "data" / "migraciones" / "versions"
RUTAS_DISPARADORES = (MIGRACIONES / "0008_auditoria.py",)
CABECERA = """-- Esquema de la base de datos del call center, generado desde modelos/ con
-- `python data/generar_ddl.py`. Las migraciones de Alembic (data/migraciones) son
-- las que crean y actualizan la base; este fichero es la referencia legible, con los
-- disparadores que invalidan las fotos diarias de métricas cuando cambia una llamada
-- y los que impiden cambiar o borrar filas de la auditoría.
"""


def _limpiar(compilado) -> str:
    return "\n".join(linea.rstrip() for linea in str(compilado).strip().splitlines())


def _sentencias(dialecto) -> list[str]:
    sentencias = []
    for tabla in Base.metadata.sorted_tables:
        sentencias.append(_limpiar(CreateTable(tabla).compile(dialect=dialecto)) + ";")
        for indice in sorted(tabla.indexes, key=lambda i: i.name or ""):
            sentencias.append(_limpiar(CreateIndex(indice).compile(dialect=dialecto)) + ";")
    return sentencias


def _disparadores() -> dict[str, tuple[str, ...]]:
    """Disparadores tal como los crean las migraciones (fotos diarias y auditoría)."""
    resultado: dict[str, tuple[str, ...]] = {
        "SQLite": tuple(disparadores.crear("sqlite")),
        "PostgreSQL": tuple(disparadores.crear("postgresql")),
    }
    for ruta in RUTAS_DISPARADORES:
        especificacion = importlib.util.spec_from_file_location(f"migracion_{ruta.stem}", ruta)
        migracion = importlib.util.module_from_spec(especificacion)
        especificacion.loader.exec_module(migracion)
        resultado["SQLite"] += migracion.SQLITE_DISPARADORES
        resultado["PostgreSQL"] += migracion.POSTGRESQL_DISPARADORES
    return resultado


def generar_ddl() -> str:
    """DDL de tablas, índices y disparadores, para SQLite y para PostgreSQL."""
    partes = [CABECERA]
    disparadores = _disparadores()
    for nombre, dialecto in (("SQLite", sqlite.dialect()), ("PostgreSQL", postgresql.dialect())):
        partes.append(f"\n-- ===== {nombre} =====\n")
        sentencias = _sentencias(dialecto)
        sentencias += [_limpiar(d) + ";" for d in disparadores[nombre]]
        partes.append("\n\n".join(sentencias) + "\n")
    return "".join(partes)


if __name__ == "__main__":
    RUTA_DDL.write_text(generar_ddl(), encoding="utf-8")
    print(f"Escrito {RUTA_DDL.relative_to(RAIZ)}")
