"""Marshmallow schemas of the audit-log API: they validate the query and document it."""

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validates_schema

from prog_tracker.core.audit import REASON_CODES
from prog_tracker.core.schemas import Id, ListQuerySchema, Name, StrictSchema, Timestamp, one_of

OUTCOMES = ("allowed", "denied")


class AuditEventSchema(StrictSchema):
    """One audit event: ids and action names only, never names or free text."""

    id = fields.Integer(dump_only=True)
    at = Timestamp(dump_only=True)
    actor_id = fields.String(dump_only=True, allow_none=True)
    action = fields.String(dump_only=True)
    entity = fields.String(dump_only=True)
    entity_ids = fields.List(fields.String(), dump_only=True)
    participant_id = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The person the event is about, where one is known."},
    )
    outcome = fields.String(dump_only=True, metadata={"enum": list(OUTCOMES)})
    reason_code = fields.String(
        dump_only=True, allow_none=True, metadata={"enum": list(REASON_CODES)}
    )
    prev_hash = fields.String(dump_only=True)
    hash = fields.String(dump_only=True)


class AuditEventQuerySchema(ListQuerySchema):
    """Filters of the audit log; dates are UTC days, both ends included."""

    participant_id = Id(metadata={"description": "Events about this person."})
    actor_id = Id()
    action = Name(max_length=64)
    outcome = one_of(OUTCOMES)
    reason_code = one_of(REASON_CODES)
    from_ = fields.Date(data_key="from")
    to = fields.Date()

    @validates_schema
    def _dates_in_order(self, data, **_kwargs):
        """The period must not end before it starts."""
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError({"to": [_l("Must not be before the start date.")]})
