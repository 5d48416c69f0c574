"""The outcome form: a person's work, housing and custody on a day after release."""

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from prog_tracker.aftercare import outcomes, schemas
from prog_tracker.aftercare.models import EMPLOYED, EMPLOYMENT, HOUSING
from prog_tracker.aftercare.views import bp
from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form, render_form
from prog_tracker.participants.models import Participant

OUTCOME_FIELDS = ("observed_on", "employment", "uses_trained_skill", "housing", "note")
# The three answers to "uses the trained skill": blank means not asked or not known.
SKILL_ANSWERS = {"yes": True, "no": False}


@bp.route("/participants/<person_id>/outcomes/new", methods=["GET", "POST"])
def new_outcome(person_id):
    """Record how a person is doing on a day: work, use of the trained skill, housing, custody."""
    participant = policy.get_aftercare_participant(g.user, person_id, "outcome.record")
    policy.require(g.user, "outcome.record", participant)  # 403 before judging the form
    if request.method == "GET":
        return _form_page(participant, {"observed_on": today_at(participant.facility).isoformat()})
    submitted = form_data(OUTCOME_FIELDS)
    submitted["returned_to_custody"] = bool(request.form.get("returned_to_custody"))
    try:
        body = {**_outcome_body(submitted), "participant_id": participant.id, "id": form_id()}
        outcomes.record_outcome(g.user, load_form(schemas.OutcomeCreateSchema(), body))
    except ApiError as err:
        keep_form_errors(err)
        return _form_page(participant, submitted, err)
    flash(_("The outcome is saved."), "success")
    return redirect(url_for(".participant_card", person_id=participant.id, _anchor="outcomes"))


def _outcome_body(values: dict) -> dict:
    """The service's fields from the form (yes/no answers as booleans)."""
    skill = values.get("uses_trained_skill")
    return {
        "observed_on": values.get("observed_on"),
        "employment": values.get("employment"),
        "uses_trained_skill": SKILL_ANSWERS.get(skill, skill),
        "housing": values.get("housing"),
        "returned_to_custody": values["returned_to_custody"],
        "note": values.get("note"),
    }


def _form_page(participant: Participant, values: dict, err=None):
    """Render the outcome form with what was typed and the errors."""
    return render_form(
        "aftercare/outcome_form.html",
        values,
        err,
        participant=participant,
        employment_options=EMPLOYMENT,
        employed=EMPLOYED,
        housing_options=HOUSING,
    )
