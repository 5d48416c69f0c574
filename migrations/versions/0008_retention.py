"""participants record when the retention schedule anonymised them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. Null for everyone: nobody was anonymised before this column.
    # No index: retention reads people by status and id, pages read the row they show.
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))


def downgrade():
    # The anonymised names stay blank: a downgrade cannot bring them back.
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
