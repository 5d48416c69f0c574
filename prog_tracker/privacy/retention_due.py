"""Which cases are closed, since when, and whose retention step is due (docs/retention.md).

A case is closed when the person is out of custody (`released` or `closed`), no
referral is pending or accepted and no consent is active; it closed on the
latest dated event of the record (release, end of the last follow-up window,
contact, outcome, referral, consent, status change). privacy.retention applies
the schedule to the people this module finds, a batch of ids at a time.
"""

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import func, or_, select

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import OPEN_REFERRAL, Consent, Referral
from prog_tracker.release.models import FollowUp, ReleaseEpisode, StatusChange

# Only people out of custody can have a closed case; returned people never qualify.
OUT_OF_CUSTODY = ("released", "closed")


def closed_before(
    cutoff: dt.date, today: dt.date, size: int, not_yet_anonymised: bool
) -> Iterator[list[str]]:
    """For each batch of size people out of custody (identity: not yet anonymised), in id
    order, the sorted ids of those whose case closed before cutoff (often none)."""
    for ids in batches(_people_out_of_custody(not_yet_anonymised), size):
        closed = closing_days(ids, today)
        yield sorted(pid for pid, day in closed.items() if day < cutoff)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day years earlier (28 February for a 29th in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _people_out_of_custody(not_yet_anonymised: bool):
    """The statement for ids of people out of custody (identity: those not yet anonymised)."""
    query = select(Participant.id).where(Participant.status.in_(OUT_OF_CUSTODY))
    if not_yet_anonymised:
        query = query.where(Participant.anonymised_at.is_(None))
    return query


def batches(query, size: int) -> Iterator[list]:
    """The ids query selects, in id order, size at a time (keyset: rows may change meanwhile)."""
    column = query.selected_columns[0]
    last = None
    while True:
        page = query if last is None else query.where(column > last)
        ids = list(db.session.scalars(page.order_by(column).limit(size)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def closing_days(ids: list[str], today: dt.date) -> dict[str, dt.date]:
    """The day each closed case among the people ids closed; open cases are left out."""
    still_open = _with_open_referral(ids) | _with_active_consent(ids, today)
    latest: dict[str, dt.date] = {}
    for pid, day in _dated_events(ids):
        if day is not None and (pid not in latest or day > latest[pid]):
            latest[pid] = day
    undated = [pid for pid in ids if pid not in latest]
    if undated:
        # A record with no dated event at all (closed without a release): its entry day.
        query = select(Participant.id, Participant.created_at).where(Participant.id.in_(undated))
        latest.update((pid, created.date()) for pid, created in db.session.execute(query))
    return {pid: day for pid, day in latest.items() if pid not in still_open}


def _with_open_referral(ids) -> set[str]:
    """People with a pending or accepted referral: a partner may still be working with them."""
    query = select(Referral.participant_id).where(
        Referral.participant_id.in_(ids), Referral.status.in_(OPEN_REFERRAL)
    )
    return set(db.session.scalars(query))


def _with_active_consent(ids, today: dt.date) -> set[str]:
    """People with a consent given, not withdrawn and not expired on today (as core.policy)."""
    query = select(Consent.participant_id).where(
        Consent.participant_id.in_(ids),
        Consent.withdrawn_on.is_(None),
        or_(Consent.expires_on.is_(None), Consent.expires_on >= today),
    )
    return set(db.session.scalars(query))


def _dated_events(ids) -> Iterator[tuple[str, dt.date | None]]:
    """(person, day) of every dated event that keeps a case going; days, not edit times,
    so that anonymising (which bumps updated_at) never restarts a clock."""
    yield from db.session.execute(
        select(Participant.id, Participant.actual_release_date).where(Participant.id.in_(ids))
    )
    for column in (
        ReleaseEpisode.released_on,
        ReleaseEpisode.returned_on,
        StatusChange.occurred_on,
        Outcome.observed_on,
        Consent.given_on,
    ):
        yield from _latest(column, ids)
    for column in (
        Contact.occurred_at,
        Referral.created_at,
        Referral.responded_at,
        Referral.closed_at,
    ):
        for pid, moment in _latest(column, ids):
            yield pid, moment.date() if moment else None
    yield from _follow_up_ends(ids)
    yield from _consent_ends(ids)


def _latest(column, ids):
    """(person, latest value of column) for the people ids."""
    owner = column.class_.participant_id
    return db.session.execute(
        select(owner, func.max(column)).where(owner.in_(ids)).group_by(owner)
    ).all()


def _follow_up_ends(ids):
    """(person, last day of a follow-up window): the schedule ends with its last window."""
    rows = db.session.execute(
        select(FollowUp.participant_id, FollowUp.due_on, FollowUp.window_days).where(
            FollowUp.participant_id.in_(ids)
        )
    )
    for pid, due_on, window in rows:
        yield pid, due_on + dt.timedelta(days=window)


def _consent_ends(ids):
    """(person, day a consent ended): withdrawn, or else expired."""
    rows = db.session.execute(
        select(Consent.participant_id, Consent.withdrawn_on, Consent.expires_on).where(
            Consent.participant_id.in_(ids)
        )
    )
    for pid, withdrawn_on, expires_on in rows:
        yield pid, withdrawn_on or expires_on
