"""HTML pages for participants: search, register, read and edit."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import form_data, keep_form_errors, load_form, load_patch, render_form
from prog_tracker.core.pagination import decode_cursor, paginate
from prog_tracker.extensions import db
from prog_tracker.participants import services
from prog_tracker.participants.models import Participant
from prog_tracker.participants.names import person_name, shown_number, sorted_name
from prog_tracker.participants.schemas import (
    ParticipantCreateSchema,
    ParticipantListQuerySchema,
    ParticipantPatchSchema,
)

bp = Blueprint("participants", __name__, url_prefix="/participants")

PAGE_SIZE = 50
FILTERS = ("q", "status", "facility_id", "releasing_before")
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
# Statuses in the order a person's journey goes.
STATUS_LABELS = {
    "in_custody": _l("In custody"),
    "released": _l("Released"),
    "returned_to_custody": _l("Returned to custody"),
    "closed": _l("Closed"),
}
SEX_LABELS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other"),
    "undisclosed": _l("Not disclosed"),
}


@bp.app_context_processor
def participant_labels() -> dict:
    """Translated status and sex labels for every template (home pages use them too)."""
    return {
        "status_labels": STATUS_LABELS,
        "sex_labels": SEX_LABELS,
        # Names as pages show them: a neutral label for an anonymised record.
        "person_name": person_name,
        "sorted_name": sorted_name,
        "shown_number": shown_number,
    }


@bp.route("")
def list_participants():
    """Search the participants the user may see, one page at a time."""
    shown = {key: request.args.get(key, "").strip() for key in FILTERS}
    try:
        filters = load_form(ParticipantListQuerySchema(), {k: v or None for k, v in shown.items()})
        offset = decode_cursor(request.args.get("cursor"))
    except ApiError as err:
        return _list_page(shown, [], None, err)
    query = services.search_participants(g.user, **filters)
    participants, cursor = paginate(db.session, query, PAGE_SIZE, offset)
    services.audit_list_read(g.user, participants)
    next_url = None
    if cursor:
        next_url = url_for(
            ".list_participants", cursor=cursor, **{k: v for k, v in shown.items() if v}
        )
    return _list_page(shown, participants, next_url)


def _list_page(shown: dict, participants: list, next_url: str | None, err=None):
    """Render the search form and the table of results."""
    facilities = list(db.session.scalars(policy.visible_facilities(g.user)))
    first_url = None
    if request.args.get("cursor"):
        first_url = url_for(".list_participants", **{k: v for k, v in shown.items() if v})
    return render_form(
        "participants/list.html",
        shown,
        err,
        participants=participants,
        next_url=next_url,
        first_url=first_url,
        facility_options=[(f.id, f.name) for f in facilities],
        status_options=list(STATUS_LABELS.items()),
        may_create=policy.may(g.user, "participant.create"),
        custody_details=policy.sees_custody_details(g.user),
    )


@bp.route("/new", methods=["GET", "POST"])
def new_participant():
    """Register a participant at a facility the user works for."""
    policy.require(g.user, "participant.create")
    if request.method == "GET":
        return _new_page({"facility_id": g.user.facility_id, "sex": "undisclosed"})
    submitted = form_data(("facility_id", *PERSON_FIELDS))
    try:
        data = load_form(ParticipantCreateSchema(), submitted)
        participant = services.create_participant(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return _new_page(submitted, err)
    # No names in flash messages: they travel in a cookie.
    flash(_("The participant is registered."), "success")
    return redirect(url_for(".show_participant", participant_id=participant.id))


def _new_page(values: dict, err=None):
    """Render the registration form."""
    facilities = db.session.scalars(policy.facility_choices(g.user))
    return render_form(
        "participants/form.html",
        values,
        err,
        participant=None,
        facility_options=[(f.id, f.name) for f in facilities],
        sex_options=list(SEX_LABELS.items()),
    )


@bp.route("/<participant_id>")
def show_participant(participant_id):
    """One participant's details and release-date history (the read is audited)."""
    return participant_page(services.read_participant(g.user, participant_id))


def participant_page(participant: Participant, status: int = 200, **extra):
    """Render a participant's page; other domains pass a refused form's values and errors."""
    context = {"values": {}, "errors": {}, "failed_form": None, **extra}
    page = render_template(
        "participants/show.html",
        participant=participant,
        # Instructors never receive the release-date history and its reasons (SPEC §3).
        history=(
            services.release_date_changes(participant)
            if policy.sees_release_history(g.user)
            else None
        ),
        may_edit=policy.may(g.user, "participant.update", participant),
        # Caseworkers never receive the prison number or facility internals (SPEC §3).
        custody_details=policy.sees_custody_details(g.user),
        **context,
    )
    return page, status


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
