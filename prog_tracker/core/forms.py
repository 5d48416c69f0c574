"""Helpers for HTML forms: the same schemas and services as the API."""

from flask import g, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from prog_tracker.core.errors import ApiError, normalize_fields, validation_error
from prog_tracker.core.i18n import LOCALES
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.models import new_id
from prog_tracker.extensions import db

# The hidden field of every creating form: the one-time form id, which the service
# takes as the new record's client id, so the same form sent twice makes one record.
FORM_ID = "form_id"


def form_id() -> str | None:
    """The submitted one-time form id (the new record's id), or None when there is none."""
    return parse_uuid(request.form.get(FORM_ID, ""))


def one_time_form_id(action: str | None = None) -> str:
    """The form id a creating form is rendered with: the one just sent, so that saving
    a corrected form is still the same record; a fresh one on a first showing, once
    the id is spent (it holds another record: 409), or for another form of the page
    (action: the form's URL, on pages with several creating forms)."""
    sent = form_id() if request.method == "POST" else None
    if action is not None and action.split("?")[0].split("#")[0] != request.path:
        sent = None
    return sent if sent and not g.get("form_id_spent") else new_id()


def form_data(fields: tuple[str, ...] | None = None) -> dict:
    """The submitted form as a dict; empty optional fields become None."""
    data = {}
    for key in request.form:
        if key == "csrf_token" or (fields is not None and key not in fields):
            continue
        value = request.form.get(key, "")
        data[key] = value if value.strip() != "" else None
    return data


def load_form(schema, data: dict) -> dict:
    """Validate form data with an API schema, dropping blank values first."""
    cleaned = {k: v for k, v in data.items() if v is not None}
    try:
        return schema.load(cleaned)
    except ValidationError as err:
        raise validation_error(err.messages) from None


def render_form(template: str, values: dict, error: ApiError | None = None, **context):
    """Render a form page again with what the user typed and the errors."""
    errors = normalize_fields(error.fields) if error and error.fields else {}
    status = error.status if error else 200
    message = error.message if error else None
    return render_template(
        template, values=values, errors=errors, form_message=message, **context
    ), status


def keep_form_errors(err: ApiError) -> None:
    """Let 403/404 and the like reach the error page; undo a half-made change."""
    if err.status not in (409, 422):
        raise err
    # On a creating form a 409 says its id holds another record: the next save is a new one.
    g.form_id_spent = err.status == 409
    db.session.rollback()


def load_patch(schema, submitted: dict, required=(), clearable=()) -> dict:
    """Validate an edit form: blank required fields are errors, blank clearable ones clear."""
    errors = {name: [_("Must not be empty.")] for name in required if submitted.get(name) is None}
    values = dict(submitted)
    if values.get("version") is not None and str(values["version"]).isdigit():
        values["version"] = int(values["version"])
    try:
        data = load_form(schema, values)
    except ApiError as err:
        errors, data = {**(err.fields or {}), **errors}, {}
    if errors:
        raise validation_error(errors)
    data.update({name: None for name in clearable if name in submitted and submitted[name] is None})
    return data


def localised_inputs(per_language: str) -> tuple[str, ...]:
    """A form's inputs of a name per language: names.en, names.fr, … (one per language)."""
    return tuple(f"{per_language}.{code}" for code in LOCALES)


def fold_localised(submitted: dict, per_language: str) -> dict:
    """The form's names.<code> inputs folded into one map {code: name}, blanks left out.

    The map is always there, so an edit form that empties every translation clears them.
    """
    prefix = f"{per_language}."
    folded = {key: value for key, value in submitted.items() if not key.startswith(prefix)}
    folded[per_language] = {
        key[len(prefix) :]: value
        for key, value in submitted.items()
        if key.startswith(prefix) and value is not None
    }
    return folded


def localised_values(translations: dict | None, per_language: str) -> dict:
    """A saved map of names per language as the form's names.<code> values."""
    return {f"{per_language}.{code}": name for code, name in (translations or {}).items()}
