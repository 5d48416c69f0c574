"""Schemas for referrals to partner organisations and the consents behind them."""

from marshmallow import fields

from prog_tracker.core.i18n import LOCALES
from prog_tracker.core.schemas import (
    FreeText,
    Id,
    ListQuerySchema,
    PatchSchema,
    RecordSchema,
    StrictSchema,
    Timestamp,
    one_of,
)
from prog_tracker.partners.models import CONSENT_METHODS, CONSENT_PURPOSES, REFERRAL_STATUSES


class ReferralSchema(RecordSchema):
    """A referral as the API shows it; `participant_name` is null for a caseworker
    whose organisation holds no active consent of the person."""

    participant_id = fields.String()
    participant_name = fields.String(allow_none=True)
    organisation_id = fields.String()
    organisation_name = fields.String()
    status = fields.String()
    reason = fields.String(allow_none=True)
    referred_by_id = fields.String()
    assigned_caseworker_id = fields.String(allow_none=True)
    responded_at = Timestamp(allow_none=True)
    responded_by_id = fields.String(allow_none=True)
    closed_at = Timestamp(allow_none=True)
    closed_by_id = fields.String(allow_none=True)


class ReferralCreateSchema(StrictSchema):
    """POST /referrals body."""

    id = Id()
    participant_id = Id(required=True)
    organisation_id = Id(required=True)
    reason = FreeText(allow_none=True)


class ReferralPatchSchema(PatchSchema):
    """PATCH /referrals/<id> body: hand the case to another caseworker of the organisation."""

    assigned_caseworker_id = Id(required=True)


class ReferralListQuerySchema(ListQuerySchema):
    """Filters for GET /referrals."""

    status = one_of(REFERRAL_STATUSES)
    participant_id = Id()
    organisation_id = Id()


class ConsentSchema(RecordSchema):
    """A consent as the API shows it; `state` is active, expired or withdrawn today."""

    participant_id = fields.String()
    organisation_id = fields.String()
    purpose = fields.String()
    given_on = fields.Date()
    method = fields.String()
    expires_on = fields.Date(allow_none=True)
    withdrawn_on = fields.Date(allow_none=True)
    recorded_by_id = fields.String()
    wording_locale = fields.String(allow_none=True)
    state = fields.String()


class ConsentCreateSchema(StrictSchema):
    """POST /consents body; `wording_locale` is the language the wording was read in."""

    id = Id()
    participant_id = Id(required=True)
    organisation_id = Id(required=True)
    purpose = one_of(CONSENT_PURPOSES, load_default="post_release_support")
    given_on = fields.Date(required=True)
    method = one_of(CONSENT_METHODS, required=True)
    expires_on = fields.Date(allow_none=True)
    wording_locale = one_of(LOCALES, allow_none=True)


class ConsentWithdrawSchema(StrictSchema):
    """POST /consents/<id>/withdraw body (the day defaults to today at the facility)."""

    withdrawn_on = fields.Date(allow_none=True)


class ConsentListQuerySchema(ListQuerySchema):
    """Filters for GET /consents."""

    participant_id = Id()
    organisation_id = Id()


class WordingQuerySchema(StrictSchema):
    """Query of GET /consents/wording."""

    organisation_id = Id(required=True)
    locale = one_of(LOCALES)


class WordingSchema(StrictSchema):
    """The consent wording read to the person, and the language it is in."""

    text = fields.String()
    locale = fields.String()
