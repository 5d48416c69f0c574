"""One participant's pages: register, read (participants/pages.py renders it) and edit."""

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import (
    form_data,
    form_id,
    keep_form_errors,
    load_form,
    load_patch,
    render_form,
)
from prog_tracker.participants import services
from prog_tracker.participants.labels import REASON_LABELS, SEX_LABELS
from prog_tracker.participants.models import Participant
from prog_tracker.participants.pages import participant_page
from prog_tracker.participants.schemas import ParticipantCreateSchema, ParticipantPatchSchema
from prog_tracker.participants.views import bp

PERSON_FIELDS = (
    "prison_number",
    "given_name",
    "family_name",
    "other_names",
    "date_of_birth",
    "sex",
    "preferred_language",
    "expected_release_date",
)
REQUIRED = ("prison_number", "given_name", "family_name", "sex")
CLEARABLE = ("other_names", "date_of_birth", "preferred_language", "expected_release_date")


@bp.route("/new", methods=["GET", "POST"])
def new_participant():
    """Register a participant at a facility the user works for."""
    policy.require(g.user, "participant.create")
    if request.method == "GET":
        return _new_page({"facility_id": g.user.facility_id, "sex": "undisclosed"})
    submitted = form_data(("facility_id", *PERSON_FIELDS))
    try:
        data = load_form(ParticipantCreateSchema(), {**submitted, "id": form_id()})
        # Warned before saving, not refused: the officer may go on (SPEC §12).
        confirmed = request.form.get("confirm_not_duplicate") == "1"
        if not confirmed and (duplicates := services.likely_duplicates_of(g.user, data)):
            return _new_page(submitted, duplicates=duplicates)
        participant = services.create_participant(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return _new_page(submitted, err)
    # No names in flash messages: they travel in a cookie.
    flash(_("The participant is registered."), "success")
    return redirect(url_for(".show_participant", participant_id=participant.id))


def _new_page(values: dict, err=None, duplicates=()):
    """Render the registration form, with the likely duplicates found if any."""
    facilities = services.facilities_to_register_at(g.user)
    return render_form(
        "participants/form.html",
        values,
        err,
        participant=None,
        facility_options=[(f.id, f.name) for f in facilities],
        sex_options=list(SEX_LABELS.items()),
        duplicates=duplicates,
        reason_labels=REASON_LABELS,
        custody_details=policy.sees_custody_details(g.user),
    )


@bp.route("/<participant_id>")
def show_participant(participant_id):
    """One participant's details and release-date history (the read is audited); a record
    merged into another redirects to the survivor (as the API does)."""
    survivor = policy.merged_survivor(g.user, participant_id)
    if survivor is not None:
        return redirect(url_for(".show_participant", participant_id=survivor.id), 301)
    return participant_page(services.read_participant(g.user, participant_id))


@bp.route("/<participant_id>/edit", methods=["GET", "POST"])
def edit_participant(participant_id):
    """Change a participant; a new expected release date needs a reason."""
    participant = policy.get_participant(g.user, participant_id, "participant.update")
    policy.require(g.user, "participant.update", participant)
    if request.method == "GET":
        services.read_participant(g.user, participant_id)  # audits the read
        return _edit_page(participant, _values_of(participant))
    submitted = form_data((*PERSON_FIELDS, "reason", "version"))
    try:
        data = load_patch(ParticipantPatchSchema(), submitted, REQUIRED, CLEARABLE)
        services.update_participant(g.user, participant, data)
    except ApiError as err:
        keep_form_errors(err)
        return _edit_page(participant, _after_conflict(participant, submitted, err), err)
    flash(_("The changes are saved."), "success")
    return redirect(url_for(".show_participant", participant_id=participant.id))


def _edit_page(participant: Participant, values: dict, err=None):
    """Render the edit form, with what changed meanwhile after a conflict."""
    conflict = _differences(participant, values) if err and err.status == 409 else {}
    return render_form(
        "participants/form.html",
        values,
        err,
        participant=participant,
        conflict=conflict,
        sex_options=list(SEX_LABELS.items()),
    )


def _values_of(participant: Participant) -> dict:
    """The form values of a saved participant."""
    values = {name: _as_text(getattr(participant, name)) for name in PERSON_FIELDS}
    values["version"] = participant.version
    return values


def _after_conflict(record, submitted: dict, err: ApiError) -> dict:
    """Keep what the user typed; after a 409, take the saved version so they can save again."""
    values = dict(submitted)
    if err.status == 409:
        values["version"] = record.version
    return values


def _differences(record, values: dict) -> dict:
    """Saved values of the form fields that differ from what the user typed."""
    saved = {name: _as_text(getattr(record, name)) for name in PERSON_FIELDS}
    return {
        name: saved[name]
        for name in PERSON_FIELDS
        if (saved[name] or "") != (values.get(name) or "")
    }


def _as_text(value) -> str | None:
    """A model value as a form shows it (dates in ISO format)."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
