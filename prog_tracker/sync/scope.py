"""What a device may hold: each sync entity's records in the caller's scope, with tags.

Every scope is built from the policy's own queries (`visible_participants`,
`visible_cohorts`, the after-release scopes, `visible_assessments`), so sync
shows exactly what the API shows and nothing more. A record's *tag* changes
whenever its representation does: its version for most records; for records
whose representation also shows other records (a cohort's seat counts, a
referral's names, a follow-up's status today) a digest of that representation
or the status itself.
"""

import hashlib
import json
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import or_, select

from prog_tracker.aftercare.models import Contact, Outcome
from prog_tracker.certification.models import Assessment, Qualification, Skill
from prog_tracker.certification.services import visible_assessments
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Referral
from prog_tracker.release.followups import FAILED, status_on, window_of
from prog_tracker.release.models import FollowUp, ReleaseEpisode, ReleasePlanItem
from prog_tracker.workshops.models import Attendance, Cohort, Enrolment, WorkshopSession

# In the order a device should store them: what a record points at comes first.
ENTITIES = (
    "skill",
    "qualification",
    "cohort",
    "participant",
    "session",
    "enrolment",
    "attendance",
    "assessment",
    "referral",
    "release_plan_item",
    "follow_up",
    "contact",
    "outcome",
)
# The mapped classes (any: mypy sees no types through Flask-SQLAlchemy's db.Model).
MODELS: dict[str, type[Any]] = {
    "skill": Skill,
    "qualification": Qualification,
    "cohort": Cohort,
    "participant": Participant,
    "session": WorkshopSession,
    "enrolment": Enrolment,
    "attendance": Attendance,
    "assessment": Assessment,
    "referral": Referral,
    "release_plan_item": ReleasePlanItem,
    "follow_up": FollowUp,
    "contact": Contact,
    "outcome": Outcome,
}
# Entities whose tag is a digest of their whole representation (few records each).
DIGESTED = ("qualification", "cohort")


def people(user):
    """The ids of the participants the user sees, as a subquery."""
    return policy.visible_participants(user).with_only_columns(Participant.id)


def cohorts(user):
    """The ids of the cohorts the user sees, as a subquery."""
    return policy.visible_cohorts(user).with_only_columns(Cohort.id)


def _trades(user):
    """The trades of the cohorts the user sees, as a subquery."""
    return select(Cohort.trade_id).where(Cohort.id.in_(cohorts(user)))


def _assessed(user):
    """The assessments of the people the user sees (the API's list), without its order."""
    return visible_assessments(user).order_by(None)


SCOPES = {
    "participant": lambda user: policy.visible_participants(user),
    "cohort": lambda user: policy.visible_cohorts(user),
    "session": lambda user: select(WorkshopSession).where(
        WorkshopSession.cohort_id.in_(cohorts(user))
    ),
    "enrolment": lambda user: select(Enrolment).where(
        Enrolment.cohort_id.in_(cohorts(user)), Enrolment.participant_id.in_(people(user))
    ),
    "attendance": lambda user: (
        select(Attendance)
        .join(WorkshopSession, Attendance.session_id == WorkshopSession.id)
        .where(
            WorkshopSession.cohort_id.in_(cohorts(user)),
            Attendance.participant_id.in_(people(user)),
        )
    ),
    "assessment": lambda user: _assessed(user),
    # The skills of the trades taught, and those of the assessments shown.
    "skill": lambda user: select(Skill).where(
        or_(
            Skill.trade_id.in_(_trades(user)),
            Skill.id.in_(_assessed(user).with_only_columns(Assessment.skill_id)),
        )
    ),
    "qualification": lambda user: select(Qualification).where(
        Qualification.trade_id.in_(_trades(user))
    ),
    # A caseworker's API shows every referral to their organisation (to answer
    # pending ones); the device holds those of the people it holds.
    "referral": lambda user: policy.visible_referrals(user).where(
        Referral.participant_id.in_(people(user))
    ),
    "release_plan_item": lambda user: policy.visible_plan_items(user),
    "follow_up": lambda user: policy.visible_follow_ups(user),
    "contact": lambda user: policy.visible_contacts(user),
    "outcome": lambda user: policy.visible_outcomes(user),
}


def scope_query(user, entity: str):
    """A SELECT of the entity's records in the user's scope."""
    return SCOPES[entity](user).order_by(None)


def version_tags(user, entity: str) -> dict:
    """id -> version of the entity's records in scope (one narrow query)."""
    model = MODELS[entity]
    query = scope_query(user, entity).with_only_columns(model.id, model.version)
    return dict(db.session.execute(query).all())


def referral_tags(user) -> dict:
    """id -> tag of the referrals in scope: they show the person's and organisation's names."""
    in_scope_ids = scope_query(user, "referral").with_only_columns(Referral.id)
    rows = db.session.execute(
        select(Referral.id, Referral.version, Participant.version, Organisation.version)
        .join(Participant, Referral.participant_id == Participant.id)
        .join(Organisation, Referral.organisation_id == Organisation.id)
        .where(Referral.id.in_(in_scope_ids))
    )
    return {
        rid: f"{version}:{person}:{organisation}" for rid, version, person, organisation in rows
    }


def digest(data: dict) -> str:
    """A short digest of a representation, as its tag."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def in_scope(user, entity: str, record_id: str) -> bool:
    """True when the record is in the user's sync scope."""
    model = MODELS[entity]
    query = scope_query(user, entity).with_only_columns(model.id).where(model.id == record_id)
    return db.session.scalar(query) is not None


def follow_up_statuses(user) -> dict:
    """follow-up id -> (version, status today, met_by_contact_id, basis), for those in scope;
    basis names what else the device judges it by (the return day, the facility's zone),
    so a change there sends the follow-up again.

    Status is judged on today's date at each person's facility, against every
    successful contact with the person (whoever recorded it), as the API does.
    """
    in_scope_ids = scope_query(user, "follow_up").with_only_columns(FollowUp.id)
    rows = db.session.execute(
        select(
            FollowUp.id,
            FollowUp.version,
            FollowUp.participant_id,
            FollowUp.due_on,
            FollowUp.window_days,
            ReleaseEpisode.released_on,
            ReleaseEpisode.returned_on,
            Participant.facility_id,
            Facility.timezone,
        )
        .join(ReleaseEpisode, FollowUp.episode_id == ReleaseEpisode.id)
        .join(Participant, FollowUp.participant_id == Participant.id)
        .join(Facility, Participant.facility_id == Facility.id)
        .where(FollowUp.id.in_(in_scope_ids))
    ).all()
    contacts = _successful_contacts({row.participant_id for row in rows})
    days = policy.facility_days()
    return {row.id: _status(row, contacts.get(row.participant_id, []), days) for row in rows}


def _status(row, contacts: list, days: dict) -> tuple:
    """(version, status, met_by, basis) of one follow-up row."""
    facility = SimpleNamespace(id=row.facility_id, timezone=row.timezone)
    person = SimpleNamespace(facility=facility)
    episode = SimpleNamespace(
        participant_id=row.participant_id,
        released_on=row.released_on,
        returned_on=row.returned_on,
        participant=person,
    )
    # A stand-in built from the row: window_of and status_on read only these attributes.
    follow_up = cast(
        FollowUp,
        SimpleNamespace(due_on=row.due_on, window_days=row.window_days, episode=episode),
    )
    day = days.get(row.facility_id) or today_at(facility)
    basis = f"{row.returned_on or ''}@{row.timezone or ''}"
    if day < window_of(follow_up)[0]:
        return row.version, "upcoming", None, basis  # no contact meets it before its window
    status, met_by = status_on(follow_up, contacts, day)
    return row.version, status, met_by, basis


def _successful_contacts(participant_ids: set) -> dict:
    """participant_id -> their contacts other than failed attempts (id, mode, time)."""
    found: dict = {}
    ids = sorted(participant_ids)
    for start in range(0, len(ids), 500):
        query = select(Contact.id, Contact.participant_id, Contact.mode, Contact.occurred_at).where(
            Contact.participant_id.in_(ids[start : start + 500]), Contact.mode != FAILED
        )
        for row in db.session.execute(query):
            found.setdefault(row.participant_id, []).append(row)
    return found
