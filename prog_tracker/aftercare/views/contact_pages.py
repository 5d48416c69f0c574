"""Contact pages: log a contact, edit it (a new version), and read every earlier version."""

import datetime as dt

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from prog_tracker.aftercare import contacts, schemas
from prog_tracker.aftercare.labels import NEED_LABELS
from prog_tracker.aftercare.models import CONTACT_MODES, Contact
from prog_tracker.aftercare.views import bp
from prog_tracker.auth.names import display_names
from prog_tracker.core import policy
from prog_tracker.core.dates import facility_zone, local_moment
from prog_tracker.core.errors import ApiError, validation_error
from prog_tracker.core.forms import form_data, form_id, keep_form_errors, load_form, render_form
from prog_tracker.core.localised import with_country
from prog_tracker.core.models import utcnow
from prog_tracker.participants.models import Participant

CONTACT_FIELDS = (
    "occurred_on",
    "occurred_time",
    "mode",
    "location",
    "summary",
    "version",
    "organisation_id",
)


@bp.route("/participants/<person_id>/contacts/new", methods=["GET", "POST"])
def new_contact(person_id):
    """Log a contact with a person (failed attempts too); then back to their card."""
    participant = policy.get_aftercare_participant(g.user, person_id, "contact.record")
    policy.require(g.user, "contact.record", participant)  # 403 before judging the form
    if request.method == "GET":
        return _form_page(participant, None, _now_values(participant))
    submitted = _submitted()
    try:
        extra = {"participant_id": participant.id, "id": form_id()}
        if submitted.get("organisation_id"):
            extra["organisation_id"] = submitted["organisation_id"]  # an admin names it
        data = _load(schemas.ContactCreateSchema(), submitted, participant, **extra)
        contacts.record_contact(g.user, data)
    except ApiError as err:
        keep_form_errors(err)
        return _form_page(participant, None, submitted, err)
    flash(_("The contact is saved."), "success")
    return redirect(url_for(".participant_card", person_id=participant.id))


@bp.route("/contacts/<contact_id>/edit", methods=["GET", "POST"])
def edit_contact(contact_id):
    """Correct a contact: the saved text becomes an earlier version, still readable."""
    contact = policy.get_scoped(g.user, "contact", contact_id, "contact.update")
    policy.require(g.user, "contact.record", contact)
    participant = policy.get_aftercare_participant(g.user, contact.participant_id, "contact.update")
    if request.method == "GET":
        contacts.read_contact(g.user, contact)
        return _form_page(participant, contact, _values_of(contact, participant))
    submitted = _submitted()
    try:
        version = _as_int(submitted.get("version"))
        data = _load(schemas.ContactPatchSchema(), submitted, participant, version=version)
        contacts.edit_contact(g.user, contact, _with_cleared(data, submitted))
    except ApiError as err:
        keep_form_errors(err)
        if err.status == 409:
            submitted["version"] = contact.version  # saving again keeps the user's entries
        return _form_page(participant, contact, submitted, err)
    flash(_("The contact is corrected; the earlier version is kept."), "success")
    return redirect(url_for(".contact_history", contact_id=contact.id))


@bp.route("/contacts/<contact_id>")
def contact_history(contact_id):
    """A contact as saved now, and every earlier version with who wrote it and when."""
    contact = policy.get_scoped(g.user, "contact", contact_id, "contact.read")
    participant = policy.get_aftercare_participant(g.user, contact.participant_id, "contact.read")
    versions = sorted(contacts.contact_versions(contact), key=lambda v: v.version, reverse=True)
    contacts.read_contact(g.user, contact)
    return render_template(
        "aftercare/contact_history.html",
        contact=contact,
        participant=participant,
        versions=versions,
        current_writer=contact.edited_by_id or contact.caseworker_id,
        names=display_names(
            [contact.caseworker_id, contact.edited_by_id, *(v.written_by_id for v in versions)]
        ),
        may_edit=policy.may(g.user, "contact.record", contact),
    )


def _submitted() -> dict:
    """The contact form as typed: blanks as None, the needs ticked as a list."""
    values = form_data(CONTACT_FIELDS)
    values["needs"] = [n for n in request.form.getlist("needs") if n.strip()]
    return values


def _load(schema, values: dict, participant: Participant, **extra) -> dict:
    """Validate the form with the API schema; a day or time that cannot be read joins its errors."""
    when, when_errors = _occurred_at(values, participant)
    body = {
        "occurred_at": when,
        "mode": values.get("mode"),
        "location": values.get("location"),
        "summary": values.get("summary"),
        "needs": values.get("needs") or [],
        **extra,
    }
    try:
        data = load_form(schema, body)
    except ApiError as err:
        raise validation_error({**(err.fields or {}), **when_errors}) from None
    if when_errors:
        raise validation_error(when_errors)
    return data


def _occurred_at(values: dict, participant: Participant) -> tuple[str | None, dict]:
    """The typed local day and time at the person's facility as UTC ISO 8601, and errors."""
    errors = {}
    try:
        day = dt.date.fromisoformat((values.get("occurred_on") or "").strip())
    except ValueError:
        errors["occurred_on"] = [_("Enter the day of the contact.")]
    try:
        clock = dt.time.fromisoformat((values.get("occurred_time") or "").strip())
    except ValueError:
        errors["occurred_time"] = [_("Enter the time of the contact, for example 14:30.")]
    if errors:
        return None, errors
    zone = facility_zone(participant.facility)
    local = dt.datetime.combine(day, clock.replace(tzinfo=None), tzinfo=zone)
    return local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), {}


def _with_cleared(data: dict, body: dict) -> dict:
    """An edit sends the whole form: a location or summary left blank is cleared."""
    return {**data, **{name: None for name in ("location", "summary") if body.get(name) is None}}


def _as_int(value):
    """A version number from a hidden field as an int; anything else as sent, for the schema."""
    return int(value) if value is not None and str(value).strip().isdigit() else value


def _now_values(participant: Participant) -> dict:
    """A new contact's form: now on the facility's clock, nothing else chosen."""
    now = local_moment(utcnow(), participant.facility)
    return {
        "occurred_on": now.date().isoformat(),
        "occurred_time": now.strftime("%H:%M"),
        "needs": [],
    }


def _values_of(contact: Contact, participant: Participant) -> dict:
    """The edit form's values: the saved contact on the facility's clock."""
    when = local_moment(contact.occurred_at, participant.facility)
    return {
        "occurred_on": when.date().isoformat(),
        "occurred_time": when.strftime("%H:%M"),
        "mode": contact.mode,
        "location": contact.location,
        "summary": contact.summary,
        "needs": list(contact.needs or []),
        "version": contact.version,
    }


def _form_page(participant: Participant, contact: Contact | None, values: dict, err=None):
    """Render the contact form (new or edit) with what was typed and the errors."""
    if err is not None and isinstance((err.fields or {}).get("needs"), dict):
        # Errors about single needs are shown on the needs as a whole.
        err.fields = {**err.fields, "needs": _flat(err.fields["needs"])}
    return render_form(
        "aftercare/contact_form.html",
        values,
        err,
        participant=participant,
        contact=contact,
        modes=CONTACT_MODES,
        organisation_options=_organisation_options(participant, contact),
        need_options=list(NEED_LABELS.items()),
        extra_needs=[n for n in values.get("needs") or [] if n not in NEED_LABELS],
        conflict=err is not None and err.status == 409,
    )


def _flat(problems) -> list[str]:
    """Every message in a nested error structure, in order."""
    if isinstance(problems, dict):
        return [m for value in problems.values() for m in _flat(value)]
    if isinstance(problems, list | tuple):
        return [m for value in problems for m in _flat(value)]
    return [str(problems)]


def _organisation_options(participant, contact: Contact | None) -> list[tuple[str, str]]:
    """For a new contact by someone of no organisation (an admin): the organisations to name."""
    if contact is not None or g.user.organisation_id:
        return []
    organisations = contacts.organisations_to_name(g.user, participant)
    return [(o.id, with_country(o)) for o in organisations]
