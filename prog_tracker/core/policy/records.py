"""Person-linked records outside release and after-release: assessments, which
details of a person a role receives, and client-chosen ids already taken.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.core import audit
from prog_tracker.core.errors import ApiError
from prog_tracker.core.policy.aftercare import SCOPES
from prog_tracker.core.policy.cohorts import visible_certificates, visible_cohorts
from prog_tracker.core.policy.participants import visible_participants
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import Cohort, Enrolment

__all__ = [
    "refuse_taken_id",
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


def _taken_scopes() -> dict:
    """Entity -> (model, scope) of the person-linked records clients create with ids."""
    return {
        "participant": (Participant, visible_participants),
        "enrolment": (Enrolment, visible_enrolments),
        "assessment": (Assessment, visible_assessments),
        "certificate": (Certificate, visible_certificates),
        **SCOPES,
    }


def refuse_taken_id(user, entity: str, record_id: str | None, action: str) -> None:
    """409 conflict when a client-chosen id is in use, the same answer whoever's record
    holds it; the record itself comes back only when the user sees it, and an attempt
    on one they do not see is audited as denied (the id names someone out of scope)."""
    if not record_id:
        return
    model, scope = _taken_scopes()[entity]
    if db.session.get(model, record_id) is None:
        return
    visible = db.session.scalar(scope(user).where(model.id == record_id))
    if visible is None:
        audit.record(action, entity, [record_id], actor_id=user.id, outcome="denied")
        db.session.commit()
    raise ApiError(409, "conflict", _l("A record with this id exists already."), record=visible)
