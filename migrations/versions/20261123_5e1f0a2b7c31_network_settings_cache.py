"""network settings, cached results and API tokens

Revision ID: 5e1f0a2b7c31
Revises: b6545b1b6fbc
Create Date: 2026-11-23 15:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e1f0a2b7c31'
down_revision = 'b6545b1b6fbc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('network_settings',
    sa.Column('network_uid', sa.String(length=36), nullable=False),
    sa.Column('thresholds', sa.JSON(), nullable=False),
    sa.Column('retention_months', sa.Integer(), nullable=True),
    sa.Column('named_maps', sa.Boolean(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('network_uid')
    )
    op.create_table('cached_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_uid', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.String(length=10), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('network_uid', 'kind', 'at', 'data_version', 'variant')
    )
    with op.batch_alter_table('cached_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cached_results_network_uid'), ['network_uid'], unique=False)
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
    op.drop_table('api_tokens')
    with op.batch_alter_table('cached_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cached_results_network_uid'))
    op.drop_table('cached_results')
    op.drop_table('network_settings')
