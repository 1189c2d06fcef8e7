"""fotos diarias con llamadas y duración por hora local y clasificaciones de baja confianza,
para que las franjas y la revisión de un periodo salgan de las fotos

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from modelos import disparadores

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columnas nuevas de metricas_agentes (modelos/sumas.py: COLUMNAS_HORAS y BAJA_CONFIANZA).
NUEVAS = tuple(
    f"hora_{hora:02d}_{que}" for hora in range(24) for que in ("llamadas", "duracion")
) + ("baja_confianza",)


def upgrade() -> None:
    dialecto = op.get_bind().dialect.name
    for sentencia in disparadores.borrar(dialecto):
        op.execute(sentencia)
    with op.batch_alter_table("metricas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("umbral_confianza", sa.Float(), nullable=True))
    with op.batch_alter_table("metricas_agentes", schema=None) as batch_op:
        for nombre in NUEVAS:
            batch_op.add_column(
                sa.Column(nombre, sa.Integer(), server_default=sa.text("0"), nullable=False)
            )
    with op.batch_alter_table("metricas_agentes", schema=None) as batch_op:
        for nombre in NUEVAS:
            batch_op.alter_column(nombre, server_default=None)
    # Las fotos anteriores no traen franjas: dejan de ser vigentes y se rehacen.
    op.execute("UPDATE metricas SET vigente = false, version = version + 1")
    for sentencia in disparadores.crear(dialecto):
        op.execute(sentencia)


def downgrade() -> None:
    dialecto = op.get_bind().dialect.name
    for sentencia in disparadores.borrar(dialecto):
        op.execute(sentencia)
    with op.batch_alter_table("metricas_agentes", schema=None) as batch_op:
        for nombre in NUEVAS:
            batch_op.drop_column(nombre)
    with op.batch_alter_table("metricas", schema=None) as batch_op:
        batch_op.drop_column("umbral_confianza")
    for sentencia in disparadores.crear(dialecto):
        op.execute(sentencia)
