"""Input no schema should have to think about, refused before any API view runs."""

import uuid

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from prog_tracker.core.errors import ApiError, not_found, validation_error, wants_json

JSON_BODY_METHODS = {"POST", "PUT", "PATCH"}


def check_request_text() -> None:
    """Refuse NUL or lone surrogates in the path, query or form of any request.

    The databases cannot store them and no keyboard types them, so they only
    come from crafted requests: a path answers 404 like any malformed id, an
    HTML query or form 400 (API queries and bodies get a 422 naming the field
    from check_api_input).
    """
    if any(isinstance(v, str) and _text_problem(v) for v in (request.view_args or {}).values()):
        raise not_found()
    _apply_upload_limit()
    if wants_json():
        return
    for values in (request.args, request.form):
        for key, items in values.lists():
            if any(_text_problem(text) for text in (key, *items)):
                raise ApiError(
                    400, "bad_request", _l("The request holds characters that cannot be stored.")
                )


def check_api_input() -> None:
    """Refuse API input no schema should have to think about, before the view runs.

    Bodies of POST, PUT and PATCH must be JSON (400 otherwise, and PUT/PATCH
    need one); nesting too deep for the parser is a 400, not a crash; and no
    string in the body or the query may hold NUL or a lone surrogate, which the
    databases cannot store (422 naming the top-level field).
    """
    if not wants_json() or request.url_rule is None:
        return
    _refuse_bad_text(request.args.to_dict(flat=False))
    if request.method not in JSON_BODY_METHODS:
        return
    if _view_marker("upload_limit") and request.mimetype == "multipart/form-data":
        _refuse_bad_text(request.form.to_dict(flat=False))
        return  # a file upload (its view reads the file): form fields checked like a body
    if not request.get_data(cache=True):
        if request.method in ("PUT", "PATCH"):
            raise ApiError(400, "bad_request", _l("Send the fields to change as a JSON object."))
        return
    if not request.is_json:
        raise ApiError(
            400, "bad_request", _l("Send a JSON body with Content-Type application/json.")
        )
    try:
        body = request.get_json()  # invalid JSON raises BadRequest -> 400 bad_request
    except RecursionError:
        raise ApiError(400, "bad_request", _l("The JSON body is nested too deeply.")) from None
    if not isinstance(body, dict):
        body = {"_schema": body}
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    own = getattr(view, "checks_own_text", ())
    _refuse_bad_text({key: value for key, value in body.items() if key not in own})


def accepts_upload(config_key: str):
    """Mark a view that takes a multipart file of up to app.config[config_key] bytes.

    The limit must be in place before anything reads the body (the CSRF check reads
    the form), so it is set here, before every other check, rather than in the view.
    """

    def mark(view):
        view.upload_limit = config_key
        return view

    return mark


def _view_marker(name: str):
    """The value of a marker on the matched view, or None."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, name, None)


def _apply_upload_limit() -> None:
    """Let an upload view's request body be as large as its configured limit."""
    key = _view_marker("upload_limit")
    if key is not None:
        request.max_content_length = current_app.config[key]


def checks_own_text(*fields: str):
    """Mark a view that refuses unstorable text inside these body fields itself.

    A sync push answers each mutation on its own (SPEC §5): one mutation
    holding a NUL must be `rejected` in its place, not make the whole batch a
    422 that the device would send again and again.
    """

    def mark(view):
        view.checks_own_text = fields
        return view

    return mark


def _text_problem(value: str) -> str | None:
    """Why a string cannot be stored, or None when it can."""
    if "\x00" in value:
        return _l("NUL characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _l("Text must be valid Unicode.")
    return None


def _refuse_bad_text(data: dict) -> None:
    """Raise 422 when any string (key or value) under data's keys cannot be stored."""
    fields = unstorable_fields(data)
    if fields:
        raise validation_error(fields)


def unstorable_fields(data: dict) -> dict:
    """{top-level key: [why]} for each key of data under which some string (key or
    value, at any depth) cannot be stored; `_schema` when the key itself cannot."""
    fields = {}
    for top, value in data.items():
        stack = [top, value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and (problem := _text_problem(item)):
                fields["_schema" if _text_problem(top) else top] = [problem]
                break
    return fields


def parse_uuid(value: str) -> str | None:
    """Return value as a canonical UUID string, or None when it is not one."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        return None


def require_json_body() -> dict:
    """Return the JSON object body or raise bad_request."""
    if not request.is_json:
        raise ApiError(
            400, "bad_request", _l("Send a JSON body with Content-Type application/json.")
        )
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", _l("The request body must be a JSON object."))
    return data
