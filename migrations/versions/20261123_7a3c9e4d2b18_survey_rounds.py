"""survey rounds, invitations and unlisted answers

Revision ID: 7a3c9e4d2b18
Revises: 5e1f0a2b7c31
Create Date: 2026-11-23 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7a3c9e4d2b18'
down_revision = '5e1f0a2b7c31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('network_uid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('opens', sa.String(length=10), nullable=False),
    sa.Column('closes', sa.String(length=10), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('schools', sa.JSON(), nullable=False),
    sa.Column('layers', sa.JSON(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('survey_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_rounds_network_uid'), ['network_uid'], unique=False)

    op.create_table('survey_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_issued_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('consented_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('last_sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'person_uid', name='uq_invitation_person'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitations_round_id'), ['round_id'], unique=False)

    op.create_table('survey_unlisted',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=True),
    sa.Column('influence', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['survey_invitations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('survey_unlisted', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_unlisted_invitation_id'), ['invitation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_unlisted', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_unlisted_invitation_id'))
    op.drop_table('survey_unlisted')
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitations_round_id'))
    op.drop_table('survey_invitations')
    with op.batch_alter_table('survey_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_rounds_network_uid'))
    op.drop_table('survey_rounds')
