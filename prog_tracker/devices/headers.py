"""The field app's device headers: X-Device-Id (its store's id) and X-Device-Pending
(its unsent count), read on sign-in and on every sync request."""

from flask import request
from flask_babel import lazy_gettext as _l

from prog_tracker.core.errors import validation_error
from prog_tracker.devices import services
from prog_tracker.devices.models import Device, device_key
from prog_tracker.extensions import db

DEVICE_HEADER = "X-Device-Id"
PENDING_HEADER = "X-Device-Pending"
# The headers as the OpenAPI document describes them (sign-in takes the first only).
DEVICE_PARAMETER = {
    "in": "header",
    "name": DEVICE_HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    "description": "the field app's store on this device (one per user; the app sends a UUID); "
    "empty, longer than 100 characters or with control characters: 422",
}
PENDING_PARAMETER = {
    "in": "header",
    "name": PENDING_HEADER,
    "required": False,
    "schema": {"type": "integer", "minimum": 0},
    "description": "the app's count of unsent changes",
}
SYNC_PARAMETERS = [DEVICE_PARAMETER, PENDING_PARAMETER]
# More digits than any outbox holds: a bigger number is not a count the app sent.
PENDING_DIGITS = 9


def requested_device_id() -> str | None:
    """The id in X-Device-Id, None without one; 422 (field device_id) when it is not an id."""
    raw = request.headers.get(DEVICE_HEADER)
    if raw is None:
        return None
    key = device_key(raw)
    if key is None:
        raise validation_error({"device_id": [_l("Must be 1 to 100 printable characters.")]})
    return key


def reported_pending() -> int | None:
    """The count in X-Device-Pending, None without one; 422 (field pending_count) if not
    a whole number of 0 or more."""
    raw = request.headers.get(PENDING_HEADER)
    if raw is None:
        return None
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= PENDING_DIGITS):
        raise validation_error({"pending_count": [_l("Must be a whole number, 0 or more.")]})
    return int(raw)


def refuse_revoked_device() -> None:
    """Before sign-in on sync requests (the revoked device's session is already gone):
    malformed headers are a 422, a revoked device's request a 401 device_revoked."""
    device_id = requested_device_id()
    reported_pending()
    if device_id is None:
        return
    device = db.session.get(Device, device_id)
    if device is not None and device.revoked_at is not None:
        services.refuse_revoked(device)


def note_sync_device(user) -> None:
    """After sign-in, in the sync views: check, register or touch the request's device."""
    services.note_sync_device(user, requested_device_id(), reported_pending())
