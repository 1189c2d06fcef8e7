"""fotos diarias en días locales (tramo UTC y zona de cada foto), motivos categoría ×
sentimiento en las sumas por agente, disparadores generados desde una sola definición y
reportes automáticos con periodicidad y huella de sus llamadas

Revision ID: 0010
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from modelos import disparadores

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columnas nuevas del vector (modelos/sumas.py): la distribución categoría × sentimiento.
MOTIVOS = tuple(
    f"motivo_{categoria}_{sentimiento}"
    for categoria in ("venta", "soporte", "reclamo")
    for sentimiento in ("positivo", "neutral", "negativo")
)


def upgrade() -> None:
    dialecto = op.get_bind().dialect.name
    for sentencia in disparadores.borrar(dialecto):
        op.execute(sentencia)
    with op.batch_alter_table("metricas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("zona", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("inicio", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("fin", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("metricas_agentes", schema=None) as batch_op:
        for nombre in MOTIVOS:
            batch_op.add_column(
                sa.Column(nombre, sa.Integer(), server_default=sa.text("0"), nullable=False)
            )
    with op.batch_alter_table("metricas_agentes", schema=None) as batch_op:
        for nombre in MOTIVOS:
            batch_op.alter_column(nombre, server_default=None)
    with op.batch_alter_table("reportes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("periodicidad", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("huella", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("actualizado_en", sa.DateTime(timezone=True), nullable=True))
    # Las fotos anteriores eran días UTC sin tramo: dejan de ser vigentes y se rehacen.
    op.execute("UPDATE metricas SET vigente = false, version = version + 1")
    for sentencia in disparadores.crear(dialecto):
        op.execute(sentencia)


def downgrade() -> None:
    dialecto = op.get_bind().dialect.name
    for sentencia in disparadores.borrar(dialecto):
        op.execute(sentencia)
    with op.batch_alter_table("reportes", schema=None) as batch_op:
        batch_op.drop_column("actualizado_en")
        batch_op.drop_column("huella")
        batch_op.drop_column("periodicidad")
    with op.batch_alter_table("metricas_agentes", schema=None) as batch_op:
        for nombre in MOTIVOS:
            batch_op.drop_column(nombre)
    with op.batch_alter_table("metricas", schema=None) as batch_op:
        batch_op.drop_column("fin")
        batch_op.drop_column("inicio")
        batch_op.drop_column("zona")
