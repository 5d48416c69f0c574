"""Whom a cohort may enrol: the search of people in custody at its facility."""

from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.core.collation import by_name
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.participants.services import search_criterion
from prog_tracker.workshops.models import ACTIVE_ENROLMENT, Cohort, Enrolment


def search_candidates(actor: User, cohort: Cohort, q: str | None = None):
    """A SELECT of the people in custody at the cohort's facility (matching q), by name.

    The enrolment page and the JSON search list the same people in this one order.
    """
    query = policy.enrolment_candidates(actor, cohort).where(Participant.status == "in_custody")
    if q:
        query = query.where(search_criterion(actor, q))
    return query.order_by(
        by_name(Participant.family_name), by_name(Participant.given_name), Participant.id
    )


def audit_search(actor: User, people: list[Participant]) -> None:
    """The people a search showed, audited as one search."""
    audit.record_list(actor, "participant.search", "participant", [p.id for p in people])


def places(cohort: Cohort, people: list[Participant]) -> dict[str, str]:
    """participant_id -> status, for the people shown who already have a place in cohort."""
    if not people:
        return {}
    rows = db.session.execute(
        select(Enrolment.participant_id, Enrolment.status).where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.participant_id.in_([p.id for p in people]),
            Enrolment.status.in_(ACTIVE_ENROLMENT),
        )
    )
    return {row[0]: row[1] for row in rows}
