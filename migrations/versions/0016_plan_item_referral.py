"""release plan items keep the referral they follow

The NGO referral item of a release plan follows the person's referrals (done once
one is accepted) and links to the one it follows.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. The column is a reference only; existing NGO referral items
    # are linked to the person's leading open referral (accepted first, then the
    # newest), and an open item whose referral is accepted is marked done, as the
    # services do from now on (release/plan_referrals.py). Other statuses stay as
    # people set them.
    with op.batch_alter_table("release_plan_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referral_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            "fk_release_plan_items_referral_id_referrals", "referrals", ["referral_id"], ["id"]
        )
    connection = op.get_bind()
    leads = connection.execute(
        sa.text(
            "SELECT participant_id, id, status, responded_at FROM referrals "
            "WHERE status IN ('pending', 'accepted') "
            "ORDER BY participant_id, CASE WHEN status = 'accepted' THEN 0 ELSE 1 END, "
            "created_at DESC, id DESC"
        )
    )
    seen = set()
    for participant_id, referral_id, status, responded_at in leads:
        if participant_id in seen:
            continue
        seen.add(participant_id)
        connection.execute(
            sa.text(
                "UPDATE release_plan_items SET referral_id = :referral "
                "WHERE participant_id = :person AND kind = 'ngo_referral'"
            ),
            {"referral": referral_id, "person": participant_id},
        )
        if status == "accepted":
            connection.execute(
                sa.text(
                    "UPDATE release_plan_items SET status = 'done', completed_on = :day, "
                    "version = version + 1 "
                    "WHERE participant_id = :person AND kind = 'ngo_referral' "
                    "AND status IN ('todo', 'in_progress')"
                ),
                {"day": _day(responded_at), "person": participant_id},
            )


def _day(moment):
    """The date of a stored timestamp (SQLite hands back text)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        return moment[:10]
    return moment.date()


def downgrade():
    with op.batch_alter_table("release_plan_items", schema=None) as batch_op:
        batch_op.drop_constraint("fk_release_plan_items_referral_id_referrals", type_="foreignkey")
        batch_op.drop_column("referral_id")
