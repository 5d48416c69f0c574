"""Pull cursors: opaque random tokens naming what a device holds after a pull.

What a cursor says the device holds is written once and never changed, so
repeating a pull whose answer was lost gives the same answer again. It is refused (410
`cursor_expired`) when the server no longer keeps it, when it belongs to
someone else, or when the user's role, facility, organisation or country
changed after it was issued; the device then pulls its whole scope again.
"""

import json
import re
import secrets
import uuid
import zlib
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from prog_tracker.core.errors import ApiError, validation_error
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.sync.models import SyncCursor

CURSOR_FORMAT = re.compile(r"[A-Za-z0-9_-]{43}")
REACH = ("role", "facility_id", "organisation_id", "country")


def expired() -> ApiError:
    """The 410 that tells a device to pull its whole scope again."""
    return ApiError(
        410, "cursor_expired", _l("This sync cursor has expired; pull everything again.")
    )


def load_cursor(user, token: str | None) -> SyncCursor | None:
    """The cursor a pull continues from (None: a first pull), or 410 / 422."""
    if not token:
        return None
    if not CURSOR_FORMAT.fullmatch(token):
        raise validation_error({"cursor": [_l("Not a valid cursor.")]})
    cursor = db.session.get(SyncCursor, token)
    if cursor is None or cursor.user_id != user.id or _too_old(cursor):
        raise expired()
    if any(getattr(cursor, name) != getattr(user, name) for name in REACH):
        raise expired()
    return cursor


def _too_old(cursor: SyncCursor) -> bool:
    """True when the cursor is older than the server keeps cursors."""
    return cursor.issued_at < utcnow() - _lifetime()


def _lifetime() -> timedelta:
    """How long a cursor stays usable."""
    return timedelta(days=int(current_app.config["SYNC_CURSOR_DAYS"]))


def holdings_of(cursor: SyncCursor | None) -> dict:
    """{entity: {id: tag}} that the cursor says the device holds."""
    if cursor is None:
        return {}
    return json.loads(zlib.decompress(cursor.holdings))


def issue_cursor(user, parent: SyncCursor | None, holdings: dict, read_at) -> str:
    """Store the next cursor of the device's line and forget what is no longer needed.

    read_at: when the scope it records began to be read (its `issued_at`).
    """
    lineage = parent.lineage_id if parent is not None else str(uuid.uuid4())
    seq = parent.seq + 1 if parent is not None else 1
    packed = zlib.compress(json.dumps(holdings, separators=(",", ":")).encode(), 1)
    cursor = SyncCursor(
        id=secrets.token_urlsafe(32),
        lineage_id=lineage,
        seq=seq,
        user_id=user.id,
        issued_at=read_at,
        holdings=packed,
        held_count=sum(len(ids) for ids in holdings.values()),
        **{name: getattr(user, name) for name in REACH},
    )
    db.session.add(cursor)
    _prune(lineage, seq)
    return cursor.id


def keep_cursor(cursor: SyncCursor, read_at) -> str:
    """Answer a pull that found nothing new with its own cursor, renewed: a device
    that polls an unchanged scope writes no new snapshot, and its cursor stays alive."""
    cursor.issued_at = read_at
    return cursor.id


def _prune(lineage: str, seq: int) -> None:
    """Drop the line's cursors older than the parent (the device moved past them; the
    parent stays so a lost answer can be asked for again) and every expired cursor."""
    db.session.execute(
        delete(SyncCursor).where(SyncCursor.lineage_id == lineage, SyncCursor.seq < seq - 1)
    )
    db.session.execute(delete(SyncCursor).where(SyncCursor.issued_at < utcnow() - _lifetime()))
