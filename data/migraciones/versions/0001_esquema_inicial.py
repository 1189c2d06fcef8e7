"""esquema inicial

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('metricas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fecha', sa.Date(), nullable=False),
    sa.Column('total_llamadas', sa.Integer(), nullable=False),
    sa.Column('promedio_duracion', sa.Float(), nullable=True),
    sa.Column('satisfaccion_cliente', sa.Float(), nullable=True),
    sa.Column('tasa_resolucion', sa.Float(), nullable=True),
    sa.Column('contenido', sa.JSON(), nullable=False),
    sa.Column('calculado_en', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metricas')),
    sa.UniqueConstraint('fecha', name=op.f('uq_metricas_fecha'))
    )
    op.create_table('usuarios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=100), nullable=False),
    sa.Column('rol', sa.Enum('agente', 'supervisor', 'admin', name='rol', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usuarios')),
    sa.UniqueConstraint('email', name=op.f('uq_usuarios_email'))
    )
    op.create_table('llamadas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('usuario_id', sa.Integer(), nullable=False),
    sa.Column('numero_cliente', sa.String(length=30), nullable=False),
    sa.Column('duracion_segundos', sa.Integer(), nullable=False),
    sa.Column('tipo', sa.Enum('venta', 'soporte', 'reclamo', 'consulta', 'tecnico', 'logistica', name='tipo', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('resultado', sa.Enum('atendida', 'colgada', 'resuelta', 'escalada', 'pendiente', 'fallida', name='resultado', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('fecha_hora', sa.DateTime(timezone=True), nullable=False),
    sa.Column('descripcion', sa.Text(), nullable=True),
    sa.Column('satisfaccion', sa.SmallInteger(), nullable=True),
    sa.Column('tiempo_espera_segundos', sa.Integer(), nullable=True),
    sa.Column('direccion', sa.Enum('entrante', 'saliente', name='direccion', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actualizado_en', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('duracion_segundos >= 0', name=op.f('ck_llamadas_duracion_no_negativa')),
    sa.CheckConstraint('satisfaccion BETWEEN 1 AND 5', name=op.f('ck_llamadas_satisfaccion_1_a_5')),
    sa.CheckConstraint('tiempo_espera_segundos >= 0', name=op.f('ck_llamadas_espera_no_negativa')),
    sa.ForeignKeyConstraint(['usuario_id'], ['usuarios.id'], name=op.f('fk_llamadas_usuario_id_usuarios'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_llamadas'))
    )
    with op.batch_alter_table('llamadas', schema=None) as batch_op:
        batch_op.create_index('ix_llamadas_cliente_fecha', ['numero_cliente', 'fecha_hora'], unique=False)
        batch_op.create_index('ix_llamadas_fecha_hora', ['fecha_hora'], unique=False)
        batch_op.create_index('ix_llamadas_usuario_fecha', ['usuario_id', 'fecha_hora'], unique=False)

    op.create_table('reportes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generado_por', sa.Integer(), nullable=True),
    sa.Column('fecha_generado', sa.DateTime(timezone=True), nullable=False),
    sa.Column('descripcion', sa.String(length=500), nullable=True),
    sa.Column('desde', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hasta', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filtros', sa.JSON(), nullable=False),
    sa.Column('contenido', sa.JSON(), nullable=False),
    sa.Column('automatico', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['generado_por'], ['usuarios.id'], name=op.f('fk_reportes_generado_por_usuarios'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reportes'))
    )
    with op.batch_alter_table('reportes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reportes_fecha_generado'), ['fecha_generado'], unique=False)
        batch_op.create_index(batch_op.f('ix_reportes_generado_por'), ['generado_por'], unique=False)

    op.create_table('clasificacion_ia',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('llamada_id', sa.Integer(), nullable=False),
    sa.Column('categoria', sa.Enum('venta', 'soporte', 'reclamo', name='categoria', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('confianza', sa.Float(), nullable=False),
    sa.Column('recomendacion_agente', sa.Text(), nullable=False),
    sa.Column('sentimiento', sa.Enum('positivo', 'neutral', 'negativo', name='sentimiento', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('resumen', sa.Text(), nullable=True),
    sa.Column('motor', sa.Enum('llm', 'local', name='motor', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('modelo', sa.String(length=120), nullable=False),
    sa.Column('latencia_ms', sa.Float(), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('confianza BETWEEN 0 AND 1', name=op.f('ck_clasificacion_ia_confianza_0_a_1')),
    sa.ForeignKeyConstraint(['llamada_id'], ['llamadas.id'], name=op.f('fk_clasificacion_ia_llamada_id_llamadas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clasificacion_ia')),
    sa.UniqueConstraint('llamada_id', name=op.f('uq_clasificacion_ia_llamada_id'))
    )
    with op.batch_alter_table('clasificacion_ia', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clasificacion_ia_categoria'), ['categoria'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('clasificacion_ia', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clasificacion_ia_categoria'))

    op.drop_table('clasificacion_ia')
    with op.batch_alter_table('reportes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reportes_generado_por'))
        batch_op.drop_index(batch_op.f('ix_reportes_fecha_generado'))

    op.drop_table('reportes')
    with op.batch_alter_table('llamadas', schema=None) as batch_op:
        batch_op.drop_index('ix_llamadas_usuario_fecha')
        batch_op.drop_index('ix_llamadas_fecha_hora')
        batch_op.drop_index('ix_llamadas_cliente_fecha')

    op.drop_table('llamadas')
    op.drop_table('usuarios')
    op.drop_table('metricas')
