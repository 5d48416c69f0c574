"""A person's skills checklist in a cohort: the latest result per skill, and sign-off.

Reached from the cohort page (workshops); recording an assessment is a
certification rule, so the page lives here, at the cohort's URL.
"""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.certification import services
from prog_tracker.certification.labels import RESULT_LABELS
from prog_tracker.certification.schemas import AssessmentCreateSchema
from prog_tracker.certification.views import bp
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields, not_found
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form
from prog_tracker.workshops.enrolments import latest_enrolment
from prog_tracker.workshops.labels import ENROLMENT_STATUS_LABELS
from prog_tracker.workshops.models import Enrolment


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
    data = {**submitted, "participant_id": participant.id, "cohort_id": cohort.id, "id": form_id()}
    try:
        services.record_assessment(g.user, load_form(AssessmentCreateSchema(), data))
    except ApiError as err:
        keep_form_errors(err)
        return _checklist_page(cohort, participant, enrolment, err, submitted)
    flash(_("The assessment is recorded."), "success")
    return redirect(_checklist_url(cohort, participant, submitted.get("skill_id")))


def _checklist_url(cohort, participant, skill_id) -> str:
    """The checklist, at the skill just assessed."""
    return url_for(
        ".skills_checklist",
        cohort_id=cohort.id,
        participant_id=participant.id,
        _anchor=f"skill-{skill_id}",
    )


def _enrolment_in(cohort, participant) -> Enrolment:
    """The person's latest enrolment in the cohort; 404 when they never had one."""
    found = latest_enrolment(cohort, participant)
    if found is None:
        raise not_found()
    return found


def _checklist_page(cohort, participant, enrolment, err: ApiError | None = None, values=None):
    """Render the checklist (a detail read of the person, audited)."""
    checklist = services.skills_checklist(g.user, cohort, participant)
    page = render_template(
        "certification/checklist.html",
        cohort=cohort,
        participant=participant,
        enrolment=enrolment,
        **checklist,
        today=today_at(cohort.facility).isoformat(),
        may_record=enrolment.status in services.ASSESSABLE
        and policy.may(g.user, "assessment.record", cohort),
        failed=(values or {}).get("skill_id"),
        values=values or {},
        errors=normalize_fields(err.fields) if err is not None and err.fields else {},
        form_message=err.message if err is not None else None,
        result_labels=RESULT_LABELS,
        enrolment_status_labels=ENROLMENT_STATUS_LABELS,
    )
    return page, (err.status if err is not None else 200)
