"""participants' prison numbers folded into a search column of their own

Search by prison number is for the roles that receive prison numbers; a
caseworker's search matches names only (SPEC §3). The number leaves
search_text and gets number_search_text; both are recomputed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. Blank for everyone first (anonymised people stay blank), then
    # filled in keyset batches by the one folding rule (core/text.py).
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('number_search_text', sa.Text(), nullable=False, server_default='')
        )
    from prog_tracker.participants.services import (
        refresh_number_search_text_everywhere,
        refresh_search_text_everywhere,
    )

    connection = op.get_bind()
    refresh_search_text_everywhere(connection)
    refresh_number_search_text_everywhere(connection)


def downgrade():
    # search_text finds names only from now on; an older release also looked for the
    # number there, so put it back in the stored text before dropping the column.
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE participants SET search_text = search_text || ' | ' || number_search_text"
            " WHERE number_search_text <> ''"
        )
    )
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('number_search_text')
