"""correcciones humanas de la clasificacion (categoria original, quien, cuando y nota)

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _columnas() -> tuple[sa.Column, ...]:
    """Las columnas nuevas (objetos nuevos en cada uso: una columna pertenece a una tabla)."""
    return (
        sa.Column(
            "categoria_modelo",
            sa.Enum(
                "venta",
                "soporte",
                "reclamo",
                name="categoria_modelo",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("corregida_por_id", sa.Integer(), nullable=True),
        sa.Column("corregida_en", sa.DateTime(timezone=True), nullable=True),
        sa.Column("nota_correccion", sa.Text(), nullable=True),
    )


FK = "fk_clasificacion_ia_corregida_por_id_usuarios"


def _disparadores_sqlite() -> list[str]:
    """SQL de los disparadores de la tabla: en SQLite, recrearla (modo batch) los borra."""
    if op.get_bind().dialect.name != "sqlite":
        return []
    consulta = (
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'clasificacion_ia'"
    )
    return [fila[0] for fila in op.get_bind().exec_driver_sql(consulta)]


def upgrade() -> None:
    disparadores = _disparadores_sqlite()
    with op.batch_alter_table(
        "clasificacion_ia", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        for columna in _columnas():
            batch_op.add_column(columna)
        batch_op.create_foreign_key(
            op.f(FK), "usuarios", ["corregida_por_id"], ["id"], ondelete="SET NULL"
        )
    for sql in disparadores:
        op.execute(sql)


def downgrade() -> None:
    disparadores = _disparadores_sqlite()
    with op.batch_alter_table(
        "clasificacion_ia", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint(op.f(FK), type_="foreignkey")
        for columna in reversed(_columnas()):
            batch_op.drop_column(columna.name)
    for sql in disparadores:
        op.execute(sql)
