"""participants' search text recomputed by the current folding rules

Kazakh һ now folds to "h" (and keeps "kh"), Ukrainian/Tatar letters with marks
(ї, ӧ, ӓ…) to their base letter: text stored before that is recomputed, so
every person is found by today's rules. Data only; no schema change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. The folding lives in one place (core/text.py); the
    # service applies it to plain rows in keyset batches.
    from prog_tracker.participants.services import refresh_search_text_everywhere

    refresh_search_text_everywhere(op.get_bind())


def downgrade():
    # The stored text is derived: the newer folding finds everything the older did.
    pass
