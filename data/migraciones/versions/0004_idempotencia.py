"""claves de idempotencia para el alta de llamadas (cabecera Idempotency-Key)

Revision ID: 0004
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claves_idempotencia",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("clave", sa.String(length=255), nullable=False),
        sa.Column("huella", sa.String(length=64), nullable=False),
        sa.Column("llamada_id", sa.Integer(), nullable=False),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expira_en", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["llamada_id"],
            ["llamadas.id"],
            name=op.f("fk_claves_idempotencia_llamada_id_llamadas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_claves_idempotencia_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claves_idempotencia")),
        sa.UniqueConstraint("usuario_id", "clave", name=op.f("uq_claves_idempotencia_usuario_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_claves_idempotencia_expira_en", "claves_idempotencia", ["expira_en"], unique=False
    )
    op.create_index(
        "ix_claves_idempotencia_llamada_id", "claves_idempotencia", ["llamada_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_claves_idempotencia_llamada_id", table_name="claves_idempotencia")
    op.drop_index("ix_claves_idempotencia_expira_en", table_name="claves_idempotencia")
    op.drop_table("claves_idempotencia")
