"""Creating and changing facilities and organisations (admins)."""

from prog_tracker.core import audit, creates, events, policy
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.pagination import paginate
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db

# Records per page of the admin's lists (the JSON lists take ?limit instead).
PAGE_SIZE = 50


def facilities_page(actor, offset: int) -> tuple[list, str | None]:
    """One page of the facilities the actor may see, in the JSON list's order; next cursor."""
    return paginate(db.session, policy.visible_facilities(actor), PAGE_SIZE, offset)


def organisations_page(actor, offset: int) -> tuple[list, str | None]:
    """One page of the partner organisations, in the JSON list's order; next cursor."""
    return paginate(db.session, policy.visible_organisations(actor), PAGE_SIZE, offset)


def create_entry(actor, model, data: dict):
    """Create a facility or organisation (a replay of the same create answers the first)."""
    create = _create_facility if model is Facility else _create_organisation
    return create(actor, model, data)


@creates.replayable("facility", "facilities.create")
def _create_facility(actor, model, data: dict) -> Facility:
    """Create a facility."""
    return _create_entry(actor, model, "facility", data)


@creates.replayable("organisation", "organisations.create")
def _create_organisation(actor, model, data: dict) -> Organisation:
    """Create a partner organisation."""
    return _create_entry(actor, model, "organisation", data)


def _create_entry(actor, model, entity: str, data: dict):
    """Create a facility or organisation, entity naming which in the receipts."""
    action = f"{model.__tablename__}.create"
    policy.require(actor, "directory.manage")
    claim = creates.claim(actor, entity, data, action)
    if claim.earlier is not None:
        return claim.earlier
    record = model(**data)
    claim.keep(record)
    db.session.add(record)
    db.session.flush()
    audit.record(
        f"{model.__tablename__}.create", model.__tablename__, [record.id], actor_id=actor.id
    )
    db.session.commit()
    return record


def update_entry(actor, record, data: dict):
    """Change a facility or organisation, refusing stale versions."""
    policy.require(actor, "directory.manage")
    check_version(record, data.pop("version", None))
    new_zone = "timezone" in data and data["timezone"] != getattr(record, "timezone", None)
    for key, value in data.items():
        setattr(record, key, value)
    if new_zone:
        # Follow-ups of its people are judged on the facility's calendar.
        db.session.flush()
        events.facility_calendar_changed.send(record.id, connection=db.session.connection())
    audit.record(
        f"{record.__tablename__}.update", record.__tablename__, [record.id], actor_id=actor.id
    )
    commit_or_conflict(record)
    return record
