"""follow-ups keep the contact that meets each one; a facility's people by id from an index

Both serve the indicators at national scale.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. met_contact_id is derived data (followups.refresh_met keeps
    # it); the new index starts with the columns of the one it replaces, so every
    # lookup the old one served is still served, and it covers what
    # follow_up_compliance_rate reads.
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("met_contact_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            "fk_follow_ups_met_contact_id_contacts", "contacts", ["met_contact_id"], ["id"]
        )
        batch_op.drop_index("ix_follow_ups_participant_due")
        batch_op.create_index(
            "ix_follow_ups_participant_due_met",
            ["participant_id", "due_on", "window_days", "met_contact_id"],
            unique=False,
        )
    # Every report's scope is "people held in these facilities": with the id in the
    # index, that list of ids is read from the index alone instead of one table
    # row per person (for a country of 40,000 people, on every indicator). The
    # unique (facility_id, prison_number) index still serves lookups by facility.
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_facility_id")
        batch_op.create_index(
            "ix_participants_facility_person", ["facility_id", "id"], unique=False
        )
    # Fill it for the follow-ups already there, by the same rule the services use.
    from prog_tracker.release.followups import refresh_met_everywhere

    refresh_met_everywhere(op.get_bind())


def downgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_facility_person")
        batch_op.create_index("ix_participants_facility_id", ["facility_id"], unique=False)
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_participant_due_met")
        batch_op.create_index(
            "ix_follow_ups_participant_due", ["participant_id", "due_on"], unique=False
        )
        batch_op.drop_constraint("fk_follow_ups_met_contact_id_contacts", type_="foreignkey")
        batch_op.drop_column("met_contact_id")
