"""JSON API conventions: the error shape, pagination and shared helpers."""

import base64
import binascii
import json
import uuid

from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
# Larger offsets overflow the databases' 64-bit OFFSET; no real list is that long.
MAX_OFFSET = 2**31 - 1

# Werkzeug status -> our error code, for errors raised without one.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "cursor_expired",
    413: "payload_too_large",
    415: "bad_request",
    422: "validation_error",
    429: "rate_limited",
    503: "unavailable",
}


# Model class -> function that renders it, for 409 answers (filled by domains).
REPRESENTERS = {}


class ApiError(Exception):
    """An error answered in the standard shape."""

    def __init__(self, status, code, message, fields=None, extra=None, headers=None, record=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.extra = extra or {}
        self.headers = headers or {}
        self.record = record


def register_representer(model, render) -> None:
    """Tell 409 answers how to render records of model."""
    REPRESENTERS[model] = render


def check_version(record, version) -> None:
    """Answer 409 with the current record when the client's version is stale."""
    if version is not None and version != record.version:
        raise ApiError(
            409, "conflict", _l("Someone changed this record since you loaded it."), record=record
        )


def commit_or_conflict(record) -> None:
    """Commit; a concurrent update of record found at flush time answers 409 with it."""
    from sqlalchemy.orm.exc import StaleDataError

    from prog_tracker.extensions import db

    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ApiError(
            409, "conflict", _l("Someone changed this record since you loaded it."), record=record
        ) from None


def not_found() -> ApiError:
    """The one 404 used for missing and out-of-scope records alike."""
    return ApiError(404, "not_found", _l("No such record."))


def forbidden(message=None) -> ApiError:
    """A 403 for an action the caller's role may not take."""
    return ApiError(403, "forbidden", message or _l("You may not do this."))


def validation_error(fields, message=None, code="validation_error"):
    """A 422 naming the offending fields."""
    return ApiError(422, code, message or _l("Some fields are not valid."), fields=fields)


def rule_error(code, message, fields=None, **extra) -> ApiError:
    """A 422 for a request that breaks a domain rule named by code."""
    return ApiError(422, code, message, fields=fields, extra=extra)


def error_response(err: ApiError):
    """Render an ApiError as a JSON response."""
    body = {"error": {"code": err.code, "message": err.message}}
    if err.fields:
        body["error"]["fields"] = normalize_fields(err.fields)
    body.update(err.extra)
    if err.record is not None:
        render = REPRESENTERS.get(type(err.record))
        body["current"] = render(err.record) if render else {"id": err.record.id}
    response = jsonify(body)
    response.status_code = err.status
    for name, value in err.headers.items():
        response.headers[name] = value
    return response


def normalize_fields(fields):
    """Field errors as lists of messages, however a validator raised them.

    marshmallow wraps a plain str message in a list but not a lazy one, so
    clients could get a string where they expect a list.
    """
    if isinstance(fields, dict):
        return {str(key): normalize_fields(value) for key, value in fields.items()}
    if isinstance(fields, list | tuple):
        return [item if isinstance(item, dict) else str(item) for item in fields]
    return [str(fields)]


def wants_json() -> bool:
    """True for API routes and health checks, which always answer JSON."""
    return request.path.startswith("/api/") or request.path in ("/healthz", "/readyz")


def from_http_exception(exc: HTTPException) -> ApiError:
    """Translate a werkzeug/webargs HTTPException into an ApiError."""
    status = exc.code or 500
    code = STATUS_CODES.get(status, "error")
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if status == 422 and messages:
        # webargs nests by location ("json", "query"); flatten one level.
        fields = {}
        for value in messages.values():
            fields.update(value if isinstance(value, dict) else {"_": value})
        return validation_error(fields)
    if status == 400:
        return ApiError(400, "bad_request", _l("The request body is not valid JSON."))
    headers = {}
    if status == 429:
        headers["Retry-After"] = str(_retry_after(exc))
        return ApiError(
            429, "rate_limited", _l("Too many attempts; try again later."), headers=headers
        )
    message = {
        401: _l("Sign in first."),
        404: _l("No such record."),
        405: _l("This method is not allowed here."),
        413: _l("The request is too large."),
    }.get(status, exc.description or exc.name)
    return ApiError(status, code, message)


def _retry_after(exc) -> int:
    """Seconds until a rate-limited caller may try again."""
    limit = getattr(exc, "limit", None)
    try:
        return max(1, int(limit.limit.get_expiry())) if limit else 60
    except Exception:  # pragma: no cover - defensive: limits API differences
        return 60


def parse_uuid(value: str) -> str | None:
    """Return value as a canonical UUID string, or None when it is not one."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        return None


def page_params():
    """Read ?limit and ?cursor; returns (limit, offset)."""
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw_limit)
    except ValueError:
        raise validation_error({"limit": [_l("Must be a whole number.")]}) from None
    if limit < 1:
        raise validation_error({"limit": [_l("Must be at least 1.")]})
    limit = min(limit, MAX_LIMIT)
    return limit, decode_cursor(request.args.get("cursor"))


def decode_cursor(cursor: str | None) -> int:
    """Return the offset held in an opaque cursor."""
    if not cursor:
        return 0
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=="))
        offset = payload["o"]
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError):
        raise validation_error({"cursor": [_l("Not a valid cursor.")]}) from None
    # Only a plain integer (not Infinity, a float, a string or a bool) is ours.
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        raise validation_error({"cursor": [_l("Not a valid cursor.")]})
    return offset


def encode_cursor(offset: int) -> str:
    """Make an opaque cursor for the given offset."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def paginate(session, query, limit: int, offset: int):
    """Run query for one page; returns (rows, next_cursor)."""
    rows = list(session.scalars(query.limit(limit + 1).offset(offset)))
    next_cursor = encode_cursor(offset + limit) if len(rows) > limit else None
    return rows[:limit], next_cursor


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


def register_error_handlers(app) -> None:
    """Answer every error in the standard shape on API routes."""

    @app.errorhandler(ApiError)
    def _api_error(err):
        if wants_json():
            return error_response(err)
        from prog_tracker.core.pages import render_error_page

        return render_error_page(err)

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        return _api_error(from_http_exception(exc))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        return _api_error(unexpected_error(exc))


def unexpected_error(exc) -> ApiError:
    """Map an unhandled exception to an answer, logging no personal data."""
    from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    from prog_tracker.extensions import db

    # A failed transaction must be rolled back before anything (the locale, the
    # error page's user) touches the database again.
    try:
        db.session.rollback()
    except Exception:  # pragma: no cover - the connection itself may be gone
        current_app.logger.warning("rollback after an error failed")
    if isinstance(exc, OperationalError):
        current_app.logger.error("database unavailable: %s", type(exc.orig).__name__)
        return ApiError(
            503, "unavailable", _l("The database cannot be reached."), headers={"Retry-After": "30"}
        )
    if isinstance(exc, StaleDataError | IntegrityError):
        # Two requests raced for the same record; the loser may simply retry.
        current_app.logger.info("concurrent change refused: %s", type(exc).__name__)
        return ApiError(409, "conflict", _l("Someone changed this record at the same time."))
    if isinstance(exc, DBAPIError):
        # The driver's message can quote row values (names): log the type only.
        current_app.logger.error("database error: %s", type(exc.orig).__name__)
    else:
        current_app.logger.exception("unhandled error")
    return ApiError(500, "internal_error", _l("Something went wrong on our side."))
