"""Schemas for merging two records of one person and undoing it."""

from marshmallow import fields

from prog_tracker.core.schemas import Id, StrictSchema, Timestamp
from prog_tracker.participants.schemas import ParticipantSchema


class MergeRequestSchema(StrictSchema):
    """POST /participants/<id>/merge: the record that stays."""

    into_id = Id(required=True, metadata={"description": "the record to keep (the survivor)"})


class MergeResultSchema(StrictSchema):
    """A merge made: its id (for the undo) and the survivor as GET /participants shows it."""

    merge_id = fields.String()
    participant = fields.Nested(ParticipantSchema)


class MergeUndoSchema(StrictSchema):
    """A merge undone: both people are again as they were."""

    merge_id = fields.String()
    source_id = fields.String()
    into_id = fields.String()
    merged_at = Timestamp()
    undone_at = Timestamp()
