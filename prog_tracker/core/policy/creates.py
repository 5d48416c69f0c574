"""Client-chosen ids on creates: a replay gets the first record back, a clash a 409.

Which record a replayed create may hand back is an access decision: only one
the user sees now. An id held by a record the user does not see answers the
same 409 as any other taken id, and the attempt is audited as denied (the id
names something out of scope).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.auth.models import ApiToken, User
from prog_tracker.certification.models import Assessment, Certificate, Qualification, Skill
from prog_tracker.core import audit, receipts
from prog_tracker.core.errors import ApiError
from prog_tracker.core.policy.aftercare import SCOPES
from prog_tracker.core.policy.cohorts import visible_certificates, visible_cohorts
from prog_tracker.core.policy.directory import visible_facilities, visible_organisations
from prog_tracker.core.policy.participants import visible_participants
from prog_tracker.core.policy.records import visible_assessments, visible_enrolments
from prog_tracker.core.policy.staff import visible_tokens
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import Cohort, Enrolment, Trade, WorkshopSession

__all__ = ["earlier_create"]


def _everyone(model):
    """The scope of a catalogue every signed-in user reads (trades, skills, qualifications)."""
    return lambda user: select(model)


def _visible_sessions(user: User):
    """A SELECT of the sessions of the cohorts the user sees."""
    cohorts = visible_cohorts(user).with_only_columns(Cohort.id)
    return select(WorkshopSession).where(WorkshopSession.cohort_id.in_(cohorts))


def _visible_users(user: User):
    """A SELECT of the users this user manages: every user for an admin, else none."""
    query = select(User)
    return query if user.role == "admin" else query.where(User.id.is_(None))


def _scopes() -> dict:
    """Entity -> (model, scope) of every record clients create with ids of their own."""
    return {
        "participant": (Participant, visible_participants),
        "enrolment": (Enrolment, visible_enrolments),
        "assessment": (Assessment, visible_assessments),
        "certificate": (Certificate, visible_certificates),
        "cohort": (Cohort, visible_cohorts),
        "session": (WorkshopSession, _visible_sessions),
        "trade": (Trade, _everyone(Trade)),
        "skill": (Skill, _everyone(Skill)),
        "qualification": (Qualification, _everyone(Qualification)),
        "facility": (Facility, visible_facilities),
        "organisation": (Organisation, visible_organisations),
        "user": (User, _visible_users),
        "api_token": (ApiToken, visible_tokens),
        **SCOPES,
    }


def earlier_create(user, entity: str, data: dict, action: str, replay: bool = True):
    """The record an identical earlier create of this user made under data's id (a replay),
    or None when the id is free; 409 `conflict` when anything else holds the id (and,
    with replay False, for a replay too: a sync push judges replays by its own ledger).

    The 409 is the same whoever's record holds the id; the record comes back under
    `current` only when the user sees it, and an attempt on one they do not see is
    audited as denied.
    """
    record_id = data.get("id")
    if not record_id:
        return None
    model, scope = _scopes()[entity]
    receipt = receipts.find(entity, record_id)
    if receipt is None and db.session.get(model, record_id) is None:
        return None
    visible = None
    if user is not None:
        visible = db.session.scalar(scope(user).where(model.id == record_id))
    if replay and visible is not None and receipts.is_replay(receipt, user.id, data):
        return visible
    if visible is None and user is not None:
        audit.record(action, entity, [record_id], actor_id=user.id, outcome="denied")
        db.session.commit()
    raise ApiError(409, "conflict", _l("A record with this id exists already."), record=visible)
