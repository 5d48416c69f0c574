"""create receipts: every create is idempotent on its client-generated id

One row per record created under a client-chosen id (the API's `id`, a form's
one-time form id, a sync mutation's record id): who created it and the keyed
fingerprint of the body. Its primary key lets one client id make one record,
however many requests replay it at once. Records created before this revision
have no receipt: a create naming their id answers 409, as before.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('create_receipts',
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'record_id', name=op.f('pk_create_receipts'))
    )


def downgrade():
    op.drop_table('create_receipts')
