"""users' TOTP secrets encrypted at rest

The plain users.totp_secret (String(64)) becomes users.totp_secret_encrypted
(String(255)): AES-256-GCM with the MFA key (PROG_TRACKER_MFA_KEY or the
instance's mfa_key file), bound to the user's id. Every existing secret is
encrypted here; the downgrade decrypts them back. Both need the key.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from prog_tracker.core.secrets_at_rest import SecretUnreadable, is_sealed, seal, unseal

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BATCH = 500
# auth/mfa.py PURPOSE, kept here: stored values must not change when the app's names do.
PURPOSE = 'totp-secret'
users = sa.table(
    'users',
    sa.column('id', sa.String),
    sa.column('totp_secret', sa.String),
    sa.column('totp_secret_encrypted', sa.String),
)


def upgrade():
    # Reviewed by hand. Add, fill, drop rather than alter: on SQLite altering a column
    # rebuilds the table, which the foreign keys to users forbid.
    _move('totp_secret', 'totp_secret_encrypted', sa.String(length=255), _sealed)


def downgrade():
    _move('totp_secret_encrypted', 'totp_secret', sa.String(length=64), _plain)


def _move(source: str, target: str, target_type, convert) -> None:
    """Fill target with convert(row, key) of each source value, then drop source. Safe to
    run again after an interrupted run (SQLite's DDL does not roll back)."""
    present = {column['name'] for column in sa.inspect(op.get_bind()).get_columns('users')}
    if source not in present:
        return
    key = _key_for(users.c[source])
    if target not in present:
        op.add_column('users', sa.Column(target, target_type, nullable=True))
    _copy(users.c[source], users.c[target], lambda row: convert(row, key))
    op.drop_column('users', source)


def _key_for(column) -> str:
    """The MFA key, checked before any change when there are secrets to convert."""
    key = current_app.config.get('MFA_KEY') or ''
    bind = op.get_bind()
    if not key and bind.scalar(sa.select(sa.func.count()).where(column.is_not(None))):
        raise RuntimeError(
            'PROG_TRACKER_MFA_KEY is not set; run `prog-tracker init` or set it, then migrate'
        )
    return key


def _copy(source, target, convert) -> None:
    """Write convert(row) into target for every row with a source value, in keyset batches."""
    bind = op.get_bind()
    last_id = ''
    while rows := bind.execute(
        sa.select(users.c.id, source.label('value'))
        .where(users.c.id > last_id, source.is_not(None))
        .order_by(users.c.id)
        .limit(BATCH)
    ).all():
        last_id = rows[-1].id
        bind.execute(
            users.update()
            .where(users.c.id == sa.bindparam('uid'))
            # The source is blanked in the same write: PostgreSQL's DROP COLUMN only
            # hides a column, and its rows would keep the plaintext secrets.
            .values({target: sa.bindparam('new'), source: None}),
            [{'uid': row.id, 'new': convert(row)} for row in rows],
        )


def _sealed(row, key: str) -> str:
    """The secret encrypted; one already in the encrypted format is never encrypted twice."""
    return row.value if is_sealed(row.value) else seal(key, PURPOSE, row.value, row.id)


def _plain(row, key: str) -> str:
    """The secret decrypted; one that does not decrypt stops the downgrade (id only)."""
    if not is_sealed(row.value):
        return row.value
    try:
        return unseal(key, PURPOSE, row.value, row.id)
    except SecretUnreadable:
        raise RuntimeError(
            f'the TOTP secret of user {row.id} does not decrypt with PROG_TRACKER_MFA_KEY'
        ) from None
