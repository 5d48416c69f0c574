"""reference data in every language: trades, skills, qualifications, cohorts and
organisations get their names per language

Each keeps its default `name` (or `title`) and gains a JSON map of names by
language code (`names` / `titles`), empty for the rows already stored, so every
reader sees the default until someone adds a translation.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

COLUMNS = (
    ('trades', 'names'),
    ('organisations', 'names'),
    ('skills', 'titles'),
    ('qualifications', 'titles'),
    ('cohorts', 'titles'),
)


def upgrade():
    # Reviewed by hand. The server default fills the rows already there; the models
    # give new rows {} themselves, so the default is dropped again afterwards.
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(column, sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, server_default=None)


def downgrade():
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
