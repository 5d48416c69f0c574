"""Schemas for skills, qualifications, assessments, certificates and verification."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from prog_tracker.certification.models import RESULTS
from prog_tracker.core.schemas import (
    FreeText,
    Id,
    ListQuerySchema,
    LocalisedNames,
    Name,
    PatchSchema,
    RecordSchema,
    StrictSchema,
    one_of,
)


def SkillCode(**kwargs):
    """A short skill code such as WELD-03."""
    return Name(
        max_length=64,
        regex=r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}",
        regex_error=_l("Use letters, digits and . _ - only (max 64)."),
        **kwargs,
    )


class SkillSchema(RecordSchema):
    """A skill as the API shows it."""

    trade_id = fields.String()
    code = fields.String()
    title = fields.String()
    titles = fields.Dict(keys=fields.String(), values=fields.String())


class SkillCreateSchema(StrictSchema):
    """POST /skills body."""

    id = Id()
    trade_id = Id(required=True)
    code = SkillCode(required=True)
    title = Name(required=True)
    titles = LocalisedNames()


class SkillPatchSchema(PatchSchema):
    """PATCH /skills/<id> body."""

    code = SkillCode()
    title = Name()
    titles = LocalisedNames()


class SkillListQuerySchema(ListQuerySchema):
    """Filters for GET /skills."""

    trade_id = Id()


class QualificationSchema(RecordSchema):
    """A qualification as the API shows it."""

    trade_id = fields.String()
    title = fields.String()
    titles = fields.Dict(keys=fields.String(), values=fields.String())
    level = fields.String()
    skill_ids = fields.List(fields.String())


class QualificationCreateSchema(StrictSchema):
    """POST /qualifications body."""

    id = Id()
    trade_id = Id(required=True)
    title = Name(required=True)
    titles = LocalisedNames()
    level = Name(required=True, max_length=32)
    skill_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=200))


class QualificationPatchSchema(PatchSchema):
    """PATCH /qualifications/<id> body."""

    title = Name()
    titles = LocalisedNames()
    level = Name(max_length=32)
    skill_ids = fields.List(Id(), validate=validate.Length(min=1, max=200))


class AssessmentSchema(RecordSchema):
    """An assessment as the API shows it."""

    participant_id = fields.String()
    skill_id = fields.String()
    cohort_id = fields.String()
    result = fields.String()
    assessed_on = fields.Date()
    assessor_id = fields.String()
    note = fields.String(allow_none=True)


class AssessmentCreateSchema(StrictSchema):
    """POST /assessments body."""

    id = Id()
    participant_id = Id(required=True)
    skill_id = Id(required=True)
    cohort_id = Id(required=True)
    result = one_of(RESULTS, required=True)
    assessed_on = fields.Date(required=True)
    note = FreeText(allow_none=True)


class AssessmentListQuerySchema(ListQuerySchema):
    """Filters for GET /assessments."""

    participant_id = Id()
    cohort_id = Id()


class CertificateSchema(RecordSchema):
    """A certificate as the API shows it to signed-in users."""

    participant_id = fields.String()
    qualification_id = fields.String()
    code = fields.String()
    issued_on = fields.Date()
    issued_by_id = fields.String(attribute="issued_by_id")
    status = fields.String()
    revoked_reason = fields.String(allow_none=True)
    revoked_on = fields.Date(allow_none=True)
    holder_name = fields.String()
    assessment_ids = fields.List(fields.String())


class CertificateCreateSchema(StrictSchema):
    """POST /certificates body."""

    id = Id()
    participant_id = Id(required=True)
    qualification_id = Id(required=True)


class CertificateRevokeSchema(StrictSchema):
    """POST /certificates/<id>/revoke body."""

    reason = FreeText(required=True)


class CertificateListQuerySchema(ListQuerySchema):
    """Filters for GET /certificates."""

    participant_id = Id()
    status = one_of(("valid", "revoked"))


class VerificationSchema(StrictSchema):
    """What anyone holding a code may learn: nothing about imprisonment."""

    holder_name = fields.String()
    qualification = fields.String()
    level = fields.String()
    trade = fields.String()
    issued_on = fields.Date()
    issuer = fields.String()
    status = fields.String()
    code = fields.String()


class SkillSignOffSchema(StrictSchema):
    """The server page's form: one skill signed off for the chosen people of a cohort.

    form_id is the form's one-time id: each person's assessment id derives from it,
    so a form sent twice records nobody twice.
    """

    form_id = Id(required=True)
    participant_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=500))
    assessed_on = fields.Date(required=True)
    note = FreeText(allow_none=True)
