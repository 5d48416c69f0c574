"""Each facility's local day, read once per request.

Consent expiry (SPEC §3) and follow-up statuses are judged on the date at the
person's facility, so the scopes that depend on them need every facility's
"today". It is read per request, never kept across requests: a facility's
time zone may change between requests, and so may its day.
"""

from flask import g, has_request_context
from sqlalchemy import select

from prog_tracker.core.dates import today_at
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db


def facility_days() -> dict:
    """facility id -> today's date there (read once per request)."""
    if not has_request_context():
        return _read_facility_days()
    if "facility_days" not in g:
        g.facility_days = _read_facility_days()
    return g.facility_days


def _read_facility_days() -> dict:
    """Each facility's local date now (its id and time zone only: no ORM objects)."""
    rows = db.session.execute(select(Facility.id, Facility.timezone))
    return {row.id: today_at(row) for row in rows}


def facility_day_groups(days: dict | None = None) -> tuple:
    """((day, (facility ids…)), …) in a stable order: a key for the caseworker scope.

    days: facility id -> date, for a scope judged on other days than today
    (`send-reminders --now`); default: each facility's today.
    """
    by_day: dict = {}
    for facility_id, day in (facility_days() if days is None else days).items():
        by_day.setdefault(day, []).append(facility_id)
    return tuple(sorted((day, tuple(sorted(ids))) for day, ids in by_day.items()))
