"""ids sin reutilizar en sqlite, sello de los tokens por usuario y numero_cliente canonico

Revision ID: 0003
Revises: 0002
"""

import importlib.util
import secrets
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLAS_CON_ID = ("usuarios", "llamadas", "clasificacion_ia", "metricas", "reportes")
DISPARADORES_SQLITE = tuple(
    f"trg_{tabla}_metricas_{sufijo}"
    for tabla in ("llamadas", "clasificacion")
    for sufijo in ("ins", "upd", "del")
)
SEPARADORES_NUMERO = " -.()"
DIGITOS_NUMERO = (3, 20)


def _disparadores_0002() -> tuple[str, ...]:
    """Los disparadores de SQLite tal como los creó la migración 0002."""
    ruta = Path(__file__).with_name("0002_metricas_diarias.py")
    especificacion = importlib.util.spec_from_file_location("migracion_0002", ruta)
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo.SQLITE_DISPARADORES


def numero_canonico(numero: str) -> str | None:
    """'+34 600-111-222' o dígitos de cualquier escritura -> '+34600111222'; None si no es un número."""
    texto = numero.strip()
    prefijo = "+" if texto.startswith("+") else ""
    digitos = []
    for caracter in texto[len(prefijo) :]:
        if caracter in SEPARADORES_NUMERO:
            continue
        if unicodedata.category(caracter) != "Nd":
            return None
        digitos.append(str(unicodedata.decimal(caracter)))
    if not DIGITOS_NUMERO[0] <= len(digitos) <= DIGITOS_NUMERO[1]:
        return None
    return prefijo + "".join(digitos)


def _reconstruir_sqlite() -> None:
    """Recrea cada tabla con AUTOINCREMENT conservando filas, índices y restricciones."""
    conexion = op.get_bind()
    if conexion.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # Con claves foráneas activas, borrar la tabla vieja borraría o anularía filas hijas.
        raise RuntimeError("La migración 0003 necesita PRAGMA foreign_keys=OFF en SQLite")
    for nombre in DISPARADORES_SQLITE:
        op.execute(f"DROP TRIGGER IF EXISTS {nombre}")
    for tabla in TABLAS_CON_ID:
        with op.batch_alter_table(
            tabla, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            if tabla == "usuarios":
                batch_op.add_column(
                    sa.Column("sello", sa.String(32), server_default="", nullable=False)
                )
    for sentencia in _disparadores_0002():
        op.execute(sentencia)
    huerfanas = conexion.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if huerfanas:
        raise RuntimeError(f"Claves foráneas rotas tras reconstruir las tablas: {huerfanas[:5]}")


def _sellar_usuarios() -> None:
    """Un sello aleatorio distinto por usuario: los tokens de antes de esta versión caducan."""
    conexion = op.get_bind()
    usuarios = sa.table("usuarios", sa.column("id", sa.Integer), sa.column("sello", sa.String))
    for (usuario_id,) in conexion.execute(sa.select(usuarios.c.id)).fetchall():
        conexion.execute(
            usuarios.update()
            .where(usuarios.c.id == usuario_id)
            .values(sello=secrets.token_hex(16))
        )


def _plegar_numeros() -> None:
    """Lleva cada numero_cliente a su forma canónica; los que no son números quedan como están."""
    conexion = op.get_bind()
    llamadas = sa.table("llamadas", sa.column("numero_cliente", sa.String))
    for (numero,) in conexion.execute(sa.select(llamadas.c.numero_cliente).distinct()).fetchall():
        canonico = numero_canonico(numero)
        if canonico is not None and canonico != numero:
            conexion.execute(
                llamadas.update()
                .where(llamadas.c.numero_cliente == numero)
                .values(numero_cliente=canonico)
            )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _reconstruir_sqlite()
    else:
        # Las secuencias de PostgreSQL nunca reutilizan un id: solo falta el sello.
        op.add_column(
            "usuarios", sa.Column("sello", sa.String(32), server_default="", nullable=False)
        )
    _sellar_usuarios()
    _plegar_numeros()


def downgrade() -> None:
    # Los números plegados no recuperan su forma anterior y los id siguen sin reutilizarse: solo se
    # quita el sello (los tokens vuelven a depender solo del id).
    with op.batch_alter_table("usuarios", schema=None) as batch_op:
        batch_op.drop_column("sello")
