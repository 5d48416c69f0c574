"""How report filters narrow rows: one rule per filter, shared by indicators and exports.

- facility (and country): where the event happened: the cohort's facility for
  enrolments, sessions, attendance and assessments; the issuing facility for
  certificates; the person's facility for custody, release and after-release
  records (a person keeps the facility they were released from).
- trade: the cohort's trade for workshop records, the qualification's trade for
  certificates; for people-level records (custody, release, after release), the
  people who were ever enrolled in a cohort of that trade.
- organisation: the people the organisation accepted a referral for; contacts
  and outcomes count only those the organisation recorded.
"""

from sqlalchemy import and_, select, true

from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Referral
from prog_tracker.workshops.models import Cohort, Enrolment

# Enrolments that mean a person took part in a cohort (waiting is not taking part).
TOOK_PART = ("enrolled", "completed", "withdrawn")


def in_facilities(filters, column):
    """column (a facility id) is one of the facilities counted."""
    if filters.facility_ids is None:
        return true()
    return column.in_(filters.facility_ids)


def held_in(filters, participant_column):
    """The person of a people-level record belongs to one of the facilities counted.

    A subquery, not a join: the database builds the set of people once and
    walks it (by the records' index on the person), instead of fetching each
    record's person (measured with bench/indicators.py: about twice as fast as
    a join or EXISTS on 100,000 people).
    """
    if filters.facility_ids is None:
        return true()
    held = select(Participant.id).where(Participant.facility_id.in_(filters.facility_ids))
    return participant_column.in_(held)


def trained_in(trade_id: str):
    """A SELECT of the ids of people ever enrolled in a cohort of the trade."""
    return (
        select(Enrolment.participant_id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(
            Cohort.trade_id == trade_id,
            Enrolment.status.in_(TOOK_PART),
            Enrolment.enrolled_on.is_not(None),
        )
    )


def referred_to(organisation_id: str):
    """A SELECT of the ids of people whose referral the organisation accepted (even if
    since closed)."""
    return select(Referral.participant_id).where(
        Referral.organisation_id == organisation_id,
        Referral.status.in_(("accepted", "closed")),
        Referral.responded_at.is_not(None),
    )


def people(filters, participant_column):
    """The trade and organisation filters on a people-level record's participant id."""
    clauses = [true()]
    if filters.trade_id:
        clauses.append(participant_column.in_(trained_in(filters.trade_id)))
    if filters.organisation_id:
        clauses.append(participant_column.in_(referred_to(filters.organisation_id)))
    return and_(*clauses)


def cohort_rows(filters, cohort_table, participant_column):
    """Filters on a workshop record: the cohort's facility and trade, the person's referrals."""
    clauses = [in_facilities(filters, cohort_table.facility_id)]
    if filters.trade_id:
        clauses.append(cohort_table.trade_id == filters.trade_id)
    if filters.organisation_id:
        clauses.append(participant_column.in_(referred_to(filters.organisation_id)))
    return and_(*clauses)
