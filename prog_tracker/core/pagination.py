"""The one pagination shape: ?limit and an opaque ?cursor, answered as {items, next_cursor}."""

import base64
import binascii
import json

from flask import request
from flask_babel import lazy_gettext as _l

from prog_tracker.core.errors import validation_error

MAX_LIMIT = 500
# Rows on one page of an HTML list (pages have no ?limit).
PAGE_SIZE = 50

DEFAULT_LIMIT = 50

# Larger offsets overflow the databases' 64-bit OFFSET; no real list is that long.
MAX_OFFSET = 2**31 - 1


def page_params():
    """Read ?limit and ?cursor; returns (limit, offset)."""
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw_limit)
    except ValueError:
        raise validation_error({"limit": [_l("Must be a whole number.")]}) from None
    if limit < 1:
        raise validation_error({"limit": [_l("Must be at least 1.")]})
    limit = min(limit, MAX_LIMIT)
    return limit, decode_cursor(request.args.get("cursor"))


def decode_cursor(cursor: str | None) -> int:
    """Return the offset held in an opaque cursor."""
    if not cursor:
        return 0
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=="))
        offset = payload["o"]
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError):
        raise validation_error({"cursor": [_l("Not a valid cursor.")]}) from None
    # Only a plain integer (not Infinity, a float, a string or a bool) is ours.
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        raise validation_error({"cursor": [_l("Not a valid cursor.")]})
    return offset


def encode_cursor(offset: int) -> str:
    """Make an opaque cursor for the given offset."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def paginate(session, query, limit: int, offset: int):
    """Run query for one page; returns (rows, next_cursor)."""
    rows = list(session.scalars(query.limit(limit + 1).offset(offset)))
    next_cursor = encode_cursor(offset + limit) if len(rows) > limit else None
    return rows[:limit], next_cursor


def page_of(query, render=None, session=None) -> dict:
    """One page of query for this request as {items, next_cursor}; render maps each row."""
    from prog_tracker.extensions import db

    limit, offset = page_params()
    rows, cursor = paginate(session or db.session, query, limit, offset)
    return {"items": [render(row) for row in rows] if render else rows, "next_cursor": cursor}


def page_at(query, offset: int) -> tuple[list, str | None]:
    """One page of an HTML list from offset: (rows, the next page's cursor or None)."""
    from prog_tracker.extensions import db

    return paginate(db.session, query, PAGE_SIZE, offset)


def whole_list(items, **extra) -> dict:
    """A list short enough to answer at once, in the same envelope: {items, next_cursor}."""
    return {"items": items, **extra, "next_cursor": None}
