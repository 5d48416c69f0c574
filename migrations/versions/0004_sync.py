"""offline sync: the mutation ledger and pull cursors

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. sync_mutations: the primary key IS the client's
    # mutation_id, so the database itself refuses a second application of one
    # mutation, whichever worker or server tries (SPEC §5 `duplicate`); the
    # (user, applied_at) index serves a pull's look at what its user pushed
    # lately. sync_cursors: snapshots of what a device holds; the lineage
    # index serves pruning a device's older cursors, issued_at the expiry.
    # Naive UTC DateTime columns (see core.models.UTCDateTime).
    op.create_table('sync_mutations',
    sa.Column('mutation_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=100), nullable=False),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('op', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sync_mutations_user_id_users')),
    sa.PrimaryKeyConstraint('mutation_id', name=op.f('pk_sync_mutations'))
    )
    with op.batch_alter_table('sync_mutations', schema=None) as batch_op:
        batch_op.create_index('ix_sync_mutations_user_applied', ['user_id', 'applied_at'], unique=False)

    op.create_table('sync_cursors',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('lineage_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('facility_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('holdings', sa.LargeBinary(), nullable=False),
    sa.Column('held_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sync_cursors_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_cursors'))
    )
    with op.batch_alter_table('sync_cursors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_cursors_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index('ix_sync_cursors_lineage_seq', ['lineage_id', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_cursors_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sync_cursors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_cursors_user_id'))
        batch_op.drop_index('ix_sync_cursors_lineage_seq')
        batch_op.drop_index(batch_op.f('ix_sync_cursors_issued_at'))

    op.drop_table('sync_cursors')
    with op.batch_alter_table('sync_mutations', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_mutations_user_applied')

    op.drop_table('sync_mutations')
