"""Schemas of the sync protocol (SPEC §5): bodies, answers, and the few sync-only inputs.

A mutation's `data` is validated by the domain's own create or PATCH schema
(see mutations.py); the schemas here add what only sync needs: the cohort of a
session and the device time of an attendance recording.
"""

from marshmallow import fields, validate

from prog_tracker.aftercare.schemas import Moment
from prog_tracker.core.schemas import FreeText, Id, Name, StrictSchema, one_of
from prog_tracker.workshops.models import ATTENDANCE_STATUSES
from prog_tracker.workshops.schemas import SessionCreateSchema

PUSH_ENTITIES = ("contact", "attendance", "assessment", "outcome", "release_plan_item", "session")
OPS = ("create", "update")
STATUSES = ("applied", "duplicate", "conflict", "rejected")


class MutationSchema(StrictSchema):
    """One mutation of a device's outbox."""

    mutation_id = Id(required=True)
    entity = one_of(PUSH_ENTITIES, required=True)
    op = one_of(OPS, required=True)
    id = Id(required=True)
    base_version = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1))
    data = fields.Dict(required=True)


class PushSchema(StrictSchema):
    """POST /sync/push body: at most SYNC_MAX_MUTATIONS mutations (413 beyond).

    Each mutation is checked on its own: a malformed one is answered
    `rejected` in its place, and the others are still applied.
    """

    device_id = Name(required=True, max_length=100)
    mutations = fields.List(fields.Raw(), required=True)


class ResultSchema(StrictSchema):
    """The answer to one mutation, in the order sent."""

    mutation_id = fields.String(allow_none=True)
    status = one_of(STATUSES)
    id = fields.String(allow_none=True)
    version = fields.Integer()
    errors = fields.Dict(metadata={"description": "code, message and fields, as in errors"})
    current = fields.Dict(metadata={"description": "the server's record (conflict)"})


class PushResultSchema(StrictSchema):
    """POST /sync/push answer."""

    results = fields.List(fields.Nested(ResultSchema))


class PullQuerySchema(StrictSchema):
    """GET /sync/pull query: no cursor pulls the caller's whole scope."""

    cursor = fields.String(validate=validate.Length(max=100))
    limit = fields.Integer(validate=validate.Range(min=1))


class ChangeSchema(StrictSchema):
    """A record to store (or replace) on the device."""

    entity = fields.String()
    id = fields.String()
    version = fields.Integer()
    data = fields.Dict(metadata={"description": "the record as the API shows it"})


class RemovalSchema(StrictSchema):
    """A record to delete from the device."""

    entity = fields.String()
    id = fields.String()
    reason = one_of(("out_of_scope", "deleted", "merged"))
    # For `merged`: the person the record now is (SPEC §12).
    into_id = fields.String(metadata={"description": "with reason merged: the survivor's id"})


class PullSchema(StrictSchema):
    """GET /sync/pull answer; pull again with `cursor` while `has_more`."""

    cursor = fields.String()
    has_more = fields.Boolean()
    changes = fields.List(fields.Nested(ChangeSchema))
    removed = fields.List(fields.Nested(RemovalSchema))


class SyncSessionCreateSchema(SessionCreateSchema):
    """A session planned offline: the cohort is named in the data."""

    cohort_id = Id(required=True)


class AttendanceCreateSchema(StrictSchema):
    """An attendance line taken offline; `recorded_at` is the device's time of taking it."""

    id = Id()
    session_id = Id(required=True)
    participant_id = Id(required=True)
    status = one_of(ATTENDANCE_STATUSES, required=True)
    note = FreeText(allow_none=True)
    recorded_at = Moment(required=True)


class AttendanceUpdateSchema(StrictSchema):
    """A correction of one attendance line."""

    status = one_of(ATTENDANCE_STATUSES)
    note = FreeText(allow_none=True)
    recorded_at = Moment()
    version = fields.Integer(strict=True, validate=validate.Range(min=1))
