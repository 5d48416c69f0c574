"""release-date changes made by the system name no user

`prog-tracker import participants` acts as the system (no user row), and an
imported register may set or move expected release dates: their history rows
then have no `changed_by_id`.

Revision ID: 0019
Revises: 0017 (0018 once issue 22's matcher branch is merged before this one)
Create Date: 2026-12-20

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand: only the NOT NULL goes; the foreign key stays.
    with op.batch_alter_table("release_date_changes", schema=None) as batch_op:
        batch_op.alter_column("changed_by_id", existing_type=sa.String(length=36), nullable=True)


def downgrade():
    # Rows the system wrote have no user to name: they cannot be kept under NOT NULL.
    op.execute("DELETE FROM release_date_changes WHERE changed_by_id IS NULL")
    with op.batch_alter_table("release_date_changes", schema=None) as batch_op:
        batch_op.alter_column("changed_by_id", existing_type=sa.String(length=36), nullable=False)
