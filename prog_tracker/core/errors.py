"""The one error shape: ApiError, its constructors, and mapping other exceptions to it."""

from collections.abc import Callable
from typing import Any

from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

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
REPRESENTERS: dict[type, Callable[[Any], dict]] = {}


def register_representer(model, render) -> None:
    """Tell 409 answers how to render records of model."""
    REPRESENTERS[model] = render


class ApiError(Exception):
    """An error answered in the standard shape."""

    def __init__(
        self, status, code, message, fields=None, extra=None, headers=None, record=None, detail=None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.extra = extra or {}
        self.headers = headers or {}
        self.record = record
        # Fields inside `error` beside code and message (a revoked device's receipt_token).
        self.detail = detail or {}
        # True when the denied audit event this answer wrote went with a rolled-back
        # savepoint (a sync mutation), so whoever catches it must write it again.
        self.denial_undone = False


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
    body = {"error": {"code": err.code, "message": err.message, **err.detail}}
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
        fields: dict = {}
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
