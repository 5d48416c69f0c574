"""The caseload in the API's JSON shape (CaseloadPageSchema), built by hand: it is hot.

The dicts are exactly what the marshmallow schemas would dump (a test holds the
participant part to ParticipantSchema), without their per-field machinery.
"""

import datetime as dt

from flask import jsonify
from marshmallow import fields

from prog_tracker.auth.models import User
from prog_tracker.core.models import isoformat_z
from prog_tracker.core.pagination import encode_cursor
from prog_tracker.participants.schemas import ParticipantSchema, hide_custody_details
from prog_tracker.release.followups import window_of


def page_response(rows: list[dict], viewer: User, limit: int, offset: int):
    """One page of caseload rows as the JSON response."""
    page = rows[offset : offset + limit]
    more = len(rows) > offset + limit
    return jsonify(
        {
            "items": [_item(row, viewer) for row in page],
            "next_cursor": encode_cursor(offset + limit) if more else None,
        }
    )


def _item(row: dict, viewer: User) -> dict:
    """A caseload row in the API's shape (CaseloadItemSchema)."""
    follow_up = row["next_follow_up"]
    referral = row["referral"]
    return {
        "participant": participant_json(row["participant"], viewer),
        "referral_id": referral.id if referral is not None else None,
        "assigned_to_me": row["assigned_to_me"],
        "next_follow_up": _follow_up(follow_up, row["next_follow_up_status"])
        if follow_up
        else None,
        "last_contact_at": isoformat_z(row["last_contact_at"]),
        "overdue": row["overdue"],
    }


def participant_json(person, viewer: User) -> dict:
    """What ParticipantSchema dumps for viewer (no custody details for caseworkers), faster.

    person: a Participant, or a caseload PersonView (its row holds the shown
    columns first, in the schema's order)."""
    row = getattr(person, "row", None)
    if row is not None:
        values = row  # a row: read by position, the schema's fields first
    else:
        loaded = person.__dict__  # the loaded columns, read without the ORM's descriptors
        values = [loaded[n] if n in loaded else getattr(person, n) for n, _ in PARTICIPANT_FIELDS]
    shown = {
        name: convert(value) if convert is not None and value is not None else value
        for (name, convert), value in zip(PARTICIPANT_FIELDS, values, strict=False)
    }
    return hide_custody_details(shown, viewer)


def _json_converters() -> tuple:
    """(field, converter or None) for each field ParticipantSchema shows, in its order."""
    converters = []
    for name, field in ParticipantSchema().fields.items():
        if isinstance(field, fields.DateTime):
            converters.append((name, isoformat_z))
        elif isinstance(field, fields.Date):
            converters.append((name, dt.date.isoformat))
        else:
            converters.append((name, None))
    return tuple(converters)


PARTICIPANT_FIELDS = _json_converters()


def _follow_up(follow_up, status: str) -> dict:
    """The next follow-up with its window and status (NextFollowUpSchema)."""
    opens, closes = window_of(follow_up)
    return {
        "id": follow_up.id,
        "episode_id": follow_up.episode_id,
        "sequence": follow_up.sequence,
        "due_on": follow_up.due_on.isoformat(),
        "window_days": follow_up.window_days,
        "opens_on": opens.isoformat(),
        "closes_on": closes.isoformat(),
        "status": status,
    }
