"""One skill for the whole cohort: everyone's latest result, and a sign-off for those chosen.

As the field app's skills screen does: pick a skill, tick the people who showed
it, sign it off once. People already competent show as done, not as a choice.
"""

import uuid

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from prog_tracker.certification import services, sign_off
from prog_tracker.certification.labels import RESULT_LABELS
from prog_tracker.certification.schemas import SkillSignOffSchema
from prog_tracker.certification.views import bp
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields, not_found
from prog_tracker.core.forms import form_data, keep_form_errors, load_form


@bp.route("/cohorts/<cohort_id>/skills/<skill_id>", methods=["GET", "POST"])
def cohort_skill(cohort_id, skill_id):
    """One skill of the cohort's trade for everyone in the cohort; POST signs it off."""
    action = "assessment.record" if request.method == "POST" else "cohort.read"
    cohort = policy.get_cohort(g.user, cohort_id, action)
    skill = _skill_or_404(cohort, skill_id)
    if request.method == "GET":
        return _page(cohort, skill)
    policy.require(g.user, "assessment.record", cohort)
    submitted = form_data(("form_id", "assessed_on", "note"))
    chosen = request.form.getlist("participant_id")
    try:
        data = load_form(SkillSignOffSchema(), {**submitted, "participant_ids": chosen})
        done = sign_off.sign_off_skill(g.user, cohort, skill, data)
    except ApiError as err:
        keep_form_errors(err)
        return _page(cohort, skill, err, {**submitted, "participant_ids": chosen})
    flash(_signed_off(done), "success")
    return redirect(url_for(".cohort_skill", cohort_id=cohort.id, skill_id=skill.id))


def _skill_or_404(cohort, skill_id):
    """The skill of the cohort's trade named in the address, or 404."""
    try:
        return sign_off.cohort_skill(cohort, skill_id)
    except ApiError:
        raise not_found() from None


def _signed_off(done: dict) -> str:
    """What the sign-off did, in a sentence."""
    if not done["recorded"]:
        return _("Nothing new to record: the people chosen are competent already.")
    return ngettext(
        "The skill is signed off for %(num)d person.",
        "The skill is signed off for %(num)d people.",
        done["recorded"],
    )


def _page(cohort, skill, err: ApiError | None = None, values: dict | None = None):
    """Render the cohort's page for one skill; after a refused form, with what was chosen."""
    roster = sign_off.skill_roster(g.user, cohort, skill)
    values = values or {}
    page = render_template(
        "certification/cohort_skill.html",
        cohort=cohort,
        skill=skill,
        skills=services.trade_skills(cohort),
        **roster,
        # A fresh one-time id per form shown; a refused form keeps the one it was sent with.
        form_id=values.get("form_id") or str(uuid.uuid4()),
        today=today_at(cohort.facility).isoformat(),
        may_record=policy.may(g.user, "assessment.record", cohort),
        values=values,
        errors=normalize_fields(err.fields) if err is not None and err.fields else {},
        form_message=err.message if err is not None else None,
        result_labels=RESULT_LABELS,
    )
    return page, (err.status if err is not None else 200)
