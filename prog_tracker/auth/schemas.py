"""Request and response schemas for sign-in and users."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from prog_tracker.auth import scopes
from prog_tracker.auth.models import ROLES
from prog_tracker.core.i18n import LOCALES
from prog_tracker.core.schemas import (
    COUNTRY,
    Id,
    Name,
    PatchSchema,
    RecordSchema,
    StrictSchema,
    Timestamp,
    one_of,
    pattern,
)
from prog_tracker.devices.schemas import (
    DevicePolicySchema,
    SignedInDeviceSchema,
    device_label_field,
)

USERNAME = pattern(
    r"[A-Za-z0-9_.@-]{2,100}", _l("Use 2-100 letters, digits, dots, dashes or underscores.")
)


class LoginSchema(StrictSchema):
    """POST /auth/login body."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    totp = fields.String(allow_none=True, validate=validate.Length(max=10))
    # With the X-Device-Id header (the field app): how the device is listed.
    device_label = device_label_field()


class UserSchema(RecordSchema):
    """A user as the API shows it."""

    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    facility_id = fields.String(allow_none=True)
    organisation_id = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    locale = fields.String(allow_none=True)
    active = fields.Boolean()
    mfa_enabled = fields.Boolean(dump_only=True)
    must_change_password = fields.Boolean(dump_only=True)


class SessionInfoSchema(StrictSchema):
    """The answer of login and /auth/me."""

    user = fields.Nested(UserSchema)
    csrf_token = fields.String(allow_none=True)
    mfa_setup_required = fields.Boolean()
    password_change_required = fields.Boolean()
    device_policy = fields.Nested(DevicePolicySchema)


class LoginAnswerSchema(SessionInfoSchema):
    """The answer of login: with X-Device-Id, also the device and its escrow key."""

    device = fields.Nested(
        SignedInDeviceSchema,
        metadata={"description": "only when a full sign-in sent X-Device-Id"},
    )


class MfaSetupSchema(StrictSchema):
    """The new secret to load into an authenticator app."""

    secret = fields.String()
    otpauth_uri = fields.String()


class MfaConfirmSchema(StrictSchema):
    """POST /auth/mfa/confirm body."""

    code = fields.String(required=True, validate=validate.Length(min=1, max=10))


class PasswordChangeSchema(StrictSchema):
    """POST /auth/password body."""

    current_password = fields.String(required=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True, validate=validate.Length(max=1024))


class TokenCreateSchema(StrictSchema):
    """POST /auth/tokens body."""

    id = Id()
    name = Name(required=True)
    scope = one_of(
        scopes.SCOPES,
        load_default=scopes.DEFAULT_SCOPE,
        metadata={
            "description": "read: GET only; sync: reads, sync push and push subscriptions; "
            "full: everything the user may do (admins and supervisors only)."
        },
    )
    expires_in_days = fields.Integer(
        strict=True,
        load_default=scopes.DEFAULT_DAYS,
        validate=validate.Range(
            min=1,
            max=scopes.MAX_DAYS,
            error=_l("Choose between {min} and {max} days."),
        ),
        metadata={"description": "Days until the token stops working (at most a year)."},
    )


class TokenInfoSchema(StrictSchema):
    """An API token as listed (never the secret)."""

    id = fields.String()
    name = fields.String()
    scope = fields.String()
    created_at = Timestamp()
    expires_at = Timestamp()
    expired = fields.Boolean()
    last_used_at = Timestamp(allow_none=True)


class NewTokenSchema(TokenInfoSchema):
    """A just-created API token: the secret is shown this once."""

    token = fields.String()


class UserCreateSchema(StrictSchema):
    """POST /users body."""

    id = Id()
    username = fields.String(required=True, validate=USERNAME)
    display_name = Name(required=True)
    role = one_of(ROLES, required=True)
    password = fields.String(required=True, validate=validate.Length(max=1024))
    facility_id = Id(allow_none=True)
    organisation_id = Id(allow_none=True)
    country = fields.String(allow_none=True, validate=COUNTRY)
    locale = one_of(LOCALES, allow_none=True)


class UserPatchSchema(PatchSchema):
    """PATCH /users/<id> body."""

    username = fields.String(validate=USERNAME)
    display_name = Name()
    role = one_of(ROLES)
    facility_id = Id(allow_none=True)
    organisation_id = Id(allow_none=True)
    country = fields.String(allow_none=True, validate=COUNTRY)
    locale = one_of(LOCALES, allow_none=True)
    active = fields.Boolean()


class PasswordResetSchema(StrictSchema):
    """POST /users/<id>/reset-password body: a temporary password."""

    password = fields.String(required=True, validate=validate.Length(max=1024))


class SettingsSchema(StrictSchema):
    """PATCH /auth/me body: what users change about themselves."""

    locale = one_of(LOCALES, allow_none=True)
    display_name = Name()
