"""audit events name the person they are about; reasons given in the pages

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. participant_id is filled by audit.record from now on; it
    # is not back-filled: the HMAC chain covers it once set, so rewriting old rows
    # would break `audit verify`. Older events about a person are still found by
    # their entity and ids (auditlog/services.py).
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_audit_events_participant_id'), ['participant_id'], unique=False
        )
    op.create_table('access_grants',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('auth_session_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(
        ['auth_session_id'], ['auth_sessions.id'],
        name=op.f('fk_access_grants_auth_session_id_auth_sessions'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_grants')),
    sa.UniqueConstraint(
        'auth_session_id', 'participant_id', name=op.f('uq_access_grants_auth_session_id')
    )
    )


def downgrade():
    op.drop_table('access_grants')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_participant_id'))
        batch_op.drop_column('participant_id')
