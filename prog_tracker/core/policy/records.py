"""Person-linked records outside release and after-release: assessments, and which
details of a person a role receives.
"""

from sqlalchemy import select

from prog_tracker.certification.models import Assessment
from prog_tracker.core.policy.cohorts import visible_cohorts
from prog_tracker.core.policy.participants import visible_participants
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import Cohort, Enrolment

__all__ = [
    "sees_custody_details",
    "visible_assessments",
    "visible_enrolments",
]

# Roles that never receive prison numbers or facility internals (SPEC §3).
NO_CUSTODY_DETAILS = ("caseworker",)


def sees_custody_details(user) -> bool:
    """True when the user may receive a person's prison number and facility: not
    caseworkers, in JSON, on pages or through search (SPEC §3)."""
    return user is not None and user.role not in NO_CUSTODY_DETAILS


def visible_assessments(user):
    """A SELECT of the assessments of the people the user sees."""
    people = visible_participants(user).with_only_columns(Participant.id)
    return select(Assessment).where(Assessment.participant_id.in_(people))


def visible_enrolments(user):
    """A SELECT of the enrolments of the cohorts the user sees."""
    cohorts = visible_cohorts(user).with_only_columns(Cohort.id)
    return select(Enrolment).where(Enrolment.cohort_id.in_(cohorts))
