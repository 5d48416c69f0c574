"""Follow-ups after release: the schedule of each release episode and its status on a day.

A follow-up is due `offset_days` after the release, give or take `window_days`.
Its status on a day D, at the participant's facility (SPEC §2 FollowUp):

- `met` once a contact other than `attempt_failed` happened inside the window
  (on D or before), the earliest such contact meeting it;
- otherwise `upcoming` before the window opens, `due` from its opening to the
  due day, `overdue` after the due day while the window is open, and `missed`
  once it has closed.

Only contacts within the follow-up's own episode count: on or after the
release day and, once the person returned to custody, on or before the return
day. Contact times are compared as dates at the participant's facility.

Contacts are aftercare's records, and aftercare sits above release: it names
its Contact model here when the app is assembled (`read_contacts_from`, called
by aftercare's register()), so release reads contacts without importing it.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, select, update

from prog_tracker.core.dates import facility_zone, today_at
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release.models import FollowUp, ReleaseEpisode

FAILED = "attempt_failed"
# The model whose rows meet follow-ups (aftercare's Contact), once aftercare named it.
_CONTACTS: dict = {}


def read_contacts_from(model) -> None:
    """Judge follow-ups by the rows of model: aftercare's Contact (its register() calls this)."""
    _CONTACTS["model"] = model


def _contact_model():
    """The contact model aftercare named; a clear error when the app was not assembled."""
    try:
        return _CONTACTS["model"]
    except KeyError:
        raise RuntimeError("Follow-ups read contacts once aftercare is registered") from None


def schedule() -> list[tuple[int, int]]:
    """The configured (days after release, ± window days) pairs, checked."""
    pairs = []
    for entry in current_app.config["FOLLOW_UP_SCHEDULE"]:
        offset, window = (int(value) for value in entry)
        if offset < 0 or window < 0:
            raise RuntimeError("FOLLOW_UP_SCHEDULE needs days and windows of 0 or more")
        pairs.append((offset, window))
    return pairs


def create_schedule(episode: ReleaseEpisode) -> list[FollowUp]:
    """Add an episode's follow-ups from the configured schedule (the caller commits)."""
    rows = [
        FollowUp(
            episode_id=episode.id,
            participant_id=episode.participant_id,
            sequence=sequence,
            offset_days=offset,
            due_on=episode.released_on + dt.timedelta(days=offset),
            window_days=window,
        )
        for sequence, (offset, window) in enumerate(schedule(), start=1)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def window_of(follow_up: FollowUp) -> tuple[dt.date, dt.date]:
    """The first and last day of a follow-up's window."""
    spread = dt.timedelta(days=follow_up.window_days)
    return follow_up.due_on - spread, follow_up.due_on + spread


def status_on(follow_up: FollowUp, contacts, day: dt.date) -> tuple[str, str | None]:
    """A follow-up's status on day, and the id of the contact that met it (if any).

    contacts are the participant's Contact rows (any order, any organisation).
    """
    opens, closes = window_of(follow_up)
    zone = _zone_of(follow_up.episode.participant)
    met_by = _meeting_contact(follow_up.episode, contacts, zone, opens, min(closes, day))
    if met_by is not None:
        return "met", met_by.id
    if day < opens:
        return "upcoming", None
    if day <= follow_up.due_on:
        return "due", None
    if day <= closes:
        return "overdue", None
    return "missed", None


def _meeting_contact(episode, contacts, zone, first: dt.date, last: dt.date):
    """The earliest successful contact of the episode whose local date is in [first, last]."""
    last = min(last, episode.returned_on) if episode.returned_on else last
    first = max(first, episode.released_on)
    found = None
    for contact in contacts:
        if contact.mode == FAILED or contact.participant_id != episode.participant_id:
            continue
        if not first <= local_date(contact.occurred_at, zone) <= last:
            continue
        if found is None or (contact.occurred_at, contact.id) < (found.occurred_at, found.id):
            found = contact
    return found


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The calendar date of an aware moment in zone."""
    return moment.astimezone(zone).date()


def _zone_of(participant: Participant) -> ZoneInfo:
    """The time zone of a participant's facility (UTC when unknown or invalid)."""
    return facility_zone(participant.facility)


def met_by(follow_up, contacts, zone: ZoneInfo) -> str | None:
    """The id of the contact that meets a follow-up once its window has closed, if any."""
    opens, closes = window_of(follow_up)
    found = _meeting_contact(follow_up.episode, contacts, zone, opens, closes)
    return found.id if found is not None else None


def refresh_met(participant: Participant) -> None:
    """Keep `met_contact_id` of a person's follow-ups true (the caller commits).

    Every service that changes what decides it calls this: recording or
    correcting a contact, opening or closing a release episode, moving the
    person to another facility, changing a facility's time zone. It is derived
    data, so it is not audited (the change that caused it is).
    """
    # Read without flushing the caller's pending changes (they are what is judged, from
    # the objects in memory), so the caller's own flush writes its rows once.
    with db.session.no_autoflush:
        follow_ups = follow_ups_of(participant)
        contacts = contacts_of(participant) if follow_ups else []
    zone = _zone_of(participant)
    for follow_up in follow_ups:
        met = met_by(follow_up, contacts, zone)
        if follow_up.met_contact_id != met:
            follow_up.met_contact_id = met


def refresh_met_everywhere(connection, facility_id: str | None = None, batch: int = 2000) -> int:
    """refresh_met for everyone with follow-ups (at one facility, if named), on plain rows in
    batches of people; returns the number of follow-ups changed."""
    rows = connection.execute(select(Facility.id, Facility.timezone))
    zones = {row.id: facility_zone(row) for row in rows}
    query = select(Participant.id, Participant.facility_id).where(
        Participant.id.in_(select(FollowUp.participant_id))
    )
    if facility_id is not None:
        query = query.where(Participant.facility_id == facility_id)
    people = connection.execute(query.order_by(Participant.id)).all()
    changed = 0
    for start in range(0, len(people), batch):
        chunk = dict(people[start : start + batch])
        changed += _refresh_chunk(connection, chunk, zones)
    return changed


def _refresh_chunk(connection, facility_of: dict, zones: dict) -> int:
    """refresh_met for a batch of people (id -> facility id) on plain rows."""
    ids = list(facility_of)
    Contact = _contact_model()
    contacts: dict = {}
    for row in connection.execute(
        select(Contact.id, Contact.participant_id, Contact.mode, Contact.occurred_at).where(
            Contact.participant_id.in_(ids)
        )
    ):
        contacts.setdefault(row.participant_id, []).append(row)
    rows = connection.execute(
        select(
            FollowUp.id,
            FollowUp.participant_id,
            FollowUp.due_on,
            FollowUp.window_days,
            FollowUp.met_contact_id,
            ReleaseEpisode.released_on,
            ReleaseEpisode.returned_on,
        )
        .join(ReleaseEpisode, FollowUp.episode_id == ReleaseEpisode.id)
        .where(FollowUp.participant_id.in_(ids))
    )
    updates = []
    for row in rows:
        # The shape met_by reads: the follow-up's window and its episode's days.
        episode = SimpleNamespace(
            participant_id=row.participant_id,
            released_on=row.released_on,
            returned_on=row.returned_on,
        )
        follow_up = SimpleNamespace(due_on=row.due_on, window_days=row.window_days, episode=episode)
        zone = zones.get(facility_of[row.participant_id]) or ZoneInfo("UTC")
        met = met_by(follow_up, contacts.get(row.participant_id, ()), zone)
        if met != row.met_contact_id:
            updates.append({"follow_up": row.id, "met": met})
    if updates:
        table = FollowUp.__table__
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("follow_up"))
            .values(met_contact_id=bindparam("met")),
            updates,
        )
    return len(updates)


def follow_ups_of(participant: Participant) -> list[FollowUp]:
    """A participant's follow-ups: by release episode, then in schedule order."""
    return list(
        db.session.scalars(
            select(FollowUp)
            .join(ReleaseEpisode, FollowUp.episode_id == ReleaseEpisode.id)
            .where(FollowUp.participant_id == participant.id)
            .order_by(ReleaseEpisode.released_on, FollowUp.sequence, FollowUp.id)
        )
    )


def contacts_of(participant: Participant) -> list:
    """Every contact with a participant, oldest first (whoever recorded it)."""
    Contact = _contact_model()
    return list(
        db.session.scalars(
            select(Contact)
            .where(Contact.participant_id == participant.id)
            .order_by(Contact.occurred_at, Contact.id)
        )
    )


def participant_follow_ups(participant: Participant, day: dt.date | None = None) -> list[dict]:
    """Each follow-up of a participant with its status on day (default: today there)."""
    day = day or today_at(participant.facility)
    contacts = contacts_of(participant)
    rows = []
    for follow_up in follow_ups_of(participant):
        status, met_by = status_on(follow_up, contacts, day)
        rows.append({"follow_up": follow_up, "status": status, "met_by_contact_id": met_by})
    return rows


def drop_unopened(episode: ReleaseEpisode) -> list[FollowUp]:
    """Delete an episode's follow-ups whose window opens after its return to custody.

    They were planned for time out that did not happen; keeping them would
    turn them into `missed` follow-ups nobody could have met.
    """
    dropped = [
        f
        for f in db.session.scalars(select(FollowUp).where(FollowUp.episode_id == episode.id))
        if window_of(f)[0] > episode.returned_on
    ]
    for follow_up in dropped:
        db.session.delete(follow_up)
    db.session.flush()
    return dropped


def on_facility_calendar_changed(facility_id: str, connection) -> None:
    """A facility's timezone changed: judge its people's follow-ups on the new calendar."""
    refresh_met_everywhere(connection, facility_id=facility_id)
