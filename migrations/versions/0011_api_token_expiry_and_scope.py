"""API tokens get a scope (read, sync or full) and an expiry

Tokens already issued keep working for 90 days from the upgrade, whatever
their age, so no integration stops on upgrade day and every owner has the same
known window to replace theirs. Their scope is the widest their owner may
still be given: `full` for admins and supervisors, `sync` for everyone else
(reads, sync push and push subscriptions).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# Kept here, not imported: a migration must not change when the app's rules do.
GRACE_DAYS = 90
FULL_SCOPE_ROLES = ('admin', 'supervisor')


def upgrade():
    # Reviewed by hand. Added nullable, filled, then made NOT NULL: batch mode
    # rebuilds the table on SQLite and alters it in place on PostgreSQL.
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    tokens = sa.table(
        'api_tokens', sa.column('user_id'), sa.column('scope'), sa.column('expires_at')
    )
    users = sa.table('users', sa.column('id'), sa.column('role'))
    managers = sa.select(users.c.id).where(users.c.role.in_(FULL_SCOPE_ROLES))
    # Stored as naive UTC, like every UTCDateTime column.
    expires_at = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=GRACE_DAYS)
    op.execute(
        tokens.update().values(
            scope=sa.case((tokens.c.user_id.in_(managers), 'full'), else_='sync'),
            expires_at=expires_at,
        )
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('scope', existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scope')
