"""A person's skills checklist in a cohort: the latest result per skill, and sign-off."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from prog_tracker.auth.names import display_names
from prog_tracker.certification.models import Qualification, Skill
from prog_tracker.certification.schemas import AssessmentCreateSchema
from prog_tracker.certification.services import record_assessment, visible_assessments
from prog_tracker.core import audit, policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields, not_found
from prog_tracker.core.forms import form_data, keep_form_errors, load_form
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Enrolment
from prog_tracker.workshops.views import bp

# Enrolments in which a person's skills are signed off (as the assessment rules say).
ASSESSABLE = ("enrolled", "completed")


@bp.route("/cohorts/<cohort_id>/participants/<participant_id>/skills", methods=["GET", "POST"])
def skills_checklist(cohort_id, participant_id):
    """The skills of the cohort's trade for one person, with the latest result of each."""
    action = "assessment.record" if request.method == "POST" else "cohort.read"
    cohort = policy.get_cohort(g.user, cohort_id, action)
    participant = policy.get_participant(g.user, participant_id, action)
    enrolment = _enrolment_in(cohort, participant)
    if request.method == "GET":
        return _checklist_page(cohort, participant, enrolment)
    policy.require(g.user, "assessment.record", cohort)
    submitted = form_data(("skill_id", "result", "assessed_on", "note"))
    data = {**submitted, "participant_id": participant.id, "cohort_id": cohort.id}
    try:
        record_assessment(g.user, load_form(AssessmentCreateSchema(), data))
    except ApiError as err:
        keep_form_errors(err)
        return _checklist_page(cohort, participant, enrolment, err, submitted)
    flash(_("The assessment is recorded."), "success")
    return redirect(
        url_for(
            ".skills_checklist",
            cohort_id=cohort.id,
            participant_id=participant.id,
            _anchor=f"skill-{submitted.get('skill_id')}",
        )
    )


def _enrolment_in(cohort, participant) -> Enrolment:
    """The person's latest enrolment in the cohort; 404 when they never had one."""
    found = db.session.scalar(
        select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.participant_id == participant.id)
        .order_by(Enrolment.created_at.desc(), Enrolment.id)
        .limit(1)
    )
    if found is None:
        raise not_found()
    return found


def _checklist_page(cohort, participant, enrolment, err: ApiError | None = None, values=None):
    """Render the checklist (a detail read of the person, audited)."""
    audit.record("participant.read", "participant", [participant.id], g.user.id)
    db.session.commit()
    qualification = (
        db.session.get(Qualification, cohort.qualification_id) if cohort.qualification_id else None
    )
    required = set(qualification.skill_ids) if qualification is not None else set()
    skills = list(
        db.session.scalars(
            select(Skill).where(Skill.trade_id == cohort.trade_id).order_by(Skill.code, Skill.id)
        )
    )
    skills = [s for s in skills if s.id in required] + [s for s in skills if s.id not in required]
    latest = _latest_results(participant)
    assessors = display_names([a.assessor_id for a in latest.values()])
    competent = sum(1 for s in required if getattr(latest.get(s), "result", None) == "competent")
    failed = (values or {}).get("skill_id")
    page = render_template(
        "workshops/skills.html",
        cohort=cohort,
        participant=participant,
        enrolment=enrolment,
        qualification=qualification,
        skills=skills,
        required=required,
        required_competent=competent,
        latest=latest,
        assessors=assessors,
        today=today_at(cohort.facility).isoformat(),
        may_record=enrolment.status in ASSESSABLE
        and policy.may(g.user, "assessment.record", cohort),
        failed=failed,
        values=values or {},
        errors=normalize_fields(err.fields) if err is not None and err.fields else {},
        form_message=err.message if err is not None else None,
    )
    return page, (err.status if err is not None else 200)


def _latest_results(participant) -> dict:
    """skill_id -> the person's latest assessment of it (in any cohort the user sees)."""
    latest = {}
    for assessment in db.session.scalars(visible_assessments(g.user, participant.id)):
        latest.setdefault(assessment.skill_id, assessment)
    return latest
