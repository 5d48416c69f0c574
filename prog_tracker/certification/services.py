"""The rules for skills, qualifications and assessments."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.auth.names import display_names
from prog_tracker.certification.models import Assessment, Qualification, Skill
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import Cohort, Enrolment, Trade

# Enrolments in which a person's skills are signed off.
ASSESSABLE = ("enrolled", "completed")


@creates.replayable("skill", "skill.create")
def create_skill(actor: User, data: dict) -> Skill:
    """Add a skill to a trade (admin)."""
    policy.require(actor, "catalogue.manage")
    claim = creates.claim(actor, "skill", data, "skill.create")
    if claim.earlier is not None:
        return claim.earlier
    if db.session.get(Trade, data["trade_id"]) is None:
        raise validation_error({"trade_id": [_l("No such trade.")]})
    _unique_code(data["trade_id"], data["code"])
    skill = Skill(**data)
    claim.keep(skill)
    db.session.add(skill)
    db.session.flush()
    audit.record("skill.create", "skill", [skill.id], actor_id=actor.id)
    db.session.commit()
    return skill


def update_skill(actor: User, skill: Skill, data: dict) -> Skill:
    """Change a skill's code or title (admin)."""
    policy.require(actor, "catalogue.manage")
    check_version(skill, data.pop("version", None))
    if "code" in data and data["code"] != skill.code:
        _unique_code(skill.trade_id, data["code"])
    for key, value in data.items():
        setattr(skill, key, value)
    audit.record("skill.update", "skill", [skill.id], actor_id=actor.id)
    commit_or_conflict(skill)
    return skill


def _unique_code(trade_id: str, code: str) -> None:
    """Skill codes are unique within a trade."""
    taken = db.session.scalar(
        select(Skill.id).where(Skill.trade_id == trade_id, Skill.code == code)
    )
    if taken:
        raise validation_error({"code": [_l("This trade already has a skill with this code.")]})


@creates.replayable("qualification", "qualification.create")
def create_qualification(actor: User, data: dict) -> Qualification:
    """Define a qualification as a set of skills of one trade (admin)."""
    policy.require(actor, "catalogue.manage")
    claim = creates.claim(actor, "qualification", data, "qualification.create")
    if claim.earlier is not None:
        return claim.earlier
    if db.session.get(Trade, data["trade_id"]) is None:
        raise validation_error({"trade_id": [_l("No such trade.")]})
    skill_ids = data.pop("skill_ids")
    qualification = Qualification(**data)
    qualification.skills = _skills_of_trade(data["trade_id"], skill_ids)
    claim.keep(qualification)
    db.session.add(qualification)
    db.session.flush()
    audit.record("qualification.create", "qualification", [qualification.id], actor_id=actor.id)
    db.session.commit()
    return qualification


def update_qualification(actor: User, qualification: Qualification, data: dict) -> Qualification:
    """Change a qualification (admin); certificates already issued keep their evidence."""
    policy.require(actor, "catalogue.manage")
    check_version(qualification, data.pop("version", None))
    skill_ids = data.pop("skill_ids", None)
    if skill_ids is not None:
        qualification.skills = _skills_of_trade(qualification.trade_id, skill_ids)
    for key, value in data.items():
        setattr(qualification, key, value)
    audit.record("qualification.update", "qualification", [qualification.id], actor_id=actor.id)
    commit_or_conflict(qualification)
    return qualification


def _skills_of_trade(trade_id: str, skill_ids: list[str]) -> list[Skill]:
    """The skills named, all of which must belong to the trade."""
    wanted = set(skill_ids)
    skills = list(db.session.scalars(select(Skill).where(Skill.id.in_(wanted))))
    if len(skills) != len(wanted) or any(s.trade_id != trade_id for s in skills):
        raise validation_error({"skill_ids": [_l("Choose skills of this qualification's trade.")]})
    return skills


@creates.replayable("assessment", "assessment.create")
def record_assessment(actor: User, data: dict) -> Assessment:
    """Sign off (or not yet) one skill of an enrolled person, by an instructor of the cohort."""
    cohort = policy.get_cohort(actor, data["cohort_id"], "assessment.record")
    policy.require(actor, "assessment.record", cohort)
    claim = creates.claim(actor, "assessment", data, "assessment.create")
    if claim.earlier is not None:
        return claim.earlier
    skill = db.session.get(Skill, data["skill_id"])
    if skill is None or skill.trade_id != cohort.trade_id:
        raise rule_error(
            "skill_not_in_trade",
            _l("This skill is not part of the cohort's trade."),
            fields={"skill_id": [_l("Choose a skill of the cohort's trade.")]},
        )
    _check_assessed_person(cohort, data["participant_id"])
    _check_assessed_on(cohort, data["assessed_on"])
    assessment = Assessment(**data, assessor_id=actor.id)
    claim.keep(assessment)
    db.session.add(assessment)
    db.session.flush()
    audit.record("assessment.create", "assessment", [assessment.id], actor_id=actor.id)
    db.session.commit()
    return assessment


def _check_assessed_person(cohort: Cohort, participant_id: str) -> None:
    """Only people enrolled in (or who completed) the cohort are assessed in it."""
    enrolled = db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.participant_id == participant_id,
            Enrolment.status.in_(ASSESSABLE),
        )
    )
    if enrolled is None:
        raise rule_error(
            "not_enrolled",
            _l("Only people enrolled in the cohort can be assessed in it."),
            fields={"participant_id": [_l("Not enrolled in this cohort.")]},
        )


def _check_assessed_on(cohort: Cohort, assessed_on) -> None:
    """An assessment happens between the cohort's start and today."""
    if assessed_on > today_at(cohort.facility) or assessed_on < cohort.start_date:
        raise rule_error(
            "assessed_on_out_of_range",
            _l("The assessment date must be between the cohort's start and today."),
            fields={"assessed_on": [_l("Choose a day between the cohort's start and today.")]},
        )


def visible_assessments(actor: User, participant_id=None, cohort_id=None):
    """A SELECT of assessments of people the actor sees, newest first."""
    query = policy.visible_assessments(actor)
    if participant_id:
        query = query.where(Assessment.participant_id == participant_id)
    if cohort_id:
        query = query.where(Assessment.cohort_id == cohort_id)
    return query.order_by(
        Assessment.assessed_on.desc(), Assessment.created_at.desc(), Assessment.id
    )


def latest_results(actor: User, participant_id: str) -> dict[str, Assessment]:
    """skill_id -> the person's latest assessment of it (in any cohort the actor sees)."""
    latest = {}
    for assessment in db.session.scalars(visible_assessments(actor, participant_id)):
        latest.setdefault(assessment.skill_id, assessment)
    return latest


def competent_count(required: set[str], latest: dict[str, Assessment]) -> int:
    """How many of the required skills are, at their latest assessment, competent."""
    return sum(1 for s in required if getattr(latest.get(s), "result", None) == "competent")


def skills_checklist(actor: User, cohort: Cohort, participant: Participant) -> dict:
    """A person's checklist in a cohort: the trade's skills (the qualification's first), the
    latest result of each, and how many required ones are competent (the read is audited)."""
    record_person_read(actor, participant)
    qualification = qualification_of(cohort)
    required = set(qualification.skill_ids) if qualification is not None else set()
    latest = latest_results(actor, participant.id)
    return {
        "qualification": qualification,
        "skills": trade_skills(cohort),
        "required": required,
        "required_competent": competent_count(required, latest),
        "latest": latest,
        "assessors": display_names([a.assessor_id for a in latest.values()]),
    }


def trade_skills(cohort: Cohort) -> list[Skill]:
    """The skills of the cohort's trade: its qualification's first, then by code."""
    qualification = qualification_of(cohort)
    required = set(qualification.skill_ids) if qualification is not None else set()
    skills = list(
        db.session.scalars(
            select(Skill).where(Skill.trade_id == cohort.trade_id).order_by(Skill.code, Skill.id)
        )
    )
    return [s for s in skills if s.id in required] + [s for s in skills if s.id not in required]


def record_person_read(actor: User, participant: Participant) -> None:
    """A page that names one person is a detail read of them, audited."""
    audit.record("participant.read", "participant", [participant.id], actor_id=actor.id)
    db.session.commit()


def audit_assessment_list(actor: User, assessments: list[Assessment]) -> None:
    """One list read of the people whose assessments were shown."""
    ids = sorted({a.participant_id for a in assessments})
    audit.record_list(actor, "assessment.list", "participant", ids)


def qualification_of(cohort: Cohort) -> Qualification | None:
    """The qualification a cohort prepares for, if it names one."""
    if not cohort.qualification_id:
        return None
    return db.session.get(Qualification, cohort.qualification_id)


def check_cohort_qualification(cohort: Cohort, errors: dict) -> None:
    """A cohort's qualification must be one of its trade (workshops.events.checking_cohort)."""
    if cohort.qualification_id:
        qualification = qualification_of(cohort)
        if qualification is None or qualification.trade_id != cohort.trade_id:
            errors["qualification_id"] = [_l("Choose a qualification of this trade.")]
