"""Reviewing the audit trail (SPEC §4): who read or changed which record, and why.

Who sees which events: an admin sees every event. A supervisor sees the events
about people in their scope (`AuditEvent.participant_id` within
`policy.visible_participants`) and their own actions, nothing else: list reads
by others (which name many people, some perhaps outside their country) and
events about no person (users, facilities) stay hidden, so the log tells a
supervisor nothing about people outside their scope. Events hold ids and
action names only; the pages resolve display names at render time, and only
those the viewer may see.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Text, and_, cast, or_

from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.bidi import printable_name
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.participants.names import sorted_name
from prog_tracker.participants.services import audit_list_read, search_participants

FILTERS = ("participant_id", "actor_id", "action", "outcome", "reason_code", "from_", "to")
# People offered as the log's person filter, found by name or number.
PEOPLE_FOUND = 10


@dataclass
class EventPage:
    """One page of events, newest first, and the cursor to the next one."""

    events: list
    next_cursor: int | None


def about_person(participant_id: str):
    """Events about one person: those naming them (`participant_id`, set since migration
    0009), and reads that list them among others or predate the column."""
    # participant_id is a validated UUID (hex and dashes): no LIKE wildcard in it.
    listed = and_(
        AuditEvent.participant_id.is_(None),
        AuditEvent.entity == "participant",
        cast(AuditEvent.entity_ids, Text).like(f'%"{participant_id}"%'),
    )
    return or_(AuditEvent.participant_id == participant_id, listed)


def filtered_events(user: User, filters: dict):
    """The user's visible events narrowed by the filters of the API and the page."""
    query = policy.visible_audit_events(user)
    if filters.get("participant_id"):
        query = query.where(about_person(filters["participant_id"]))
    for name in ("actor_id", "action", "outcome", "reason_code"):
        if filters.get(name):
            query = query.where(getattr(AuditEvent, name) == filters[name])
    if filters.get("from_"):
        query = query.where(AuditEvent.at >= _midnight(filters["from_"]))
    if filters.get("to") and filters["to"] < dt.date.max:  # the last day has no morrow
        query = query.where(AuditEvent.at < _midnight(filters["to"] + dt.timedelta(days=1)))
    return query


def _midnight(day: dt.date) -> dt.datetime:
    """The start of a day in UTC (the trail's clock)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def review_events(user: User, filters: dict, limit: int, before_id: int = 0) -> EventPage:
    """One page of events, newest first, after the event id the cursor holds; audited.

    The cursor is the last id shown, not an offset: reading the log adds events
    to it, and an offset would then show the same events again on the next page.
    """
    query = filtered_events(user, filters)
    if before_id:
        query = query.where(AuditEvent.id < before_id)
    rows = list(db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit + 1)))
    events, more = rows[:limit], len(rows) > limit
    audit.record(
        "audit.read",
        "audit_event",
        [event.id for event in events],
        actor_id=user.id,
        participant_id=filters.get("participant_id"),
    )
    db.session.commit()
    return EventPage(events, events[-1].id if more else None)


def actor_names(user: User, events) -> dict:
    """Display names of the events' actors that the user may see, by id."""
    ids = {event.actor_id for event in events if event.actor_id}
    if not ids:
        return {}
    rows = db.session.scalars(policy.visible_staff(user).where(User.id.in_(ids)))
    return {row.id: printable_name(row.display_name) for row in rows}


def person_names(user: User, events) -> dict:
    """Names of the people the events are about that the user may see, by id; the
    names shown are audited as one list-like read."""
    ids = {event.participant_id for event in events if event.participant_id}
    if not ids:
        return {}
    scope = policy.visible_participants(user).where(Participant.id.in_(ids))
    people = list(db.session.scalars(scope))
    if people:
        audit.record_list(user, "participant.list", "participant", [p.id for p in people])
    return {p.id: sorted_name(p) for p in people}


def staff_choices(user: User) -> list[tuple[str, str]]:
    """(id, display name) of the staff the user may pick as the actor filter."""
    return [
        (row.id, printable_name(row.display_name))
        for row in db.session.scalars(policy.visible_staff(user))
    ]


def people_found(user: User, person_q: str) -> list:
    """People in the user's scope whose name or number matches, to pick as the filter;
    the search is audited (also when it finds nobody)."""
    if not person_q:
        return []
    query = search_participants(user, q=person_q[:200]).limit(PEOPLE_FOUND)
    people = list(db.session.scalars(query))
    audit_list_read(user, people, "participant.search")
    return people


def give_reason(user: User, auth_session, participant_id: str, reason_code: str) -> None:
    """Keep the reason picked for one person's pages in this session, and audit it."""
    policy.reasons.grant_reason(auth_session, participant_id, reason_code)
    audit.record(
        "access_reason.give",
        "participant",
        [participant_id],
        actor_id=user.id,
        reason_code=reason_code,
    )
    db.session.commit()
