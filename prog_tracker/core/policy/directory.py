"""Scopes of facilities and partner organisations, and which country a user's reports count."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select

from prog_tracker.auth.models import User
from prog_tracker.core.collation import by_name
from prog_tracker.core.errors import forbidden, not_found
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.policy.actions import deny
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db


def facility_choices(user: User):
    """The facilities a user may file participants in."""
    query = select(Facility).order_by(Facility.country, by_name(Facility.name), Facility.id)
    if user.role == "officer":
        return query.where(Facility.id == user.facility_id)
    if user.role == "admin":
        return query
    return query.where(false())


def get_record(user: User, model, record_id: str):
    """Load a non-personal record by id or answer 404 (no scope beyond role)."""
    canonical = parse_uuid(record_id)
    found = db.session.get(model, canonical) if canonical else None
    if found is None:
        raise not_found()
    return found


def visible_facilities(user: User):
    """A SELECT of the facilities a user may see."""
    query = select(Facility).order_by(Facility.country, by_name(Facility.name), Facility.id)
    if user.role == "admin" or (user.role == "supervisor" and not user.country):
        return query
    if user.role == "supervisor":
        return query.where(Facility.country == user.country)
    if user.role in ("officer", "instructor"):
        return query.where(Facility.id == user.facility_id)
    # Caseworkers never receive facility internals.
    return query.where(false())


def get_facility(user: User, facility_id: str) -> Facility:
    """A facility the user may see, or 404."""
    canonical = parse_uuid(facility_id)
    found = (
        db.session.scalar(visible_facilities(user).where(Facility.id == canonical))
        if canonical
        else None
    )
    if found is None:
        deny(user, "facility.read", "facility", [canonical or "malformed"])
    return found


def report_country(user: User, asked: str | None) -> str | None:
    """The country a user's reports count: a supervisor's own (asking for another is
    403), else the one asked for (None: every country)."""
    asked = asked.upper() if asked else None
    if user.role == "supervisor" and user.country:
        if asked and asked != user.country:
            raise forbidden(_l("Your reports cover %(country)s only.", country=user.country))
        return user.country
    return asked


def visible_organisations(user: User):
    """A SELECT of partner organisations: the directory is open to every role."""
    return select(Organisation).order_by(
        Organisation.country, by_name(Organisation.name), Organisation.id
    )
