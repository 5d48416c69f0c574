"""Who may see and do what (SPEC §3): the one place access is decided.

Routes never filter by hand: they ask `visible_participants(user)` for the
scoped query, `get_participant(user, id)` for one record, and `require(user,
action, target)` before acting. Out-of-scope records look exactly like missing
ones (404) and leave a `denied` audit event.

This module holds the action table, `may`/`require`/`deny` and the scopes of
cohorts, certificates and facilities; who sees which person, where every
person-linked scope starts, is in `participants.py` beside it. Callers use
every name as `policy.<name>`: what the modules beside it define is imported here.
"""

from typing import NoReturn

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select

from prog_tracker.auth.models import User
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.core import audit
from prog_tracker.core.collation import by_name
from prog_tracker.core.errors import forbidden, not_found
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.policy.days import facility_day_groups, facility_days  # noqa: F401
from prog_tracker.core.policy.participants import (  # noqa: F401
    caseworker_scope,
    consents_today,
    get_participant,
    visible_participant,
    visible_participants,
)
from prog_tracker.core.policy.reasons import ReasonRequired, require_reason  # noqa: F401
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release.models import StatusChange
from prog_tracker.workshops.models import Attendance, Cohort, Enrolment, cohort_instructors

# Which role may take which action on a record it can see.
ACTIONS = {
    "participant.create": {"admin", "officer"},
    "participant.update": {"admin", "officer"},
    "directory.manage": {"admin"},
    "catalogue.manage": {"admin"},
    "user.manage": {"admin"},
    # API tokens that may do everything their user may (others: read or sync only).
    "api_token.create_full": {"admin", "supervisor"},
    "audit.read": {"admin", "supervisor"},
    # Subject access (SPEC §8): everything held about one person, as one file.
    "participant.subject_export": {"admin"},
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


def visible_cohorts(user: User):
    """A SELECT of the cohorts this user may see."""
    query = select(Cohort)
    if user.role == "admin" or (user.role == "supervisor" and not user.country):
        return query
    if user.role == "supervisor":
        return query.join(Facility, Cohort.facility_id == Facility.id).where(
            Facility.country == user.country
        )
    if user.role == "officer":
        return query.where(Cohort.facility_id == user.facility_id)
    if user.role == "instructor":
        mine = select(cohort_instructors.c.cohort_id).where(cohort_instructors.c.user_id == user.id)
        return query.where(Cohort.id.in_(mine))
    return query.where(false())


def get_cohort(user: User, cohort_id: str, action="cohort.read") -> Cohort:
    """Load one cohort in the user's scope, or answer 404 and audit the denial."""
    canonical = parse_uuid(cohort_id)
    found = None
    if canonical:
        found = db.session.scalar(visible_cohorts(user).where(Cohort.id == canonical))
    if found is None:
        deny(user, action, "cohort", [canonical or "malformed"])
    return found


def get_cohort_record(user: User, model, record_id: str, entity: str, action: str):
    """Load an enrolment or session whose cohort the user sees, or 404 and audit."""
    canonical = parse_uuid(record_id)
    found = db.session.get(model, canonical) if canonical else None
    if found is not None:
        seen = visible_cohorts(user).where(Cohort.id == found.cohort_id)
        found = found if db.session.scalar(seen) is not None else None
    if found is None:
        deny(user, action, entity, [canonical or "malformed"])
    return found


def get_certificate(user: User, certificate_id: str, action="certificate.read") -> Certificate:
    """Load a certificate of a participant the user sees, or 404 and audit."""
    canonical = parse_uuid(certificate_id)
    found = None
    if canonical:
        found = db.session.scalar(visible_certificates(user).where(Certificate.id == canonical))
    if found is None:
        deny(user, action, "certificate", [canonical or "malformed"])
    return found


def visible_certificates(user: User):
    """A SELECT of the certificates of the participants this user may see."""
    people = visible_participants(user).with_only_columns(Participant.id)
    return select(Certificate).where(Certificate.participant_id.in_(people))


def enrolment_candidates(user: User, cohort: Cohort):
    """The people a user may enrol in cohort: those of its facility (SPEC §3).

    Instructors search them to enrol them, so this is wider than what they
    see; callers show only name, number and status.
    """
    require(user, "enrolment.manage", cohort)
    return select(Participant).where(Participant.facility_id == cohort.facility_id)


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


def facility_choices(user: User):
    """The facilities a user may file participants in."""
    query = select(Facility).order_by(Facility.country, by_name(Facility.name), Facility.id)
    if user.role == "officer":
        return query.where(Facility.id == user.facility_id)
    if user.role == "admin":
        return query
    return query.where(false())


def get_record(user: User, model, record_id: str):
    """Load a non-personal record by id or answer 404 (no scope beyond role)."""
    canonical = parse_uuid(record_id)
    found = db.session.get(model, canonical) if canonical else None
    if found is None:
        raise not_found()
    return found


def visible_facilities(user: User):
    """A SELECT of the facilities a user may see."""
    query = select(Facility).order_by(Facility.country, by_name(Facility.name), Facility.id)
    if user.role == "admin" or (user.role == "supervisor" and not user.country):
        return query
    if user.role == "supervisor":
        return query.where(Facility.country == user.country)
    if user.role in ("officer", "instructor"):
        return query.where(Facility.id == user.facility_id)
    # Caseworkers never receive facility internals.
    return query.where(false())


def get_facility(user: User, facility_id: str) -> Facility:
    """A facility the user may see, or 404."""
    canonical = parse_uuid(facility_id)
    found = (
        db.session.scalar(visible_facilities(user).where(Facility.id == canonical))
        if canonical
        else None
    )
    if found is None:
        deny(user, "facility.read", "facility", [canonical or "malformed"])
    return found


def report_country(user: User, asked: str | None) -> str | None:
    """The country a user's reports count: a supervisor's own (asking for another is
    403), else the one asked for (None: every country)."""
    asked = asked.upper() if asked else None
    if user.role == "supervisor" and user.country:
        if asked and asked != user.country:
            raise forbidden(_l("Your reports cover %(country)s only.", country=user.country))
        return user.country
    return asked


def visible_organisations(user: User):
    """A SELECT of partner organisations: the directory is open to every role."""
    return select(Organisation).order_by(
        Organisation.country, by_name(Organisation.name), Organisation.id
    )


# Events about one of these records name its person (audit.person_of).
for _entity, _model in (
    ("certificate", Certificate),
    ("assessment", Assessment),
    ("enrolment", Enrolment),
    ("attendance", Attendance),
    ("status_change", StatusChange),
):
    audit.register_person_record(_entity, _model)

# Scopes of the release and after-release records (referrals, consents,
# contacts, follow-ups, outcomes, plans), of assessments and of staff records
# (users, tokens, audit events) live beside this module.
from prog_tracker.core.policy.aftercare import *  # noqa: E402, F403
from prog_tracker.core.policy.records import *  # noqa: E402, F403
from prog_tracker.core.policy.staff import *  # noqa: E402, F403
from prog_tracker.core.policy.tokens import *  # noqa: E402, F403
