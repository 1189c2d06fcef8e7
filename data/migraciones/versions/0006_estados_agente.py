"""estados de agente (actual e historial de transiciones)

Revision ID: 0006
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _estado() -> sa.Enum:
    return sa.Enum(
        "disponible",
        "en_llamada",
        "pausa",
        "desconectado",
        name="estado",
        native_enum=False,
        create_constraint=True,
        length=20,
    )


def upgrade() -> None:
    op.create_table(
        "estados_agente",
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("estado", _estado(), nullable=False),
        sa.Column("motivo", sa.String(length=200), nullable=True),
        sa.Column("desde", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_estados_agente_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("usuario_id", name=op.f("pk_estados_agente")),
    )
    op.create_table(
        "transiciones_estado",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("estado", _estado(), nullable=False),
        sa.Column("motivo", sa.String(length=200), nullable=True),
        sa.Column("desde", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_transiciones_estado_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transiciones_estado")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_transiciones_estado_usuario_desde", "transiciones_estado", ["usuario_id", "desde"]
    )


def downgrade() -> None:
    op.drop_index("ix_transiciones_estado_usuario_desde", table_name="transiciones_estado")
    op.drop_table("transiciones_estado")
    op.drop_table("estados_agente")
