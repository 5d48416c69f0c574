"""Schemas for trades, cohorts, enrolments, sessions and attendance."""

from marshmallow import fields, validate

from prog_tracker.core.schemas import (
    FreeText,
    Id,
    ListQuerySchema,
    LocalisedNames,
    Name,
    PatchSchema,
    RecordSchema,
    StrictSchema,
    Timestamp,
    one_of,
)
from prog_tracker.workshops.models import (
    ATTENDANCE_STATUSES,
    ENROLMENT_STATUSES,
    WITHDRAWAL_REASONS,
)

# A workshop room holds tens of people; a typo of 1000 is refused, not stored.
CAPACITY = validate.Range(min=1, max=500)


class TradeSchema(RecordSchema):
    """A trade as the API shows it."""

    name = fields.String()
    names = fields.Dict(keys=fields.String(), values=fields.String())


class TradeCreateSchema(StrictSchema):
    """POST /trades body."""

    id = Id()
    name = Name(required=True)
    names = LocalisedNames()


class TradePatchSchema(PatchSchema):
    """PATCH /trades/<id> body."""

    name = Name()
    names = LocalisedNames()


class CohortSchema(RecordSchema):
    """A cohort as the API shows it."""

    trade_id = fields.String()
    facility_id = fields.String()
    title = fields.String()
    titles = fields.Dict(keys=fields.String(), values=fields.String())
    instructor_ids = fields.List(fields.String())
    start_date = fields.Date()
    end_date = fields.Date()
    capacity = fields.Integer()
    qualification_id = fields.String(allow_none=True)
    enrolled_count = fields.Integer(dump_only=True)
    waitlisted_count = fields.Integer(dump_only=True)


class CohortCreateSchema(StrictSchema):
    """POST /cohorts body."""

    id = Id()
    trade_id = Id(required=True)
    facility_id = Id()
    title = Name(required=True)
    titles = LocalisedNames()
    instructor_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=20))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    capacity = fields.Integer(required=True, strict=True, validate=CAPACITY)
    qualification_id = Id(allow_none=True)


class CohortPatchSchema(PatchSchema):
    """PATCH /cohorts/<id> body."""

    title = Name()
    titles = LocalisedNames()
    instructor_ids = fields.List(Id(), validate=validate.Length(max=20))
    start_date = fields.Date()
    end_date = fields.Date()
    capacity = fields.Integer(strict=True, validate=CAPACITY)
    qualification_id = Id(allow_none=True)


class CohortListQuerySchema(ListQuerySchema):
    """Filters for GET /cohorts."""

    facility_id = Id()
    trade_id = Id()
    current = fields.Boolean()


class EnrolmentSchema(RecordSchema):
    """An enrolment as the API shows it."""

    cohort_id = fields.String()
    participant_id = fields.String()
    status = fields.String()
    status_reason = fields.String(allow_none=True)
    enrolled_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    waitlisted_at = Timestamp(allow_none=True)


class EnrolmentCreateSchema(StrictSchema):
    """POST /cohorts/<id>/enrolments body."""

    id = Id()
    participant_id = Id(required=True)


class EnrolmentPatchSchema(PatchSchema):
    """PATCH /enrolments/<id> body."""

    status = one_of(ENROLMENT_STATUSES, required=True)
    status_reason = one_of(WITHDRAWAL_REASONS, allow_none=True)


class SessionSchema(RecordSchema):
    """A session (class meeting) as the API shows it."""

    cohort_id = fields.String()
    date = fields.Date()
    topic = fields.String(allow_none=True)


class SessionCreateSchema(StrictSchema):
    """POST /cohorts/<id>/sessions body."""

    id = Id()
    date = fields.Date(required=True)
    topic = Name(allow_none=True)


class AttendanceSchema(RecordSchema):
    """One attendance record as the API shows it."""

    session_id = fields.String()
    participant_id = fields.String()
    status = fields.String()
    note = fields.String(allow_none=True)
    recorded_at = Timestamp()
    recorded_by_id = fields.String()


class AttendanceRecordSchema(StrictSchema):
    """One line of an attendance roll."""

    participant_id = Id(required=True)
    status = one_of(ATTENDANCE_STATUSES, required=True)
    note = FreeText(allow_none=True)


class AttendancePutSchema(StrictSchema):
    """PUT /sessions/<id>/attendance body: the roll, saved at once."""

    records = fields.List(
        fields.Nested(AttendanceRecordSchema),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class CandidateSchema(StrictSchema):
    """A person an instructor may enrol: name, number and status only (SPEC §3)."""

    id = fields.String()
    given_name = fields.String()
    family_name = fields.String()
    other_names = fields.String(allow_none=True)
    prison_number = fields.String()
    status = fields.String()


class CandidateQuerySchema(ListQuerySchema):
    """Filters for GET /cohorts/<id>/candidates."""

    q = fields.String(validate=validate.Length(max=200))
