"""The SPEC §7 indicators, each defined once as rows, a numerator and a denominator.

A definition says which rows it counts (its base), what makes a row count in
the numerator of a rate, and which columns give its month, facility and trade,
so one definition answers the headline figure, the breakdown by sex, the trend
by month and the comparison by facility or trade. docs/indicators.md explains
each one in words; the tests in tests/reports/ pin them to hand-worked answers.

Local days: contact and acceptance times are stored in UTC and judged on the
calendar of the person's facility, as follow-up statuses are (SPEC §2).
"""

import datetime as dt

from sqlalchemy import and_, exists, or_

from prog_tracker.certification.models import Assessment, Certificate, Qualification
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Referral
from prog_tracker.release.models import ReleaseEpisode, ReleasePlanItem
from prog_tracker.reports import scope
from prog_tracker.reports.measures import after
from prog_tracker.reports.measures.base import (
    ATTENDED,
    EMPLOYMENT_MARKS,
    IN_CUSTODY,
    NEUTRAL_WITHDRAWALS,
    RELEASES_AHEAD_DAYS,
    Context,
    Measure,
    day_after,
    episodes,
)
from prog_tracker.reports.measures.sql import local_midnight, month_of
from prog_tracker.workshops.models import Attendance, Cohort, Enrolment, WorkshopSession

# --- custody and workshops -------------------------------------------------------


def participants_in_custody(c: Context) -> Measure:
    """People on the register on `to` and not out on a release episode that day."""
    out = exists().where(
        ReleaseEpisode.participant_id == Participant.id,
        ReleaseEpisode.released_on <= c.end,
        or_(ReleaseEpisode.returned_on.is_(None), ReleaseEpisode.returned_on > c.end),
    )
    return Measure(
        source=Participant,
        where=[
            Participant.created_at < day_after(c.end),
            Participant.status != "closed",
            # A record merged into another is the same person: counted once (SPEC §12).
            Participant.merged_into_id.is_(None),
            ~out,
            scope.in_facilities(c.filters, Participant.facility_id),
            scope.people(c.filters, Participant.id),
        ],
        participant=Participant.id,
        facility=Participant.facility_id,
        joins_people=True,
    )


def _enrolments(c: Context, *where) -> Measure:
    """Enrolments (with their cohort) matching where and the filters."""
    return Measure(
        source=Enrolment.__table__.join(Cohort.__table__, Cohort.id == Enrolment.cohort_id),
        where=[*where, scope.cohort_rows(c.filters, Cohort, Enrolment.participant_id)],
        participant=Enrolment.participant_id,
        facility=Cohort.facility_id,
        trade=Cohort.trade_id,
    )


def enrolled_now(c: Context) -> Measure:
    """People enrolled in a workshop on `to` (each person once)."""
    measure = _enrolments(
        c,
        Enrolment.enrolled_on.is_not(None),
        Enrolment.enrolled_on <= c.end,
        Enrolment.status.in_(scope.TOOK_PART),
        or_(Enrolment.ended_on.is_(None), Enrolment.ended_on > c.end),
    )
    measure.distinct = Enrolment.participant_id
    return measure


def enrolments_started(c: Context) -> Measure:
    """Enrolments that became `enrolled` in the period."""
    measure = _enrolments(c, Enrolment.enrolled_on.between(c.start, c.end))
    measure.month = month_of(Enrolment.enrolled_on)
    return measure


def completion_rate(c: Context) -> Measure:
    """Completed ÷ (completed + withdrawn other than on release or transfer), ended in the
    period."""
    measure = _enrolments(
        c,
        Enrolment.ended_on.between(c.start, c.end),
        Enrolment.status.in_(("completed", "withdrawn")),
    )
    measure.numerator = Enrolment.status == "completed"
    measure.denominator = or_(
        Enrolment.status == "completed",
        or_(
            Enrolment.status_reason.is_(None),
            Enrolment.status_reason.not_in(NEUTRAL_WITHDRAWALS),
        ),
    )
    measure.month = month_of(Enrolment.ended_on)
    return measure


def attendance_rate(c: Context) -> Measure:
    """(present + late) ÷ every attendance record of the period's sessions."""
    source = Attendance.__table__.join(
        WorkshopSession.__table__, WorkshopSession.id == Attendance.session_id
    ).join(Cohort.__table__, Cohort.id == WorkshopSession.cohort_id)
    return Measure(
        source=source,
        where=[
            WorkshopSession.date.between(c.start, c.end),
            scope.cohort_rows(c.filters, Cohort, Attendance.participant_id),
        ],
        participant=Attendance.participant_id,
        facility=Cohort.facility_id,
        trade=Cohort.trade_id,
        numerator=Attendance.status.in_(ATTENDED),
        month=month_of(WorkshopSession.date),
    )


def skills_assessed(c: Context) -> Measure:
    """Skill assessments recorded in the period (either result)."""
    return Measure(
        source=Assessment.__table__.join(Cohort.__table__, Cohort.id == Assessment.cohort_id),
        where=[
            Assessment.assessed_on.between(c.start, c.end),
            scope.cohort_rows(c.filters, Cohort, Assessment.participant_id),
        ],
        participant=Assessment.participant_id,
        facility=Cohort.facility_id,
        trade=Cohort.trade_id,
        month=month_of(Assessment.assessed_on),
    )


def certificates_issued(c: Context) -> Measure:
    """Certificates issued in the period and not revoked."""
    where = [
        Certificate.issued_on.between(c.start, c.end),
        Certificate.status == "valid",
        scope.in_facilities(c.filters, Certificate.issuer_facility_id),
    ]
    if c.filters.trade_id:
        where.append(Qualification.trade_id == c.filters.trade_id)
    if c.filters.organisation_id:
        where.append(Certificate.participant_id.in_(scope.referred_to(c.filters.organisation_id)))
    return Measure(
        source=Certificate.__table__.join(
            Qualification.__table__, Qualification.id == Certificate.qualification_id
        ),
        where=where,
        participant=Certificate.participant_id,
        facility=Certificate.issuer_facility_id,
        trade=Qualification.trade_id,
        month=month_of(Certificate.issued_on),
    )


# --- release ---------------------------------------------------------------------


def releases_next_90_days(c: Context) -> Measure:
    """People in custody whose expected release date is in (`to`, `to` + 90 days]."""
    return Measure(
        source=Participant,
        where=[
            Participant.status.in_(IN_CUSTODY),
            Participant.merged_into_id.is_(None),
            Participant.expected_release_date > c.end,
            Participant.expected_release_date <= c.end + dt.timedelta(days=RELEASES_AHEAD_DAYS),
            scope.in_facilities(c.filters, Participant.facility_id),
            scope.people(c.filters, Participant.id),
        ],
        participant=Participant.id,
        facility=Participant.facility_id,
        joins_people=True,
    )


def release_plans_complete_rate(c: Context) -> Measure:
    """Releases whose plan items were all done or not needed on release day ÷ releases."""
    item = ReleasePlanItem
    ready = or_(
        item.status == "not_needed",
        and_(
            item.status == "done",
            or_(item.completed_on.is_(None), item.completed_on <= ReleaseEpisode.released_on),
        ),
    )
    has_plan = exists().where(item.participant_id == ReleaseEpisode.participant_id)
    unready = exists().where(item.participant_id == ReleaseEpisode.participant_id, ~ready)
    measure = episodes(c, c.start, c.end)
    measure.numerator = and_(has_plan, ~unready)
    return measure


def referred_before_release_rate(c: Context) -> Measure:
    """Releases with a referral accepted by release day (local) ÷ releases."""
    where = [
        Referral.participant_id == ReleaseEpisode.participant_id,
        Referral.status.in_(("accepted", "closed")),
        Referral.responded_at.is_not(None),
        Referral.responded_at < local_midnight(ReleaseEpisode.released_on, c.offset, 1),
    ]
    if c.filters.organisation_id:
        where.append(Referral.organisation_id == c.filters.organisation_id)
    measure = episodes(c, c.start, c.end)
    measure.numerator = exists().where(*where)
    measure.uses_offset = True
    return measure


DEFINITIONS = {
    "participants_in_custody": participants_in_custody,
    "enrolled_now": enrolled_now,
    "enrolments_started": enrolments_started,
    "completion_rate": completion_rate,
    "attendance_rate": attendance_rate,
    "skills_assessed": skills_assessed,
    "certificates_issued": certificates_issued,
    "releases_next_90_days": releases_next_90_days,
    "release_plans_complete_rate": release_plans_complete_rate,
    "referred_before_release_rate": referred_before_release_rate,
    "contact_within_7_days_rate": after.contact_within_7_days_rate,
    "follow_up_compliance_rate": after.follow_up_compliance_rate,
    **{f"employed_at_{n}_months_rate": after.employed_at(n) for n in EMPLOYMENT_MARKS},
    "uses_trained_skill_rate": after.uses_trained_skill_rate,
    "returned_to_custody_12_months_rate": after.returned_to_custody_12_months_rate,
}
KEYS = tuple(DEFINITIONS)
RATES = tuple(key for key in KEYS if key.endswith("_rate"))
# Counts taken on one day (`to`): they have no month of their own.
ON_DAY = ("participants_in_custody", "enrolled_now", "releases_next_90_days")
# Figures about workshops, which belong to a trade.
WORKSHOP = (
    "enrolled_now",
    "enrolments_started",
    "completion_rate",
    "attendance_rate",
    "skills_assessed",
    "certificates_issued",
)
# Relative cost of each figure at national scale (measured with bench/indicators.py):
# the order in which parallel workers take them.
COST = {
    "uses_trained_skill_rate": 9,
    "follow_up_compliance_rate": 7,
    "employed_at_3_months_rate": 5,
    "attendance_rate": 5,
    "employed_at_6_months_rate": 4,
    "employed_at_12_months_rate": 3,
    "release_plans_complete_rate": 3,
    "referred_before_release_rate": 2,
    "contact_within_7_days_rate": 2,
}
