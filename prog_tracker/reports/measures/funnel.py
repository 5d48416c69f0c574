"""The journey funnel per cohort: enrolled → completed → certified → released → contacted
within 7 days → employed at 3, 6 and 12 months.

Cohorts are those that started in the period. Each stage counts the people who
reached it and every stage before it, so the funnel only narrows: "of those who
completed, how many were certified", and so on. The release is the person's
first after they enrolled; contact and employment use the same definitions as
contact_within_7_days_rate and employed_at_N_months_rate (after.py).
"""

import datetime as dt

from sqlalchemy import and_, exists, or_, select

from prog_tracker.aftercare.models import EMPLOYED, Outcome
from prog_tracker.certification.models import Certificate, Qualification
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release.models import ReleaseEpisode
from prog_tracker.reports import scope
from prog_tracker.reports.measures.after import outcome_near, successful_contact
from prog_tracker.reports.measures.base import CONTACT_DAYS, EMPLOYMENT_MARKS
from prog_tracker.reports.measures.indicators import context
from prog_tracker.reports.measures.sql import add_months
from prog_tracker.workshops.models import Cohort, Enrolment

STAGES = (
    "enrolled",
    "completed",
    "certified",
    "released",
    "contacted_within_7_days",
    *(f"employed_at_{months}_months" for months in EMPLOYMENT_MARKS),
)


def cohort_funnels(filters) -> list[dict]:
    """[{cohort_id, stages: {stage: people}}] for the cohorts that started in the period."""
    ctx = context(filters)
    journeys = _journeys(filters).subquery()
    flags = _after_release_flags(ctx)
    statement = (
        select(journeys, *flags)
        .select_from(journeys)
        .outerjoin(ReleaseEpisode, ReleaseEpisode.id == journeys.c.episode_id)
        .outerjoin(Participant, Participant.id == ReleaseEpisode.participant_id)
    )
    funnels: dict[str, dict] = {}
    for row in db.session.execute(statement).mappings():
        stages = funnels.setdefault(row["cohort_id"], dict.fromkeys(STAGES, 0))
        for stage in _stages_reached(row):
            stages[stage] += 1
    return [{"cohort_id": key, "stages": value} for key, value in funnels.items()]


def total(funnels: list[dict]) -> dict:
    """The stages summed over cohorts."""
    summed = dict.fromkeys(STAGES, 0)
    for funnel in funnels:
        for stage, people in funnel["stages"].items():
            summed[stage] += people
    return summed


def _journeys(filters):
    """One row per person who took part in a cohort that started in the period."""
    first_release = (
        select(ReleaseEpisode.id)
        .where(
            ReleaseEpisode.participant_id == Enrolment.participant_id,
            ReleaseEpisode.released_on >= Enrolment.enrolled_on,
        )
        .order_by(ReleaseEpisode.released_on, ReleaseEpisode.id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            Enrolment.cohort_id.label("cohort_id"),
            Enrolment.status.label("status"),
            _certified().label("certified"),
            first_release.label("episode_id"),
        )
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(
            Cohort.start_date.between(filters.start, filters.end),
            Enrolment.status.in_(scope.TOOK_PART),
            Enrolment.enrolled_on.is_not(None),
            scope.cohort_rows(filters, Cohort, Enrolment.participant_id),
        )
    )


def _certified():
    """A valid certificate, issued since enrolling, for the cohort's qualification (or,
    when the cohort names none, for any qualification of its trade)."""
    of_trade = select(Qualification.id).where(Qualification.trade_id == Cohort.trade_id)
    return exists().where(
        Certificate.participant_id == Enrolment.participant_id,
        Certificate.status == "valid",
        Certificate.issued_on >= Enrolment.enrolled_on,
        or_(
            Certificate.qualification_id == Cohort.qualification_id,
            and_(Cohort.qualification_id.is_(None), Certificate.qualification_id.in_(of_trade)),
        ),
    )


def _after_release_flags(ctx) -> list:
    """Contact within 7 days and employment at each mark, for the release of the row."""
    released = ReleaseEpisode.released_on
    flags = [
        successful_contact(ctx, ReleaseEpisode.participant_id, released, 0, CONTACT_DAYS).label(
            "contacted"
        )
    ]
    for months in EMPLOYMENT_MARKS:
        mark = add_months(released, months)
        near = outcome_near(ctx, mark, Outcome.employment.in_(EMPLOYED))
        flags.append(exists().where(*near).label(f"employed_{months}"))
    return flags


def _stages_reached(row) -> list[str]:
    """The stages one person reached, in order, stopping at the first missed."""
    reached = [
        True,
        row["status"] == "completed",
        bool(row["certified"]),
        row["episode_id"] is not None,
        bool(row["contacted"]),
        *(bool(row[f"employed_{months}"]) for months in EMPLOYMENT_MARKS),
    ]
    stages = []
    for stage, ok in zip(STAGES, reached, strict=True):
        if not ok:
            break
        stages.append(stage)
    return stages


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """Every month from start's to end's as YYYY-MM."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
