"""fotos diarias con llamadas y duración por hora local y clasificaciones de baja confianza,
para que las franjas y la revisión de un periodo salgan de las fotos, y las sumas del equipo
entero en la fila de cada día (metricas)

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
# metricas recibe el vector entero (modelos/sumas.py: COLUMNAS_FOTO) tal como es hoy.
VECTOR = (
    "total",
    "suma_duracion",
    "con_satisfaccion",
    "suma_satisfaccion",
    "satisfaccion_alta",
    "con_espera",
    "suma_espera",
    "dentro_nivel",
    "primer_contacto",
    *(f"categoria_{c}" for c in ("venta", "soporte", "reclamo", "sin_clasificar")),
    *(f"tipo_{t}" for t in ("venta", "soporte", "reclamo", "consulta", "tecnico", "logistica")),
    *(
        f"resultado_{r}"
        for r in ("atendida", "colgada", "resuelta", "escalada", "pendiente", "fallida")
    ),
    "direccion_entrante",
    "direccion_saliente",
    *(
        f"motivo_{c}_{s}"
        for c in ("venta", "soporte", "reclamo")
        for s in ("positivo", "neutral", "negativo")
    ),
)
DEL_DIA = VECTOR + NUEVAS
# Índice que cubre la tabla por agente de un periodo (modelos/metrica.INDICE_KPI).
KPI = (
    "total",
    "suma_duracion",
    "suma_satisfaccion",
    "con_satisfaccion",
    "resultado_resuelta",
    "resultado_escalada",
    "resultado_colgada",
    "primer_contacto",
)


def _lote(tabla: str):
    """batch_alter_table que, si SQLite rehace la tabla, conserva AUTOINCREMENT en metricas."""
    extra = {"sqlite_autoincrement": True} if tabla == "metricas" else {}
    return op.batch_alter_table(tabla, schema=None, table_kwargs=extra)


def _enteros(tabla: str, nombres: tuple[str, ...]) -> None:
    with _lote(tabla) as batch_op:
        for nombre in nombres:
            batch_op.add_column(
                sa.Column(nombre, sa.Integer(), server_default=sa.text("0"), nullable=False)
            )
    with _lote(tabla) as batch_op:
        for nombre in nombres:
            batch_op.alter_column(nombre, server_default=None)


def upgrade() -> None:
    dialecto = op.get_bind().dialect.name
    for sentencia in disparadores.borrar(dialecto):
        op.execute(sentencia)
    with _lote("metricas") as batch_op:
        batch_op.add_column(sa.Column("umbral_confianza", sa.Float(), nullable=True))
    _enteros("metricas", DEL_DIA)
    _enteros("metricas_agentes", NUEVAS)
    op.create_index("ix_metricas_agentes_kpi", "metricas_agentes", ["fecha", "usuario_id", *KPI])
    # Las fotos anteriores no traen franjas: dejan de ser vigentes y se rehacen.
    op.execute("UPDATE metricas SET vigente = false, version = version + 1")
    for sentencia in disparadores.crear(dialecto):
        op.execute(sentencia)


def downgrade() -> None:
    dialecto = op.get_bind().dialect.name
    for sentencia in disparadores.borrar(dialecto):
        op.execute(sentencia)
    op.drop_index("ix_metricas_agentes_kpi", table_name="metricas_agentes")
    with op.batch_alter_table("metricas_agentes", schema=None) as batch_op:
        for nombre in NUEVAS:
            batch_op.drop_column(nombre)
    with _lote("metricas") as batch_op:
        for nombre in DEL_DIA:
            batch_op.drop_column(nombre)
        batch_op.drop_column("umbral_confianza")
    for sentencia in disparadores.crear(dialecto):
        op.execute(sentencia)
