"""The caseload: the caller's people after release, the most urgent first.

Built for speed, with the same few queries whatever the caseload's size: the
people in scope (the policy's query, with each person's facility time zone,
last successful contact and the accepted referral behind the row as columns),
the follow-ups of their open release episodes, and the successful contacts
inside the windows open today. Rows are read as plain rows, not ORM objects.
Statuses come from `followups.status_on`, called only for the follow-ups whose
window is open today: before its window a follow-up is `upcoming`, after it
`met` or `missed` — nothing left to do either way. The read is audited once,
with the ids of the people listed.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, or_, select

from prog_tracker.aftercare.models import Contact
from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.core.collation import name_sorter
from prog_tracker.core.dates import today_at
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.participants.schemas import ParticipantSchema
from prog_tracker.partners.models import Referral
from prog_tracker.release.followups import FAILED, schedule, status_on
from prog_tracker.release.models import FollowUp, ReleaseEpisode

# Follow-up statuses still to act on; the first of them is the person's next follow-up.
OPEN_STATUSES = ("overdue", "due", "upcoming")
# People per query: a long caseload (an admin's) is read in batches of this many ids.
ID_BATCH = 1000
# The participant columns the API shows, in ParticipantSchema's order.
SHOWN = tuple(ParticipantSchema().fields)


class FacilityView(NamedTuple):
    """A person's facility as the caseload needs it: its time zone."""

    id: str
    timezone: str | None


class ReferralView(NamedTuple):
    """The accepted referral behind a caseload row."""

    id: str
    assigned_caseworker_id: str | None


@dataclass(slots=True)
class PersonView:
    """A participant as read for the caseload: the row's shown columns (read through
    it, by name or in SHOWN order) and the facility (what status_on and pages read)."""

    row: Any
    facility: FacilityView

    def __getattr__(self, name: str):
        """A column of the row."""
        return getattr(self.row, name)


@dataclass(slots=True)
class EpisodeView:
    """The release episode a follow-up belongs to (what `status_on` reads)."""

    id: str
    participant_id: str
    released_on: dt.date
    returned_on: dt.date | None
    participant: PersonView


@dataclass(slots=True)
class FollowUpView:
    """A follow-up as read for the caseload: the FollowUp's columns, read-only."""

    id: str
    episode_id: str
    participant_id: str
    sequence: int
    offset_days: int
    due_on: dt.date
    window_days: int
    episode: EpisodeView
    opens_on: dt.date


def caseload(actor: User, day: dt.date | None = None) -> list[dict]:
    """The actor's people with their next follow-up, last contact and urgency, sorted:
    assigned to me first, overdue first, next follow-up due, oldest last contact.

    Caseworkers: the people they see (accepted referral and active consent).
    Officers, supervisors, admins: released people in their scope. `day`
    defaults to today at each person's facility. Audited once (and committed).
    """
    actor = user_of(actor)
    policy.require(actor, "caseload.read")
    found = _connection().execute(_people_statement(*_scope(actor))).all()
    rows = _rows(actor, found, day) if found else []
    audit.record("caseload.read", "participant", [r["participant"].row.id for r in rows], actor.id)
    _commit_keeping_loaded()
    return rows


def user_of(user):
    """The user behind Flask-Login's proxy (which costs a lookup per attribute read)."""
    return getattr(user, "_get_current_object", lambda: user)()


def _commit_keeping_loaded() -> None:
    """Commit the audit event without expiring what the session holds (the signed-in
    user), so rendering the answer costs no further query."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _scope(actor: User) -> tuple:
    """(the policy's scope, the organisation whose referrals count, released only?)."""
    organisation_id = policy.own_organisation(actor)
    return policy.visible_participants(actor), organisation_id, organisation_id is None


@lru_cache(maxsize=256)
def _people_statement(scope, organisation_id: str | None, released_only: bool):
    """The people of a scope as rows: the shown columns, then the facility's time zone,
    the last successful contact and the accepted referral (id, assignee).

    Keyed by the policy's statement, which is one object per distinct scope.
    """
    statement = scope.with_only_columns(
        *(Participant.__table__.c[name] for name in SHOWN),
        _correlated(select(Facility.timezone).where(Facility.id == Participant.facility_id)).label(
            "facility_timezone"
        ),
        _correlated(_last_contact()).label("last_contact_at"),
        _correlated(_referral(Referral.id, organisation_id)).label("referral_id"),
        _correlated(_referral(Referral.assigned_caseworker_id, organisation_id)).label(
            "assigned_caseworker_id"
        ),
    )
    return statement.where(Participant.status == "released") if released_only else statement


def _correlated(query):
    """A one-value subquery per person."""
    return query.correlate(Participant).scalar_subquery()


def _last_contact():
    """The moment of the person's last successful contact (walking their contacts
    newest first in the index, so it stops at the first one)."""
    return (
        select(Contact.occurred_at)
        .where(Contact.participant_id == Participant.id, Contact.mode != FAILED)
        .order_by(Contact.occurred_at.desc())
        .limit(1)
    )


def _referral(column, organisation_id: str | None):
    """A column of the person's latest accepted referral (of the organisation, if named)."""
    query = (
        select(column)
        .where(Referral.participant_id == Participant.id, Referral.status == "accepted")
        .order_by(Referral.responded_at.desc(), Referral.created_at.desc())
        .limit(1)
    )
    if organisation_id is not None:
        query = query.where(Referral.organisation_id == organisation_id)
    return query


def _rows(actor: User, found: list, day: dt.date | None) -> list[dict]:
    """One sorted caseload row per person."""
    people = _people(found)
    days = _days(people, day)
    follow_ups = _open_follow_ups(people, days)
    contacts = _contacts_in_open_windows(follow_ups, days)
    rows = []
    for person in people:
        pid = person.row.id
        rows.append(_row(actor, person, follow_ups[pid], contacts[pid], days[pid]))
    names = name_sorter()  # the reader's alphabet, found once for the whole sort
    rows.sort(key=lambda row: _urgency(row, names))
    return rows


def _people(found: list) -> list[PersonView]:
    """The rows as PersonViews, sharing one FacilityView per facility."""
    facilities: dict = {}
    people = []
    for row in found:
        facility = facilities.get(row.facility_id)
        if facility is None:
            facility = FacilityView(row.facility_id, row.facility_timezone)
            facilities[row.facility_id] = facility
        people.append(PersonView(row, facility))
    return people


def _connection():
    """The session's connection: the caseload reads rows, not objects, so it skips the
    ORM session's per-statement work."""
    return db.session.connection()


def _run(statement, ids: list, **params) -> list:
    """Run a statement over the people's ids, in batches the databases accept."""
    connection = _connection()
    found = []
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        found.extend(connection.execute(statement, {"ids": batch, **params}).all())
    return found


def _days(people: list, day: dt.date | None) -> dict:
    """participant_id -> the day the caseload is judged on (today at their facility)."""
    if day is not None:
        return {person.row.id: day for person in people}
    today = policy.facility_days()
    return {p.row.id: today.get(p.facility.id) or today_at(p.facility) for p in people}


def _contacts_in_open_windows(follow_ups: dict, days: dict) -> defaultdict:
    """participant_id -> their successful contacts since the earliest window open today,
    read only for the people with a window open today (only they need a status)."""
    opening = {}
    for participant_id, rows in follow_ups.items():
        opened = [f.opens_on for f in rows if f.opens_on <= days[participant_id]]
        if opened:
            opening[participant_id] = min(opened)
    if not opening:
        return defaultdict(list)
    return _contacts_since(list(opening), min(opening.values()))


def _row(actor, person, follow_ups, contacts, today) -> dict:
    """The caseload row of one person (follow-ups: those whose window has not closed)."""
    next_follow_up, next_status, overdue = None, None, False
    for follow_up in follow_ups:
        if today < follow_up.opens_on:
            status = "upcoming"  # no contact can meet it before its window opens
        else:
            status = status_on(follow_up, contacts, today)[0]
        overdue = overdue or status == "overdue"
        if next_follow_up is None and status in OPEN_STATUSES:
            next_follow_up, next_status = follow_up, status
    row = person.row
    referral = None
    if row.referral_id is not None:
        referral = ReferralView(row.referral_id, row.assigned_caseworker_id)
    return {
        "participant": person,
        "referral": referral,
        "assigned_to_me": referral is not None and referral.assigned_caseworker_id == actor.id,
        "next_follow_up": next_follow_up,
        "next_follow_up_status": next_status,
        "last_contact_at": row.last_contact_at,
        "overdue": overdue,
    }


def _urgency(row: dict, names) -> tuple:
    """Sort key: mine, overdue, soonest follow-up, longest without contact, then name
    (`names`: the reader's name_sorter)."""
    follow_up = row["next_follow_up"]
    last = row["last_contact_at"]
    person = row["participant"].row
    return (
        not row["assigned_to_me"],
        not row["overdue"],
        follow_up.due_on if follow_up is not None else dt.date.max,
        last is not None,
        last or dt.datetime.min.replace(tzinfo=dt.UTC),
        *names(person.family_name, person.given_name),
        person.id,
    )


@cache
def _follow_ups_statement():
    """The follow-ups of the people's open release episodes whose window may not have
    closed yet: due on `cutoff` or later, or with a window wider than `window` days."""
    return (
        select(
            FollowUp.id,
            FollowUp.episode_id,
            FollowUp.participant_id,
            FollowUp.sequence,
            FollowUp.offset_days,
            FollowUp.due_on,
            FollowUp.window_days,
            ReleaseEpisode.released_on,
        )
        .join(ReleaseEpisode, FollowUp.episode_id == ReleaseEpisode.id)
        .where(FollowUp.participant_id.in_(bindparam("ids", expanding=True)))
        .where(
            or_(FollowUp.due_on >= bindparam("cutoff"), FollowUp.window_days > bindparam("window"))
        )
        .where(ReleaseEpisode.returned_on.is_(None))
    )


def _open_follow_ups(people: list, days: dict) -> defaultdict:
    """participant_id -> the follow-ups of their open release episode whose window has
    not closed on their day, in due order."""
    by_id = {person.row.id: person for person in people}
    # Windows as wide as the schedule's widest close before this: no need to read them.
    window = max((spread for _, spread in schedule()), default=0)
    cutoff = min(days.values()) - dt.timedelta(days=window)
    episodes: dict = {}
    kept = []
    for fid, eid, pid, sequence, offset, due_on, window_days, released_on in _run(
        _follow_ups_statement(), list(by_id), cutoff=cutoff, window=window
    ):
        spread = dt.timedelta(days=window_days)
        if due_on + spread < days[pid]:
            continue  # met or missed: nothing left to do
        episode = episodes.get(eid)
        if episode is None:
            episode = episodes[eid] = EpisodeView(eid, pid, released_on, None, by_id[pid])
        kept.append(
            FollowUpView(
                fid, eid, pid, sequence, offset, due_on, window_days, episode, due_on - spread
            )
        )
    kept.sort(key=lambda f: (f.due_on, f.sequence))
    found = defaultdict(list)
    for follow_up in kept:
        found[follow_up.participant_id].append(follow_up)
    return found


@cache
def _contacts_statement():
    """The people's successful contacts from a moment on."""
    return select(Contact.id, Contact.participant_id, Contact.mode, Contact.occurred_at).where(
        Contact.participant_id.in_(bindparam("ids", expanding=True)),
        Contact.mode != FAILED,
        Contact.occurred_at >= bindparam("start"),
    )


def _contacts_since(ids: list, since: dt.date | None) -> defaultdict:
    """participant_id -> their successful contacts from a day before `since` (time zones)."""
    found = defaultdict(list)
    if since is None:
        return found
    start = dt.datetime.combine(since - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    for row in _run(_contacts_statement(), ids, start=start):
        found[row.participant_id].append(row)
    return found


def caseload_response(actor: User, limit: int, offset: int):
    """One page of the caseload as the API's JSON response (built by hand: it is hot)."""
    from prog_tracker.aftercare.caseload_json import page_response

    actor = user_of(actor)
    return page_response(caseload(actor), actor, limit, offset)
