"""Helpers for HTML forms: the same schemas and services as the API."""

from flask import render_template, request
from marshmallow import ValidationError

from prog_tracker.core.api import ApiError, validation_error


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
    errors = error.fields if error and error.fields else {}
    status = error.status if error else 200
    message = error.message if error else None
    return render_template(template, values=values, errors=errors, form_message=message,
                           **context), status
