"""indices de las listas: tipo y resultado de llamadas con la fecha (el orden de la lista)

Revision ID: 0011
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDICES = {
    "ix_llamadas_tipo_fecha": ["tipo", "fecha_hora", "id"],
    "ix_llamadas_resultado_fecha": ["resultado", "fecha_hora", "id"],
}


def upgrade() -> None:
    for nombre, columnas in INDICES.items():
        op.create_index(nombre, "llamadas", columnas)
    # Estadísticas de los índices nuevos: sin ellas el planificador de SQLite puede preferir el
    # de tipo y fecha para un filtro por agente y recorrer decenas de miles de filas.
    op.execute("ANALYZE llamadas")


def downgrade() -> None:
    for nombre in INDICES:
        op.drop_index(nombre, table_name="llamadas")
