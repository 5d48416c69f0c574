"""Shapes of the device registry (SPEC §11): a device as listed, the sign-in's device
with its escrow key, the wipe receipt, and the device policy the app enforces."""

from marshmallow import fields, validate

from prog_tracker.core.schemas import Id, ListQuerySchema, Name, StrictSchema, Timestamp
from prog_tracker.devices.models import LABEL_MAX, STATES


class DeviceSchema(StrictSchema):
    """A device as listed: never its key or receipt token."""

    id = fields.String(metadata={"description": "the id the app sends in X-Device-Id"})
    user_id = fields.String()
    label = fields.String(metadata={"description": 'e.g. "Chrome · Android"'})
    created_at = Timestamp()
    last_seen_at = Timestamp()
    revoked_at = Timestamp(allow_none=True)
    wiped_at = Timestamp(allow_none=True)
    pending_count = fields.Integer(
        allow_none=True,
        metadata={"description": "unsent changes the app last reported; null: unknown"},
    )


class SignedInDeviceSchema(DeviceSchema):
    """The device a sign-in registered or re-used (the login answer only)."""

    key = fields.String(
        metadata={
            "description": "base64url (no padding) of the device's 32-byte escrow key; "
            "the same for the device's life, gone once it is revoked"
        }
    )


class DevicePolicySchema(StrictSchema):
    """What the field app enforces on the device."""

    idle_lock_minutes = fields.Integer(
        metadata={"description": "lock after this many minutes without use"}
    )
    offline_lease_hours = fields.Integer(
        metadata={"description": "lock until an online sign-in after this long without the server"}
    )


class DeviceListQuerySchema(ListQuerySchema):
    """GET /devices query: pagination and an optional owner."""

    user_id = Id()


class WipeReceiptSchema(StrictSchema):
    """POST /devices/<id>/wiped body: the one-time token the 401 gave, and what was unsent."""

    receipt_token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    unsent_count = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=0, max=10**9)
    )


def device_label_field() -> Name:
    """The sign-in's optional device_label (plain text, at most 100 characters)."""
    return Name(
        max_length=LABEL_MAX,
        metadata={"description": 'how the device is shown, e.g. "Chrome · Android"'},
    )


class DeviceFilterSchema(StrictSchema):
    """The admin devices page's filters."""

    user_id = Id()
    state = fields.String(validate=validate.OneOf(STATES))
