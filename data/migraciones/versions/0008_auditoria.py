"""auditoria de solo anexado, con disparadores que impiden cambiar o borrar sus filas

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MENSAJE = "auditoria: solo se añaden filas"
# SQLite no tiene ajustes de sesión: la purga la permite una función SQL de la conexión
# (database.py la registra devolviendo 0; crud/auditoria.py la cambia dentro de una purga).
SQLITE_DISPARADORES = (
    "CREATE TRIGGER trg_auditoria_sin_cambios BEFORE UPDATE ON auditoria BEGIN "
    f"SELECT RAISE(ABORT, '{MENSAJE}'); END",
    "CREATE TRIGGER trg_auditoria_sin_borrado BEFORE DELETE ON auditoria "
    "WHEN callcenter_purga_auditoria() IS NOT 1 BEGIN "
    f"SELECT RAISE(ABORT, '{MENSAJE}'); END",
)
# PostgreSQL: UPDATE nunca; DELETE y TRUNCATE solo con SET LOCAL callcenter.purga_auditoria.
POSTGRESQL_DISPARADORES = (
    f"""
    CREATE FUNCTION auditoria_solo_anexar() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'UPDATE'
           AND coalesce(current_setting('callcenter.purga_auditoria', true), '') = 'on' THEN
            IF TG_LEVEL = 'ROW' THEN
                RETURN OLD;
            END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{MENSAJE} (% rechazado)', TG_OP;
    END $$
    """,
    "CREATE TRIGGER trg_auditoria_solo_anexar BEFORE UPDATE OR DELETE ON auditoria "
    "FOR EACH ROW EXECUTE FUNCTION auditoria_solo_anexar()",
    "CREATE TRIGGER trg_auditoria_sin_truncate BEFORE TRUNCATE ON auditoria "
    "FOR EACH STATEMENT EXECUTE FUNCTION auditoria_solo_anexar()",
)


def upgrade() -> None:
    op.create_table(
        "auditoria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fecha", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=True),
        sa.Column("accion", sa.String(length=60), nullable=False),
        sa.Column("entidad", sa.String(length=40), nullable=False),
        sa.Column("entidad_id", sa.Integer(), nullable=True),
        sa.Column("detalle", sa.JSON(), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditoria")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_auditoria_accion"), "auditoria", ["accion"], unique=False)
    op.create_index("ix_auditoria_entidad", "auditoria", ["entidad", "entidad_id"], unique=False)
    op.create_index(op.f("ix_auditoria_fecha"), "auditoria", ["fecha"], unique=False)
    op.create_index(op.f("ix_auditoria_usuario_id"), "auditoria", ["usuario_id"], unique=False)
    dialecto = op.get_bind().dialect.name
    for sentencia in SQLITE_DISPARADORES if dialecto == "sqlite" else POSTGRESQL_DISPARADORES:
        op.execute(sentencia)


def downgrade() -> None:
    # Quitar la tabla entera es la única forma de deshacerla: los disparadores caen con ella.
    op.drop_index(op.f("ix_auditoria_usuario_id"), table_name="auditoria")
    op.drop_index(op.f("ix_auditoria_fecha"), table_name="auditoria")
    op.drop_index("ix_auditoria_entidad", table_name="auditoria")
    op.drop_index(op.f("ix_auditoria_accion"), table_name="auditoria")
    op.drop_table("auditoria")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS auditoria_solo_anexar()")
