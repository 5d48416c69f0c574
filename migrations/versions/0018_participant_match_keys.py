"""the matcher's tables: blocking keys per person, pairs marked not the same person

participant_match_keys holds a few short keys per person (name consonants with
the birth year, the given/family pair, the prison number), indexed by key, so
likely duplicates are found among people sharing a key instead of everyone.
Keys of existing people are written here, in keyset batches.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-20

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand: two new tables, then the keys of everyone not anonymised.
    op.create_table(
        "participant_match_keys",
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_match_keys_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", "key", name=op.f("pk_participant_match_keys")),
    )
    with op.batch_alter_table("participant_match_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_match_keys_key"), ["key"], unique=False)
    op.create_table(
        "participant_not_duplicates",
        sa.Column("a_id", sa.String(length=36), nullable=False),
        sa.Column("b_id", sa.String(length=36), nullable=False),
        sa.Column("marked_by_id", sa.String(length=36), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["a_id"],
            ["participants.id"],
            name=op.f("fk_participant_not_duplicates_a_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["b_id"],
            ["participants.id"],
            name=op.f("fk_participant_not_duplicates_b_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"],
            ["users.id"],
            name=op.f("fk_participant_not_duplicates_marked_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("a_id", "b_id", name=op.f("pk_participant_not_duplicates")),
    )
    with op.batch_alter_table("participant_not_duplicates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_not_duplicates_b_id"), ["b_id"], unique=False
        )
    # The key rules live in one place (participants/matching/keys.py).
    from prog_tracker.participants.matching.keys import fill_match_keys

    fill_match_keys(op.get_bind())


def downgrade():
    with op.batch_alter_table("participant_not_duplicates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_not_duplicates_b_id"))
    op.drop_table("participant_not_duplicates")
    with op.batch_alter_table("participant_match_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_match_keys_key"))
    op.drop_table("participant_match_keys")
