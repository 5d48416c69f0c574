"""Shapes of POST /imports/participants: the upload, the query, and the answer."""

from flask_smorest.fields import Upload
from marshmallow import fields

from prog_tracker.core.schemas import Id, StrictSchema


class ImportQuerySchema(StrictSchema):
    """?dry_run=true checks the file and writes nothing."""

    dry_run = fields.Boolean(load_default=False)


class ImportFileSchema(StrictSchema):
    """The multipart body: the register (CSV in UTF-8, or XLSX)."""

    file = Upload(required=True)


class ImportFormSchema(StrictSchema):
    """The multipart body's optional facility for rows without a facility_id column."""

    facility_id = Id()


class RowErrorSchema(StrictSchema):
    """Why one cell or row was refused (rows numbered as a spreadsheet shows them)."""

    row = fields.Integer()
    field = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()


class RowDuplicateSchema(StrictSchema):
    """A row left unapplied: the person it most likely is already."""

    row = fields.Integer()
    participant_id = fields.String()
    score = fields.Float()


class ImportResultSchema(StrictSchema):
    """What the import did (a dry run: would do)."""

    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    errors = fields.List(fields.Nested(RowErrorSchema))
    duplicates = fields.List(fields.Nested(RowDuplicateSchema))
    # Header cells naming no known column: ignored, listed once.
    ignored_columns = fields.List(fields.String())
    dry_run = fields.Boolean()
