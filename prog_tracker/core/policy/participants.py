"""Who sees which person (SPEC §3): each role's scope of participants, the
caseworker rule (an accepted referral and an active consent, judged on each
facility's day), and one person loaded by id.

Every other person-linked scope (cohorts' records, certificates, assessments,
after-release records) starts from `visible_participants`.
"""

from datetime import timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, exists, false, or_, select

from prog_tracker.auth.models import User
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.models import utcnow
from prog_tracker.core.policy.actions import deny
from prog_tracker.core.policy.days import facility_day_groups
from prog_tracker.core.policy.reasons import require_reason
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.workshops.models import Enrolment, cohort_instructors

__all__ = [
    "caseworker_scope",
    "consents_today",
    "get_participant",
    "merged_survivor",
    "visible_participant",
    "visible_participants",
]

# Enrolments through which an instructor sees a person (not once withdrawn).
INSTRUCTOR_SEES = ("waitlisted", "enrolled", "completed")
# Nobody's scope holds a person merged into another (a tombstone, SPEC §12): lists,
# searches, reports, the duplicates finder and sync see the survivor only.
LIVE = Participant.merged_into_id.is_(None)
# How many merges one redirect follows (A into B, then B into C).
MERGE_CHAIN = 10


def visible_participants(user: User, days: dict | None = None):
    """A SELECT of the participants this user may see (consent judged on `days`:
    facility id -> date, default each facility's today).

    Equal scopes share one immutable statement, built once: building a statement
    and computing its cache key cost more than running it. Nothing about who is
    in scope is kept: the statement runs on every request, and a caseworker's is
    keyed by each facility's day, so consent expiry is judged on the day it runs.
    """
    if user.role == "caseworker" and user.organisation_id:
        return _caseworker_participants(user.organisation_id, facility_day_groups(days))
    instructor_id = user.id if user.role == "instructor" else None
    return _participants_of(user.role, user.country, user.facility_id, instructor_id)


@lru_cache(maxsize=512)
def _participants_of(role: str, country, facility_id, instructor_id):
    """The scope of a role other than caseworker, for its country, facility or cohorts."""
    query = select(Participant).where(LIVE)
    if role == "admin" or (role == "supervisor" and not country):
        return query
    if role == "supervisor":
        return query.join(Facility, Participant.facility_id == Facility.id).where(
            Facility.country == country
        )
    if role == "officer" and facility_id:
        return query.where(Participant.facility_id == facility_id)
    if role == "instructor":
        taught = (
            select(Enrolment.participant_id)
            .join(cohort_instructors, cohort_instructors.c.cohort_id == Enrolment.cohort_id)
            .where(
                cohort_instructors.c.user_id == instructor_id,
                Enrolment.status.in_(INSTRUCTOR_SEES),
            )
        )
        return query.where(Participant.id.in_(taught))
    return query.where(false())


@lru_cache(maxsize=512)
def _caseworker_participants(organisation_id: str, day_groups: tuple):
    """The scope of a caseworker of the organisation, on the facilities' days."""
    return select(Participant).where(LIVE, _caseworker_rule(organisation_id, day_groups))


def caseworker_scope(query, organisation_id: str):
    """Narrow a participant query to an accepted referral and active consent (SPEC §3)."""
    return query.where(_caseworker_rule(organisation_id, facility_day_groups()))


def _caseworker_rule(organisation_id: str, day_groups: tuple):
    """Accepted referral to the organisation and its active consent, as one criterion.

    The referral list drives the query (an index on organisation and status),
    so a caseworker's request costs the size of their caseload, not of the
    whole register. Consent is judged on each person's facility's local day.
    """
    accepted = select(Referral.participant_id).where(
        Referral.organisation_id == organisation_id, Referral.status == "accepted"
    )
    return and_(Participant.id.in_(accepted), _consented(organisation_id, day_groups))


def consents_today(organisation_id: str):
    """A criterion on Participant: an active consent to the organisation, judged on each
    person's facility's day."""
    return _consented(organisation_id, facility_day_groups())


def _consented(organisation_id: str, day_groups: tuple):
    """An active consent to share with the organisation, on the facilities' days."""
    return exists().where(
        Consent.participant_id == Participant.id,
        Consent.organisation_id == organisation_id,
        Consent.purpose == "post_release_support",
        Consent.withdrawn_on.is_(None),
        or_(Consent.expires_on.is_(None), _not_expired(day_groups)),
    )


def _not_expired(day_groups: tuple):
    """Consent.expires_on is today or later, today being each facility's local date."""
    if not day_groups:
        return false()
    return or_(
        *(
            and_(Participant.facility_id.in_(ids), Consent.expires_on >= day)
            for day, ids in day_groups
        )
    )


def get_participant(user: User, participant_id: str, action="participant.read") -> Participant:
    """Load one participant in the user's scope, or answer 404 and audit the denial.

    Supervisors and admins reading the record must have given a reason first (403
    reason_required), asked before the lookup so the answer tells nothing about
    whether the person exists or is in their scope.
    """
    canonical = parse_uuid(participant_id)
    require_reason(user, canonical)
    found = None
    if canonical:
        found = db.session.scalar(visible_participants(user).where(Participant.id == canonical))
    if found is None:
        deny(user, action, "participant", [canonical or "malformed"])
    return found


def visible_participant(user: User, participant_id: str) -> Participant | None:
    """The participant if the user sees them, else None (no denial: for a page that
    answers about a record it already loaded, and names the person only if in scope)."""
    query = visible_participants(user).where(Participant.id == participant_id)
    return db.session.scalar(query)


def merged_survivor(user: User, participant_id: str) -> Participant | None:
    """The live person a merged record now is, when its redirect still runs
    (MERGE_REDIRECT_DAYS after the merge) and the user sees them; else None, and the
    caller answers as for any record out of scope."""
    canonical = parse_uuid(participant_id)
    tombstone = db.session.get(Participant, canonical) if canonical else None
    if tombstone is None or tombstone.merged_into_id is None:
        return None
    days = int(current_app.config.get("MERGE_REDIRECT_DAYS", 90))
    if tombstone.merged_at is None or tombstone.merged_at + timedelta(days=days) < utcnow():
        return None
    survivor: Participant | None = tombstone
    for _ in range(MERGE_CHAIN):
        if survivor is None or survivor.merged_into_id is None:
            break
        survivor = db.session.get(Participant, survivor.merged_into_id)
    if survivor is None or survivor.merged_into_id is not None:
        return None
    return visible_participant(user, survivor.id)
