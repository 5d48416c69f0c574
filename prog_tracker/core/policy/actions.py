"""The action table and the one question every route asks: may this user take this action
on that record (`may`, `require`), and the plain 404 with a denied audit event (`deny`)."""

from typing import NoReturn

from prog_tracker.auth.models import User
from prog_tracker.core import audit
from prog_tracker.core.errors import forbidden, not_found
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import Cohort

# Which role may take which action on a record it can see.
ACTIONS = {
    "participant.create": {"admin", "officer"},
    "participant.update": {"admin", "officer"},
    # Merging two records of one person, undoing it, the duplicates page (SPEC §12):
    # an officer only for people of their own facility (both of them), or an admin.
    "participant.merge": {"admin", "officer"},
    "directory.manage": {"admin"},
    "catalogue.manage": {"admin"},
    "user.manage": {"admin"},
    # API tokens that may do everything their user may (others: read or sync only).
    "api_token.create_full": {"admin", "supervisor"},
    "audit.read": {"admin", "supervisor"},
    # The device registry (SPEC §11): everyone revokes their own; admins anyone's;
    # supervisors review their country's devices without revoking them.
    "device.review": {"admin", "supervisor"},
    "device.revoke_any": {"admin"},
    # Subject access (SPEC §8): everything held about one person, as one file.
    "participant.subject_export": {"admin"},
    # Importing registers (SPEC §12): officers into their own facility, admins anywhere.
    "participant.import": {"admin", "officer"},
    "cohort.create": {"admin", "officer"},
    "cohort.update": {"admin", "officer"},
    "enrolment.manage": {"admin", "officer", "instructor"},
    "session.manage": {"admin", "instructor"},
    "attendance.record": {"admin", "instructor"},
    "assessment.record": {"admin", "instructor"},
    "certificate.issue": {"admin", "supervisor"},
    "certificate.revoke": {"admin", "supervisor"},
    "release.manage": {"admin", "officer"},
    # The list of releases ahead (plans to finish before release day).
    "release.list": {"admin", "supervisor", "officer"},
    "plan.update": {"admin", "officer", "caseworker"},
    # Handing a plan item to another organisation: facility staff, not its caseworkers.
    "plan.assign_owner": {"admin", "officer"},
    "referral.create": {"admin", "officer"},
    "referral.respond": {"admin", "caseworker"},
    "referral.assign": {"admin", "caseworker"},
    "referral.close": {"admin", "officer", "caseworker"},
    # A caseworker answers a pending referral by declining it, and closes accepted ones.
    "referral.close_unanswered": {"admin", "officer"},
    "consent.record": {"admin", "officer"},
    "consent.withdraw": {"admin", "officer", "caseworker"},
    "contact.record": {"admin", "caseworker"},
    "outcome.record": {"admin", "caseworker"},
    "caseload.read": {"admin", "supervisor", "officer", "caseworker"},
    # The offline field app's sync (SPEC §5, §6): built for the roles that work offline.
    "sync.use": {"instructor", "caseworker"},
    # Indicators, the dashboard and exports (SPEC §3, §7): supervisors within their country.
    "report.read": {"admin", "supervisor"},
    "report.export": {"admin", "supervisor"},
    "report.export_identified": {"admin", "supervisor"},
}

# Roles that never receive post-release contacts, outcomes or follow-ups.
NO_AFTERCARE = ("instructor",)


def teaches(user: User, cohort: Cohort) -> bool:
    """True when user is one of the cohort's instructors."""
    return any(instructor.id == user.id for instructor in cohort.instructors)


def deny(user: User, action: str, entity: str, entity_ids) -> NoReturn:
    """Record a denied access and answer with the plain 404."""
    audit.record(action, entity, entity_ids, actor_id=user.id, outcome="denied")
    db.session.commit()
    raise not_found()


def may(user: User, action: str, target=None) -> bool:
    """True when the user's role may take action on a target it can see."""
    if user.role not in ACTIONS.get(action, set()):
        return False
    if target is None:
        return True
    if user.role == "officer":
        return _facility_of(target) == user.facility_id
    if user.role == "instructor":
        cohort = _cohort_of(target)
        return cohort is not None and teaches(user, cohort)
    if user.role == "caseworker":
        if isinstance(target, Participant):
            return True  # already in scope: contacts and outcomes about them
        return user.organisation_id is not None and _organisation_of(target) == user.organisation_id
    return True


def _cohort_of(target) -> Cohort | None:
    """The cohort a target belongs to (itself, for a cohort)."""
    return target if isinstance(target, Cohort) else getattr(target, "cohort", None)


def _facility_of(target) -> str | None:
    """The facility a target belongs to: directly, through its cohort or its participant."""
    cohort = _cohort_of(target)
    if cohort is not None:
        return cohort.facility_id
    if isinstance(target, Participant):
        return target.facility_id
    participant = getattr(target, "participant", None)
    if participant is not None:
        return participant.facility_id
    if getattr(target, "participant_id", None) is not None:
        # Records that name their person by id only (plan items, consents, episodes).
        person = db.session.get(Participant, target.participant_id)
        return person.facility_id if person is not None else None
    return getattr(target, "facility_id", None)


def _organisation_of(target) -> str | None:
    """The partner organisation a target belongs to (referral, consent, contact, plan item)."""
    for name in ("organisation_id", "owner_organisation_id"):
        value = getattr(target, name, None)
        if value is not None:
            return value
    return None


def require(user: User, action: str, target=None) -> None:
    """Raise 403 forbidden unless may(user, action, target)."""
    if not may(user, action, target):
        raise forbidden()
