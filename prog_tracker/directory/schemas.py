"""Schemas for facilities and organisations."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from prog_tracker.core.schemas import (
    COUNTRY,
    Id,
    LocalisedNames,
    Name,
    PatchSchema,
    RecordSchema,
    StrictSchema,
    one_of,
)
from prog_tracker.directory.models import ORGANISATION_KINDS

TIMEZONE = validate.OneOf(sorted(available_timezones()), error=_l("Not a known time zone."))


class FacilitySchema(RecordSchema):
    """A facility as the API shows it."""

    name = fields.String()
    country = fields.String()
    public_name = fields.String()
    timezone = fields.String()


class FacilityCreateSchema(StrictSchema):
    """POST /facilities body."""

    id = Id()
    name = Name(required=True)
    country = fields.String(required=True, validate=COUNTRY)
    public_name = Name(required=True)
    timezone = fields.String(load_default="UTC", validate=TIMEZONE)


class FacilityPatchSchema(PatchSchema):
    """PATCH /facilities/<id> body."""

    name = Name()
    country = fields.String(validate=COUNTRY)
    public_name = Name()
    timezone = fields.String(validate=TIMEZONE)


class OrganisationSchema(RecordSchema):
    """An organisation as the API shows it."""

    name = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String())
    country = fields.String()
    kind = fields.String()
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)


class OrganisationCreateSchema(StrictSchema):
    """POST /organisations body."""

    id = Id()
    name = Name(required=True)
    names = LocalisedNames()
    country = fields.String(required=True, validate=COUNTRY)
    kind = one_of(ORGANISATION_KINDS, required=True)
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=200))
    contact_phone = Name(allow_none=True, max_length=64)


class OrganisationPatchSchema(PatchSchema):
    """PATCH /organisations/<id> body."""

    name = Name()
    names = LocalisedNames()
    country = fields.String(validate=COUNTRY)
    kind = one_of(ORGANISATION_KINDS)
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=200))
    contact_phone = Name(allow_none=True, max_length=64)
