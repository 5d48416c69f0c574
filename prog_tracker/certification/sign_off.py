"""One skill for a whole cohort: everyone's latest result, and signing it off for those chosen.

The server pages' counterpart of the field app's skills screen: one skill, one
line per person enrolled in (or who completed) the cohort, one assessment per
person chosen. People already competent in the skill are skipped. Every
assessment goes through services.record_assessment (the rules of
POST /assessments, one audit event each). Each person's assessment id comes from
the form's one-time id, so a form sent twice records nobody twice.
"""

import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.auth.names import display_names
from prog_tracker.certification import services
from prog_tracker.certification.models import Assessment, Skill
from prog_tracker.core import audit, policy
from prog_tracker.core.collation import by_name
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.core.input import parse_uuid
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import Cohort, Enrolment

# Ids of the assessments a sign-off form makes: uuid5(this, "<form id>:<person id>").
SIGN_OFF_NAMESPACE = uuid.UUID("7d0c6f2e-3b51-4f0e-9a57-2f4c1b8e6a10")


def cohort_skill(cohort: Cohort, skill_id: str) -> Skill:
    """A skill of the cohort's trade; 404-like 422 when it is not one."""
    canonical = parse_uuid(skill_id) if isinstance(skill_id, str) else None
    skill = db.session.get(Skill, canonical) if canonical else None
    if skill is None or skill.trade_id != cohort.trade_id:
        raise rule_error(
            "skill_not_in_trade",
            _l("This skill is not part of the cohort's trade."),
            fields={"skill_id": [_l("Choose a skill of the cohort's trade.")]},
        )
    return skill


def _assessable(cohort: Cohort) -> list[Enrolment]:
    """The cohort's enrolments in which skills are signed off, by name."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(Participant, Participant.id == Enrolment.participant_id)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.status.in_(services.ASSESSABLE))
            .order_by(
                by_name(Participant.family_name), by_name(Participant.given_name), Participant.id
            )
        )
    )


def _latest_of(actor: User, skill: Skill, participant_ids: list[str]) -> dict[str, Assessment]:
    """participant id -> their latest assessment of the skill (in any cohort the actor sees)."""
    latest: dict[str, Assessment] = {}
    if not participant_ids:
        return latest
    query = services.visible_assessments(actor).where(
        Assessment.skill_id == skill.id, Assessment.participant_id.in_(participant_ids)
    )
    for assessment in db.session.scalars(query):
        latest.setdefault(assessment.participant_id, assessment)
    return latest


def skill_roster(actor: User, cohort: Cohort, skill: Skill) -> dict:
    """The cohort's people for one skill with their latest result (a list read, audited)."""
    enrolments = _assessable(cohort)
    ids = [e.participant_id for e in enrolments]
    latest = _latest_of(actor, skill, ids)
    audit.record_list(actor, "assessment.list", "participant", ids)
    return {
        "enrolments": enrolments,
        "latest": latest,
        "competent": {pid for pid, a in latest.items() if a.result == "competent"},
        "assessors": display_names([a.assessor_id for a in latest.values()]),
    }


def sign_off_skill(actor: User, cohort: Cohort, skill: Skill, data: dict) -> dict:
    """Record `competent` in skill for each chosen person not competent yet; returns how
    many were recorded and how many were skipped (competent already, or sent before)."""
    policy.require(actor, "assessment.record", cohort)
    chosen = list(dict.fromkeys(data["participant_ids"]))
    if not chosen:
        raise validation_error({"participant_ids": [_l("Choose at least one person.")]})
    enrolled = {e.participant_id for e in _assessable(cohort)}
    if any(pid not in enrolled for pid in chosen):
        raise rule_error(
            "not_enrolled",
            _l("Only people enrolled in the cohort can be assessed in it."),
            fields={"participant_ids": [_l("Not enrolled in this cohort.")]},
        )
    latest = _latest_of(actor, skill, chosen)
    ids = {pid: _assessment_id(data["form_id"], pid) for pid in chosen}
    sent_before = set(
        db.session.scalars(select(Assessment.id).where(Assessment.id.in_(list(ids.values()))))
    )
    recorded = skipped = 0
    for participant_id, assessment_id in ids.items():
        already = getattr(latest.get(participant_id), "result", None) == "competent"
        if already or assessment_id in sent_before:
            skipped += 1
            continue
        services.record_assessment(actor, _one(cohort, skill, participant_id, assessment_id, data))
        recorded += 1
    return {"recorded": recorded, "skipped": skipped}


def _assessment_id(form_id: str, participant_id: str) -> str:
    """The id of the assessment a sign-off form makes for one person."""
    return str(uuid.uuid5(SIGN_OFF_NAMESPACE, f"{form_id}:{participant_id}"))


def _one(cohort: Cohort, skill: Skill, participant_id: str, assessment_id: str, data) -> dict:
    """One person's assessment, as POST /assessments takes it."""
    return {
        "id": assessment_id,
        "participant_id": participant_id,
        "skill_id": skill.id,
        "cohort_id": cohort.id,
        "result": "competent",
        "assessed_on": data["assessed_on"],
        "note": data.get("note"),
    }
