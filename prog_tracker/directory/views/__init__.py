"""HTML pages for facilities and partner organisations (admins only)."""

from dataclasses import dataclass

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import (
    fold_localised,
    form_data,
    form_id,
    keep_form_errors,
    load_form,
    load_patch,
    localised_inputs,
    localised_values,
    render_form,
)
from prog_tracker.core.pagination import decode_cursor
from prog_tracker.directory import services
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.directory.schemas import (
    TIMEZONE,
    FacilityCreateSchema,
    FacilityPatchSchema,
    OrganisationCreateSchema,
    OrganisationPatchSchema,
)

bp = Blueprint("directory", __name__, url_prefix="/admin")

KIND_LABELS = {
    "ngo": _l("Non-governmental organisation"),
    "employer": _l("Employer"),
    "government": _l("Government service"),
    "training_provider": _l("Training provider"),
}


@dataclass(frozen=True)
class Entry:
    """What differs between the facility pages and the organisation pages."""

    model: type
    create_schema: type
    patch_schema: type
    fields: tuple[str, ...]
    required: tuple[str, ...]
    clearable: tuple[str, ...]
    template: str
    list_endpoint: str
    # The map of names per language the form edits ("names"), if the record has one.
    localised: str | None = None


FACILITY = Entry(
    Facility,
    FacilityCreateSchema,
    FacilityPatchSchema,
    fields=("name", "country", "public_name", "timezone"),
    required=("name", "country", "public_name", "timezone"),
    clearable=(),
    template="admin/facility_form.html",
    list_endpoint=".list_facilities",
)
ORGANISATION = Entry(
    Organisation,
    OrganisationCreateSchema,
    OrganisationPatchSchema,
    fields=("name", "country", "kind", "contact_email", "contact_phone"),
    required=("name", "country", "kind"),
    clearable=("contact_email", "contact_phone"),
    template="admin/organisation_form.html",
    list_endpoint=".list_organisations",
    localised="names",
)


@bp.before_request
def admins_only():
    """The directory pages are for admins; anyone else gets 403."""
    policy.require(g.user, "directory.manage")


@bp.context_processor
def kind_labels() -> dict:
    """Translated organisation kinds for this blueprint's templates."""
    return {"kind_labels": KIND_LABELS}


@bp.route("/facilities")
def list_facilities():
    """Every facility the admin may see."""
    return _list_page("admin/facilities.html", ".list_facilities", services.facilities_page)


@bp.route("/facilities/new", methods=["GET", "POST"])
def new_facility():
    """Add a facility."""
    return _create(FACILITY, {"timezone": "UTC"})


@bp.route("/facilities/<facility_id>", methods=["GET", "POST"])
def edit_facility(facility_id):
    """Change a facility."""
    return _edit(FACILITY, policy.get_facility(g.user, facility_id))


@bp.route("/organisations")
def list_organisations():
    """Every partner organisation."""
    return _list_page(
        "admin/organisations.html", ".list_organisations", services.organisations_page
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation():
    """Add a partner organisation."""
    return _create(ORGANISATION, {"kind": "ngo"})


@bp.route("/organisations/<organisation_id>", methods=["GET", "POST"])
def edit_organisation(organisation_id):
    """Change a partner organisation."""
    return _edit(ORGANISATION, policy.get_record(g.user, Organisation, organisation_id))


def _list_page(template: str, endpoint: str, page):
    """One page of records (page(user, offset) reads it) with a link to the next."""
    offset = decode_cursor(request.args.get("cursor"))
    records, cursor = page(g.user, offset)
    return render_template(
        template,
        records=records,
        next_url=url_for(endpoint, cursor=cursor) if cursor else None,
        first_url=url_for(endpoint) if offset else None,
    )


def _create(entry: Entry, defaults: dict):
    """Show the blank form, or create the record from the submitted one."""
    if request.method == "GET":
        return _form_page(entry, None, defaults)
    submitted = _upper_country(form_data(_inputs(entry)))
    try:
        data = load_form(entry.create_schema(), {**_folded(entry, submitted), "id": form_id()})
        services.create_entry(g.user, entry.model, data)
    except ApiError as err:
        keep_form_errors(err)
        return _form_page(entry, None, submitted, err)
    flash(_("Saved."), "success")
    return redirect(url_for(entry.list_endpoint))


def _edit(entry: Entry, record):
    """Show a record's form, or save the submitted changes (409 on a stale version)."""
    if request.method == "GET":
        return _form_page(entry, record, _values_of(entry, record))
    submitted = _upper_country(form_data((*_inputs(entry), "version")))
    try:
        folded = _folded(entry, submitted)
        data = load_patch(entry.patch_schema(), folded, entry.required, entry.clearable)
        services.update_entry(g.user, record, data)
    except ApiError as err:
        keep_form_errors(err)
        if err.status == 409:
            submitted["version"] = record.version
        return _form_page(entry, record, submitted, err)
    flash(_("The changes are saved."), "success")
    return redirect(url_for(entry.list_endpoint))


def _form_page(entry: Entry, record, values: dict, err=None):
    """Render a facility or organisation form."""
    conflict = {}
    if err is not None and err.status == 409:
        saved = _values_of(entry, record)
        conflict = {
            name: saved[name]
            for name in entry.fields
            if (saved[name] or "") != (values.get(name) or "")
        }
    return render_form(
        entry.template,
        values,
        err,
        record=record,
        conflict=conflict,
        timezones=TIMEZONE.choices,
        kind_options=list(KIND_LABELS.items()),
    )


def _values_of(entry: Entry, record) -> dict:
    """The form values of a saved record."""
    values = {name: getattr(record, name) for name in entry.fields}
    if entry.localised:
        values.update(localised_values(getattr(record, entry.localised), entry.localised))
    return {**values, "version": record.version}


def _inputs(entry: Entry) -> tuple[str, ...]:
    """The form's inputs: the entry's fields and its names per language."""
    return (*entry.fields, *(localised_inputs(entry.localised) if entry.localised else ()))


def _folded(entry: Entry, submitted: dict) -> dict:
    """The submitted form with its names per language as one map."""
    return fold_localised(submitted, entry.localised) if entry.localised else submitted


def _upper_country(submitted: dict) -> dict:
    """Accept country codes typed in lower case."""
    if submitted.get("country"):
        submitted["country"] = submitted["country"].strip().upper()
    return submitted
