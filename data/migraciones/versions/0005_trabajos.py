"""trabajos en segundo plano: tabla del motor local, turnos periódicos y esquema de procrastinate

Revision ID: 0005
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _esquema_procrastinate() -> None:
    """En PostgreSQL los trabajos los guarda procrastinate: su esquema, en la misma migración."""
    from procrastinate.schema import SchemaManager

    # El SQL de procrastinate lleva '%' en funciones plpgsql: va tal cual, sin parámetros.
    conexion = op.get_bind().connection.driver_connection
    conexion.execute(SchemaManager.get_schema())


def upgrade() -> None:
    op.create_table(
        "trabajos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(length=64), nullable=False),
        sa.Column("carga", sa.JSON(), nullable=False),
        sa.Column("estado", sa.String(length=12), nullable=False),
        sa.Column("clave_unica", sa.String(length=200), nullable=True),
        sa.Column("intentos", sa.Integer(), nullable=False),
        sa.Column("disponible_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrendado_hasta", sa.DateTime(timezone=True), nullable=True),
        sa.Column("trabajador", sa.String(length=64), nullable=True),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actualizado_en", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "estado IN ('pendiente', 'procesando', 'lista', 'fallida')",
            name=op.f("ck_trabajos_estado_valido"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trabajos")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_trabajos_estado_disponible", "trabajos", ["estado", "disponible_en"])
    op.create_index("ix_trabajos_clave_unica", "trabajos", ["clave_unica"])
    op.create_index(
        "uq_trabajos_clave_pendiente",
        "trabajos",
        ["clave_unica"],
        unique=True,
        sqlite_where=sa.text("estado = 'pendiente' AND intentos = 0"),
        postgresql_where=sa.text("estado = 'pendiente' AND intentos = 0"),
    )
    op.create_table(
        "trabajos_errores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trabajo_id", sa.Integer(), nullable=False),
        sa.Column("intento", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("ocurrido_en", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trabajos_errores")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_trabajos_errores_trabajo_id"), "trabajos_errores", ["trabajo_id"])
    op.create_table(
        "tareas_periodicas",
        sa.Column("nombre", sa.String(length=64), nullable=False),
        sa.Column("proxima_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ultima_en", sa.DateTime(timezone=True), nullable=True),
        sa.Column("trabajador", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("nombre", name=op.f("pk_tareas_periodicas")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _esquema_procrastinate()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            DO $$ DECLARE r record; BEGIN
                FOR r IN SELECT oid::regprocedure AS f FROM pg_proc
                         WHERE proname LIKE 'procrastinate%' LOOP
                    EXECUTE 'DROP FUNCTION IF EXISTS ' || r.f || ' CASCADE';
                END LOOP;
            END $$
            """
        )
        for tabla in ("events", "periodic_defers", "jobs", "workers"):
            op.execute(f"DROP TABLE IF EXISTS procrastinate_{tabla} CASCADE")
        for tipo in ("job_to_defer_v1", "job_event_type", "job_status"):
            op.execute(f"DROP TYPE IF EXISTS procrastinate_{tipo}")
    op.drop_table("tareas_periodicas")
    op.drop_index(op.f("ix_trabajos_errores_trabajo_id"), table_name="trabajos_errores")
    op.drop_table("trabajos_errores")
    op.drop_index("uq_trabajos_clave_pendiente", table_name="trabajos")
    op.drop_index("ix_trabajos_clave_unica", table_name="trabajos")
    op.drop_index("ix_trabajos_estado_disponible", table_name="trabajos")
    op.drop_table("trabajos")
