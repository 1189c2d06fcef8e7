"""indices de las listas con su orden (fecha, id): por agente, cliente, tipo y tipo+resultado

Revision ID: 0011
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Los tres que ya había, ahora con el id al final: la lista ordena por (fecha, id) y PostgreSQL
# recorre el índice ya ordenado (SQLite añade el rowid él solo, así que allí no cambia nada).
REHECHOS = {
    "ix_llamadas_fecha_hora": (["fecha_hora"], ["fecha_hora", "id"]),
    "ix_llamadas_usuario_fecha": (["usuario_id", "fecha_hora"], ["usuario_id", "fecha_hora", "id"]),
    "ix_llamadas_cliente_fecha": (
        ["numero_cliente", "fecha_hora"],
        ["numero_cliente", "fecha_hora", "id"],
    ),
}
NUEVOS = {
    "ix_llamadas_tipo_fecha": ["tipo", "fecha_hora", "id"],
    "ix_llamadas_tipo_resultado_fecha": ["tipo", "resultado", "fecha_hora", "id"],
}


def upgrade() -> None:
    for nombre, (_, columnas) in REHECHOS.items():
        op.drop_index(nombre, table_name="llamadas")
        op.create_index(nombre, "llamadas", columnas)
    for nombre, columnas in NUEVOS.items():
        op.create_index(nombre, "llamadas", columnas)
    # Estadísticas de los índices nuevos: sin ellas el planificador de SQLite puede preferir el
    # de tipo y fecha para un filtro por agente y recorrer decenas de miles de filas.
    op.execute("ANALYZE llamadas")


def downgrade() -> None:
    for nombre in NUEVOS:
        op.drop_index(nombre, table_name="llamadas")
    for nombre, (columnas, _) in REHECHOS.items():
        op.drop_index(nombre, table_name="llamadas")
        op.create_index(nombre, "llamadas", columnas)
