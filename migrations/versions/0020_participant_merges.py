"""participant merges: tombstones and the merges table

A merged person keeps their row as a tombstone (`merged_into_id`, `merged_at`),
so old links redirect to the survivor; `participant_merges` records each merge
with the snapshot its undo restores (SPEC §12).

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-20

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
# Issue 22's other migrations (0018 matching, 0019 import) are built in parallel: the
# lead chains this one after 0019 when the three branches meet.
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand: two nullable columns (nobody is merged yet) and a new table.
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("merged_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_participants_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_participants_merged_into_id_participants"),
            "participants",
            ["merged_into_id"],
            ["id"],
        )
    op.create_table(
        "participant_merges",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("into_id", sa.String(length=36), nullable=False),
        sa.Column("merged_by_id", sa.String(length=36), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by_id", sa.String(length=36), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["into_id"], ["participants.id"], name=op.f("fk_participant_merges_into_id_participants")
        ),
        sa.ForeignKeyConstraint(
            ["merged_by_id"], ["users.id"], name=op.f("fk_participant_merges_merged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["participants.id"],
            name=op.f("fk_participant_merges_source_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["users.id"], name=op.f("fk_participant_merges_undone_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_merges")),
    )
    with op.batch_alter_table("participant_merges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_merges_into_id"), ["into_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participant_merges_source_id"), ["source_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("participant_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_merges_source_id"))
        batch_op.drop_index(batch_op.f("ix_participant_merges_into_id"))
    op.drop_table("participant_merges")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_participants_merged_into_id_participants"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_participants_merged_into_id"))
        batch_op.drop_column("merged_at")
        batch_op.drop_column("merged_into_id")
