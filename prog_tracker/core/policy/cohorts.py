"""Scopes of cohorts (and their enrolments and sessions) and of certificates."""

from sqlalchemy import false, select

from prog_tracker.auth.models import User
from prog_tracker.certification.models import Assessment, Certificate
from prog_tracker.core import audit
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.policy.actions import deny, require
from prog_tracker.core.policy.participants import visible_participants
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release.models import StatusChange
from prog_tracker.workshops.models import Attendance, Cohort, Enrolment, cohort_instructors


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


# Events about one of these records name its person (audit.person_of).
for _entity, _model in (
    ("certificate", Certificate),
    ("assessment", Assessment),
    ("enrolment", Enrolment),
    ("attendance", Attendance),
    ("status_change", StatusChange),
):
    audit.register_person_record(_entity, _model)
