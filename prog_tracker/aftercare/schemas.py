"""Schemas for contacts (with their earlier versions), outcomes and the caseload."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from prog_tracker.aftercare.models import CONTACT_MODES, EMPLOYMENT, HOUSING
from prog_tracker.core.schemas import (
    FreeText,
    Id,
    ListQuerySchema,
    Name,
    PatchSchema,
    RecordSchema,
    StrictSchema,
    Timestamp,
    one_of,
)
from prog_tracker.participants.schemas import ParticipantSchema
from prog_tracker.release.models import FOLLOW_UP_STATUSES

# A contact names a handful of needs; a list of hundreds is a client's mistake.
NEEDS = validate.Length(max=20)
# Far-off years are typing mistakes, and at the calendar's ends time zones overflow.
PLAUSIBLE_MOMENT = validate.Range(
    min=dt.datetime(1900, 1, 1, tzinfo=dt.UTC),
    max=dt.datetime(9000, 1, 1, tzinfo=dt.UTC),
    error=_l("Not a plausible date and time."),
)


def Moment(**kwargs):
    """A date and time with its UTC offset (or Z), within plausible years."""
    return fields.AwareDateTime(validate=PLAUSIBLE_MOMENT, **kwargs)


def Needs(**kwargs):
    """The needs raised at a contact: short strings."""
    return fields.List(Name(), validate=NEEDS, **kwargs)


class ContactSchema(RecordSchema):
    """A contact as the API shows it (its current version)."""

    participant_id = fields.String()
    organisation_id = fields.String()
    caseworker_id = fields.String()
    occurred_at = Timestamp()
    mode = fields.String()
    location = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    needs = fields.List(fields.String())
    edited_by_id = fields.String(allow_none=True)


class ContactVersionSchema(StrictSchema):
    """An earlier version of a contact: what it said, who wrote it, when it was replaced."""

    version = fields.Integer()
    occurred_at = Timestamp()
    mode = fields.String()
    location = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    needs = fields.List(fields.String())
    written_by_id = fields.String()
    written_at = Timestamp()
    replaced_at = Timestamp()


class ContactDetailSchema(ContactSchema):
    """One contact with every earlier version, oldest first."""

    versions = fields.List(fields.Nested(ContactVersionSchema))


class ContactCreateSchema(StrictSchema):
    """POST /contacts body; an admin names the organisation, a caseworker's is implied."""

    id = Id()
    participant_id = Id(required=True)
    organisation_id = Id()
    occurred_at = Moment(required=True)
    mode = one_of(CONTACT_MODES, required=True)
    location = Name(allow_none=True)
    summary = FreeText(allow_none=True)
    needs = Needs(load_default=list)


class ContactPatchSchema(PatchSchema):
    """PATCH /contacts/<id> body: the fields to change (the old text stays readable)."""

    occurred_at = Moment()
    mode = one_of(CONTACT_MODES)
    location = Name(allow_none=True)
    summary = FreeText(allow_none=True)
    needs = Needs()


class OutcomeSchema(RecordSchema):
    """An outcome as the API shows it."""

    participant_id = fields.String()
    organisation_id = fields.String(allow_none=True)
    recorded_by_id = fields.String()
    observed_on = fields.Date()
    employment = fields.String()
    uses_trained_skill = fields.Boolean(allow_none=True)
    housing = fields.String()
    returned_to_custody = fields.Boolean()
    note = fields.String(allow_none=True)


class OutcomeCreateSchema(StrictSchema):
    """POST /outcomes body; `uses_trained_skill` only with employment (else null)."""

    id = Id()
    participant_id = Id(required=True)
    organisation_id = Id(allow_none=True)
    observed_on = fields.Date(required=True)
    employment = one_of(EMPLOYMENT, required=True)
    uses_trained_skill = fields.Boolean(allow_none=True)
    housing = one_of(HOUSING, required=True)
    returned_to_custody = fields.Boolean(required=True)
    note = FreeText(allow_none=True)


class OutcomePatchSchema(PatchSchema):
    """PATCH /outcomes/<id> body."""

    observed_on = fields.Date()
    employment = one_of(EMPLOYMENT)
    uses_trained_skill = fields.Boolean(allow_none=True)
    housing = one_of(HOUSING)
    returned_to_custody = fields.Boolean()
    note = FreeText(allow_none=True)


class NextFollowUpSchema(StrictSchema):
    """The next follow-up of a person in the caseload, with its window and status today."""

    id = fields.String()
    episode_id = fields.String()
    sequence = fields.Integer()
    due_on = fields.Date()
    window_days = fields.Integer()
    opens_on = fields.Date()
    closes_on = fields.Date()
    status = one_of(FOLLOW_UP_STATUSES)


class CaseloadItemSchema(StrictSchema):
    """One person of the caseload."""

    participant = fields.Nested(ParticipantSchema)
    referral_id = fields.String(allow_none=True)
    assigned_to_me = fields.Boolean()
    next_follow_up = fields.Nested(NextFollowUpSchema, allow_none=True)
    last_contact_at = Timestamp(allow_none=True)
    overdue = fields.Boolean()


class CaseloadPageSchema(StrictSchema):
    """GET /caseload: the caller's people, most urgent first."""

    items = fields.List(fields.Nested(CaseloadItemSchema))
    next_cursor = fields.String(allow_none=True)


class CaseloadQuerySchema(ListQuerySchema):
    """Pagination of GET /caseload."""
