"""Schemas of the push routes (SPEC §4: /push/public-key, /push/subscriptions)."""

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from prog_tracker.core.schemas import StrictSchema, Timestamp


def _b64url_bytes(value: str) -> bytes:
    """Decode base64url with or without padding; ValidationError when it is not."""
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValidationError([_l("Must be base64url.")]) from None


def _p256_point(value: str) -> None:
    """The browser's P-256 public key: 65 bytes, uncompressed (0x04 first), on the curve."""
    raw = _b64url_bytes(value)
    try:
        if len(raw) != 65 or raw[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise ValidationError([_l("Must be an uncompressed P-256 public key.")]) from None


def _auth_secret(value: str) -> None:
    """The browser's authentication secret: 16 bytes."""
    if len(_b64url_bytes(value)) != 16:
        raise ValidationError([_l("Must be a 16-byte secret.")])


class PublicKeySchema(StrictSchema):
    """GET /push/public-key: the key to subscribe with."""

    public_key = fields.String()


class SubscriptionKeysSchema(StrictSchema):
    """The keys of a PushSubscription, as the browser's toJSON() gives them."""

    p256dh = fields.String(required=True, validate=[validate.Length(max=100), _p256_point])
    auth = fields.String(required=True, validate=[validate.Length(max=50), _auth_secret])


class SubscriptionCreateSchema(StrictSchema):
    """POST /push/subscriptions body (the browser's subscription; expirationTime ignored)."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    expiration_time = fields.Raw(data_key="expirationTime", allow_none=True, load_default=None)


class SubscriptionDeleteSchema(StrictSchema):
    """DELETE /push/subscriptions body: the endpoint this device no longer wants reminders at
    (the whole subscription, as for POST, is accepted too; only the endpoint counts)."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    keys = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    expiration_time = fields.Raw(data_key="expirationTime", allow_none=True, load_default=None)


class SubscriptionSchema(StrictSchema):
    """A subscription as the API shows it (the keys are not shown back)."""

    id = fields.String()
    endpoint = fields.String()
    created_at = Timestamp()
    last_success_at = Timestamp(allow_none=True)
