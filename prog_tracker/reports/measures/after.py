"""The after-release indicators of SPEC §7: contacts, follow-ups, employment, returns.

Contact times are stored in UTC and judged on the calendar of the person's
facility, as follow-up statuses are (SPEC §2).
"""

import datetime as dt

from sqlalchemy import and_, case, exists, false, func, or_, select
from sqlalchemy.sql.expression import ColumnElement

from prog_tracker.aftercare.models import EMPLOYED, Contact, Outcome
from prog_tracker.participants.models import Participant
from prog_tracker.release.models import FollowUp, ReleaseEpisode
from prog_tracker.reports import scope
from prog_tracker.reports.measures.base import (
    CONTACT_DAYS,
    EMPLOYMENT_MARKS,
    FAILED_CONTACT,
    MARK_WINDOW_DAYS,
    Context,
    Measure,
    episodes,
)
from prog_tracker.reports.measures.sql import (
    add_days,
    add_months,
    local_midnight,
    month_of,
    released_for_marks,
)


def successful_contact(c: Context, participant, day, first: int, last) -> ColumnElement:
    """A contact other than a failed attempt on a local day from day + first to day + last
    (first and last: numbers of days, or integer columns)."""
    where = [
        Contact.participant_id == participant,
        Contact.mode != FAILED_CONTACT,
        Contact.occurred_at >= local_midnight(day, c.offset, first),
        Contact.occurred_at < local_midnight(day, c.offset, last + 1),
    ]
    if c.filters.organisation_id:
        where.append(Contact.organisation_id == c.filters.organisation_id)
    return exists().where(*where)


def contact_within_7_days_rate(c: Context) -> Measure:
    """Episodes released in the period with a successful contact within 7 days ÷ episodes."""
    measure = episodes(c, c.start, c.end)
    released = ReleaseEpisode.released_on
    measure.numerator = successful_contact(
        c, ReleaseEpisode.participant_id, released, 0, CONTACT_DAYS
    )
    measure.uses_offset = True
    return measure


def follow_up_compliance_rate(c: Context) -> Measure:
    """Follow-ups whose window closed in the period and were met ÷ those follow-ups."""
    # One index range per window size: the window's last day (due_on + window) in the period.
    closing = [
        and_(
            FollowUp.window_days == window,
            FollowUp.due_on.between(
                c.start - dt.timedelta(days=window), c.end - dt.timedelta(days=window)
            ),
        )
        for window in c.follow_up_windows
    ]
    window = FollowUp.window_days
    # Met as the follow-up's status says (followups.refresh_met keeps the meeting contact);
    # for one organisation, met by a contact of that organisation in the window.
    met = FollowUp.met_contact_id.is_not(None)
    if c.filters.organisation_id:
        met = successful_contact(c, FollowUp.participant_id, FollowUp.due_on, -window, window)
    return Measure(
        source=FollowUp.__table__,
        where=[
            or_(false(), *closing),
            scope.held_in(c.filters, FollowUp.participant_id),
            scope.people(c.filters, FollowUp.participant_id),
        ],
        participant=FollowUp.participant_id,
        facility=Participant.facility_id,
        numerator=met,
        month=month_of(add_days(FollowUp.due_on, window)),
        person_level=True,
        uses_offset=bool(c.filters.organisation_id),
    )


def outcome_near(c: Context, mark, *where) -> list:
    """An outcome of the episode's person observed within 30 days of mark."""
    clauses = [
        Outcome.participant_id == ReleaseEpisode.participant_id,
        Outcome.observed_on.between(
            add_days(mark, -MARK_WINDOW_DAYS), add_days(mark, MARK_WINDOW_DAYS)
        ),
        *where,
    ]
    if c.filters.organisation_id:
        clauses.append(Outcome.organisation_id == c.filters.organisation_id)
    return clauses


def _marked_episodes(c: Context, months: int) -> Measure:
    """Episodes whose N-month mark fell in the period; their month is the mark's."""
    measure = episodes(c, *released_for_marks(c.start, c.end, months))
    measure.month = month_of(add_months(ReleaseEpisode.released_on, months))
    return measure


def employed_at(months: int):
    """The definition of employed_at_N_months_rate for N = months."""

    def definition(c: Context) -> Measure:
        """Episodes at the mark with an outcome showing employment ÷ those with an outcome."""
        facts = _episodes_with_outcomes(c, months).subquery()
        return Measure(
            source=facts,
            where=[],
            participant=facts.c.participant_id,
            facility=Participant.facility_id,
            numerator=facts.c.employed == 1,
            month=month_of(add_months(facts.c.released_on, months)),
            person_level=True,
        )

    definition.__name__ = f"employed_at_{months}_months_rate"
    return definition


def _episodes_with_outcomes(c: Context, months: int):
    """Episodes whose N-month mark fell in the period and that have an outcome near it,
    one row each, with `employed` 1 when one of those outcomes shows work.

    A join grouped by episode: each episode's outcomes are read once.
    """
    mark = add_months(ReleaseEpisode.released_on, months)
    episodes = _marked_episodes(c, months)
    employed = case((Outcome.employment.in_(EMPLOYED), 1), else_=0)
    return (
        select(
            ReleaseEpisode.participant_id.label("participant_id"),
            ReleaseEpisode.released_on.label("released_on"),
            func.max(employed).label("employed"),
        )
        .select_from(episodes.source)
        .join(Outcome.__table__, and_(*outcome_near(c, mark)))
        .where(*episodes.where)
        .group_by(ReleaseEpisode.id, ReleaseEpisode.participant_id, ReleaseEpisode.released_on)
    )


def uses_trained_skill_rate(c: Context) -> Measure:
    """Of the employed outcomes near a 3, 6 or 12-month mark in the period (each counted
    once, however many marks it is near), those using the trained skill."""
    # Read outcome by outcome: one that is near several marks is still one row.
    near_a_mark = exists().where(
        ReleaseEpisode.participant_id == Outcome.participant_id,
        or_(*(_near_mark(c, months) for months in EMPLOYMENT_MARKS)),
    )
    margin = dt.timedelta(days=MARK_WINDOW_DAYS)
    where = [
        Outcome.employment.in_(EMPLOYED),
        Outcome.observed_on.between(c.start - margin, c.end + margin),
        near_a_mark,
        scope.held_in(c.filters, Outcome.participant_id),
        scope.people(c.filters, Outcome.participant_id),
    ]
    if c.filters.organisation_id:
        where.append(Outcome.organisation_id == c.filters.organisation_id)
    return Measure(
        source=Outcome.__table__,
        where=where,
        participant=Outcome.participant_id,
        facility=Participant.facility_id,
        numerator=Outcome.uses_trained_skill.is_(True),
        month=month_of(Outcome.observed_on),
        person_level=True,
    )


def _near_mark(c: Context, months: int) -> ColumnElement:
    """The episode's N-month mark fell in the period and the outcome is near it."""
    mark = add_months(ReleaseEpisode.released_on, months)
    return and_(
        ReleaseEpisode.released_on.between(*released_for_marks(c.start, c.end, months)),
        Outcome.observed_on.between(
            add_days(mark, -MARK_WINDOW_DAYS), add_days(mark, MARK_WINDOW_DAYS)
        ),
    )


def returned_to_custody_12_months_rate(c: Context) -> Measure:
    """Episodes at their 12-month mark that ended by a return within 12 months ÷ those."""
    measure = _marked_episodes(c, 12)
    measure.numerator = and_(
        ReleaseEpisode.returned_on.is_not(None),
        ReleaseEpisode.returned_on <= add_months(ReleaseEpisode.released_on, 12),
    )
    return measure


# The SPEC §7 keys, in the order reports show them.
