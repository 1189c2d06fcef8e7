"""metricas diarias por agente, invalidacion por disparadores y reporte automatico unico

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNAS_VECTOR = (
    "total", "suma_duracion", "con_satisfaccion", "suma_satisfaccion", "satisfaccion_alta",
    "con_espera", "suma_espera", "dentro_nivel", "primer_contacto",
    "categoria_venta", "categoria_soporte", "categoria_reclamo", "categoria_sin_clasificar",
    "tipo_venta", "tipo_soporte", "tipo_reclamo", "tipo_consulta", "tipo_tecnico",
    "tipo_logistica", "resultado_atendida", "resultado_colgada", "resultado_resuelta",
    "resultado_escalada", "resultado_pendiente", "resultado_fallida",
    "direccion_entrante", "direccion_saliente",
)

# Un cambio en una llamada invalida su día y el de las llamadas previas del mismo cliente en
# los 7 días anteriores (su resolución en primer contacto depende de esta llamada).
SQLITE_INVALIDAR = """
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE fecha = substr({f}.fecha_hora, 1, 10)
       OR fecha IN (
          SELECT substr(l.fecha_hora, 1, 10) FROM llamadas AS l
          WHERE l.numero_cliente = {f}.numero_cliente
            AND l.fecha_hora >= date({f}.fecha_hora, '-7 days') || substr({f}.fecha_hora, 11)
            AND l.fecha_hora < {f}.fecha_hora);
"""
SQLITE_CLASIFICACION = """
    UPDATE metricas SET vigente = 0, version = version + 1
    WHERE fecha = (SELECT substr(fecha_hora, 1, 10) FROM llamadas WHERE id = {f}.llamada_id);
"""
SQLITE_DISPARADORES = (
    "CREATE TRIGGER trg_llamadas_metricas_ins AFTER INSERT ON llamadas BEGIN"
    + SQLITE_INVALIDAR.format(f="NEW") + "END",
    "CREATE TRIGGER trg_llamadas_metricas_upd AFTER UPDATE ON llamadas BEGIN"
    + SQLITE_INVALIDAR.format(f="OLD") + SQLITE_INVALIDAR.format(f="NEW") + "END",
    "CREATE TRIGGER trg_llamadas_metricas_del AFTER DELETE ON llamadas BEGIN"
    + SQLITE_INVALIDAR.format(f="OLD") + "END",
    "CREATE TRIGGER trg_clasificacion_metricas_ins AFTER INSERT ON clasificacion_ia BEGIN"
    + SQLITE_CLASIFICACION.format(f="NEW") + "END",
    "CREATE TRIGGER trg_clasificacion_metricas_upd AFTER UPDATE ON clasificacion_ia BEGIN"
    + SQLITE_CLASIFICACION.format(f="OLD") + SQLITE_CLASIFICACION.format(f="NEW") + "END",
    "CREATE TRIGGER trg_clasificacion_metricas_del AFTER DELETE ON clasificacion_ia BEGIN"
    + SQLITE_CLASIFICACION.format(f="OLD") + "END",
)
POSTGRESQL_DISPARADORES = (
    """
    CREATE FUNCTION metricas_invalidar(cliente varchar, instante timestamptz) RETURNS void
    LANGUAGE sql AS $$
        UPDATE metricas SET vigente = false, version = version + 1
        WHERE fecha = (instante AT TIME ZONE 'UTC')::date
           OR fecha IN (
              SELECT (l.fecha_hora AT TIME ZONE 'UTC')::date FROM llamadas AS l
              WHERE l.numero_cliente = cliente
                AND l.fecha_hora >= instante - interval '168 hours'
                AND l.fecha_hora < instante)
    $$
    """,
    """
    CREATE FUNCTION metricas_invalidar_llamada() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM metricas_invalidar(OLD.numero_cliente, OLD.fecha_hora);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM metricas_invalidar(NEW.numero_cliente, NEW.fecha_hora);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION metricas_invalidar_clasificacion() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE metricas SET vigente = false, version = version + 1
            WHERE fecha = (SELECT (fecha_hora AT TIME ZONE 'UTC')::date
                           FROM llamadas WHERE id = OLD.llamada_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            UPDATE metricas SET vigente = false, version = version + 1
            WHERE fecha = (SELECT (fecha_hora AT TIME ZONE 'UTC')::date
                           FROM llamadas WHERE id = NEW.llamada_id);
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER trg_llamadas_metricas AFTER INSERT OR UPDATE OR DELETE ON llamadas "
    "FOR EACH ROW EXECUTE FUNCTION metricas_invalidar_llamada()",
    "CREATE TRIGGER trg_clasificacion_metricas AFTER INSERT OR UPDATE OR DELETE "
    "ON clasificacion_ia FOR EACH ROW EXECUTE FUNCTION metricas_invalidar_clasificacion()",
)


def upgrade() -> None:
    with op.batch_alter_table("metricas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("vigente", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(sa.Column("umbral_nivel_servicio", sa.Integer(), nullable=True))

    op.create_table(
        "metricas_agentes",
        sa.Column("fecha", sa.Date(), nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        *(sa.Column(nombre, sa.Integer(), nullable=False) for nombre in COLUMNAS_VECTOR),
        sa.ForeignKeyConstraint(
            ["usuario_id"], ["usuarios.id"],
            name=op.f("fk_metricas_agentes_usuario_id_usuarios"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fecha", "usuario_id", name=op.f("pk_metricas_agentes")),
    )
    op.create_index(
        op.f("ix_metricas_agentes_usuario_id"), "metricas_agentes", ["usuario_id"], unique=False
    )
    op.create_index(
        "uq_reportes_automatico_periodo", "reportes", ["desde", "hasta"], unique=True,
        sqlite_where=sa.text("automatico = 1"), postgresql_where=sa.text("automatico"),
    )
    dialecto = op.get_bind().dialect.name
    for sentencia in SQLITE_DISPARADORES if dialecto == "sqlite" else POSTGRESQL_DISPARADORES:
        op.execute(sentencia)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for nombre in ("llamadas_metricas", "clasificacion_metricas"):
            for sufijo in ("ins", "upd", "del"):
                op.execute(f"DROP TRIGGER IF EXISTS trg_{nombre}_{sufijo}")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_llamadas_metricas ON llamadas")
        op.execute("DROP TRIGGER IF EXISTS trg_clasificacion_metricas ON clasificacion_ia")
        op.execute("DROP FUNCTION IF EXISTS metricas_invalidar_llamada()")
        op.execute("DROP FUNCTION IF EXISTS metricas_invalidar_clasificacion()")
        op.execute("DROP FUNCTION IF EXISTS metricas_invalidar(varchar, timestamptz)")
    op.drop_index("uq_reportes_automatico_periodo", table_name="reportes")
    op.drop_index(op.f("ix_metricas_agentes_usuario_id"), table_name="metricas_agentes")
    op.drop_table("metricas_agentes")
    with op.batch_alter_table("metricas", schema=None) as batch_op:
        batch_op.drop_column("umbral_nivel_servicio")
        batch_op.drop_column("version")
        batch_op.drop_column("vigente")
