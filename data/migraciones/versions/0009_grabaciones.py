"""grabaciones de llamadas y sus transcripciones (redactadas, con analítica de voz)

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grabaciones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("llamada_id", sa.Integer(), nullable=False),
        sa.Column("fichero", sa.String(length=200), nullable=False),
        sa.Column("formato", sa.String(length=20), nullable=False),
        sa.Column("codec", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("tamano_bytes", sa.BigInteger(), nullable=False),
        sa.Column("duracion_segundos", sa.Float(), nullable=False),
        sa.Column("canales", sa.Integer(), nullable=False),
        sa.Column("frecuencia_hz", sa.Integer(), nullable=False),
        sa.Column("subida_por_id", sa.Integer(), nullable=True),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["llamada_id"],
            ["llamadas.id"],
            name=op.f("fk_grabaciones_llamada_id_llamadas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subida_por_id"],
            ["usuarios.id"],
            name=op.f("fk_grabaciones_subida_por_id_usuarios"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grabaciones")),
        sa.UniqueConstraint("llamada_id", name=op.f("uq_grabaciones_llamada_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_grabaciones_creado_en"), "grabaciones", ["creado_en"], unique=False)

    op.create_table(
        "transcripciones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("llamada_id", sa.Integer(), nullable=False),
        sa.Column("estado", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("intentos", sa.Integer(), nullable=False),
        sa.Column("motor", sa.String(length=40), nullable=True),
        sa.Column("idioma", sa.String(length=20), nullable=True),
        sa.Column("duracion_segundos", sa.Float(), nullable=True),
        sa.Column("mono", sa.Boolean(), nullable=True),
        sa.Column("segmentos", sa.JSON(), nullable=True),
        sa.Column("texto", sa.Text(), nullable=True),
        sa.Column("analitica", sa.JSON(), nullable=True),
        sa.Column("sentimientos", sa.JSON(), nullable=True),
        sa.Column("cuota_habla", sa.Float(), nullable=True),
        sa.Column("cuota_silencio", sa.Float(), nullable=True),
        sa.Column("solape_segundos", sa.Float(), nullable=True),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actualizado_en", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["llamada_id"],
            ["llamadas.id"],
            name=op.f("fk_transcripciones_llamada_id_llamadas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcripciones")),
        sa.UniqueConstraint("llamada_id", name=op.f("uq_transcripciones_llamada_id")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("transcripciones")
    op.drop_index(op.f("ix_grabaciones_creado_en"), table_name="grabaciones")

    op.drop_table("grabaciones")
