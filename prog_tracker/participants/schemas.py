"""Schemas for participants and their release-date history."""

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from marshmallow import fields, post_dump, validate

from prog_tracker.core import policy
from prog_tracker.core.i18n import LOCALES
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
from prog_tracker.participants.models import SEXES, STATUSES


def PrisonNumber(**kwargs):
    """A prison number: letters, digits, spaces and - / . (at most 64)."""
    return Name(
        max_length=64,
        regex=r"[\w\-/. ]{1,64}",
        regex_error=_l("Use letters, digits, spaces and - / . only (max 64)."),
        **kwargs,
    )


class ParticipantSchema(RecordSchema):
    """A participant as the API shows it."""

    facility_id = fields.String()
    prison_number = fields.String()
    given_name = fields.String()
    family_name = fields.String()
    other_names = fields.String(allow_none=True)
    date_of_birth = fields.Date(allow_none=True)
    sex = fields.String()
    preferred_language = fields.String(allow_none=True)
    status = fields.String()
    expected_release_date = fields.Date(allow_none=True)
    actual_release_date = fields.Date(allow_none=True)
    # Set once the retention schedule blanked the names (date_of_birth then holds the year).
    anonymised_at = Timestamp(dump_only=True, allow_none=True)

    @post_dump
    def _hide_from_caseworkers(self, data, **_kwargs):
        """Caseworkers never receive the prison number or the facility (SPEC §3)."""
        return hide_custody_details(data)


# What a caseworker never receives about a person: prison internals.
CUSTODY_DETAILS = ("prison_number", "facility_id")


def hide_custody_details(data: dict, viewer=None) -> dict:
    """data without the prison number and facility when the viewer (default: the
    signed-in user) is a caseworker."""
    user = viewer if viewer is not None else (g.get("user") if has_app_context() else None)
    if user is not None and not policy.sees_custody_details(user):
        for name in CUSTODY_DETAILS:
            data.pop(name, None)
    return data


class DuplicateSchema(StrictSchema):
    """A person likely to be the same as another (participants/matching)."""

    participant_id = fields.String()
    score = fields.Float(metadata={"description": "0 to 1; likely duplicates from 0.8"})
    reasons = fields.List(
        fields.String(),
        metadata={
            "description": "name, name_other_script, names_swapped, other_names, "
            "date_of_birth, date_of_birth_swapped, sex, prison_number"
        },
    )


class ParticipantCreatedSchema(ParticipantSchema):
    """A participant just registered, with the people they are likely to be (never refused)."""

    possible_duplicates = fields.List(fields.Nested(DuplicateSchema))


class ParticipantCreateSchema(StrictSchema):
    """POST /participants body."""

    id = Id()
    facility_id = Id()
    prison_number = PrisonNumber(required=True)
    given_name = Name(required=True)
    family_name = Name(required=True)
    other_names = Name(allow_none=True)
    date_of_birth = fields.Date(allow_none=True)
    sex = one_of(SEXES, load_default="undisclosed")
    preferred_language = one_of(LOCALES, allow_none=True)
    expected_release_date = fields.Date(allow_none=True)


class ParticipantPatchSchema(PatchSchema):
    """PATCH /participants/<id> body; `reason` goes with a new release date."""

    prison_number = PrisonNumber()
    given_name = Name()
    family_name = Name()
    other_names = Name(allow_none=True)
    date_of_birth = fields.Date(allow_none=True)
    sex = one_of(SEXES)
    preferred_language = one_of(LOCALES, allow_none=True)
    expected_release_date = fields.Date(allow_none=True)
    reason = FreeText()


class ParticipantListQuerySchema(ListQuerySchema):
    """Filters for GET /participants."""

    q = fields.String(validate=validate.Length(max=200))
    facility_id = Id()
    status = one_of(STATUSES)
    releasing_before = fields.Date()


class ReleaseDateChangeSchema(StrictSchema):
    """One entry of the release-date history."""

    id = fields.String()
    previous_date = fields.Date(allow_none=True)
    new_date = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    changed_by_id = fields.String(allow_none=True)
    changed_at = Timestamp()
