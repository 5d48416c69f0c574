"""Query parameters of the report routes (validated here, documented in OpenAPI)."""

import marshmallow as ma
from marshmallow import fields

from prog_tracker.core.schemas import Id, StrictSchema, one_of, pattern
from prog_tracker.reports.measures.definitions import KEYS

DATASETS = ("enrolments", "attendance", "certificates", "contacts", "outcomes")
BREAKDOWNS = ("sex",)


class ReportQuerySchema(StrictSchema):
    """The period and filters every report takes (SPEC §4)."""

    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    # The whole value: a `$` would let "KZ\n" through.
    country = fields.String(validate=pattern(r"[A-Za-z]{2}", None))
    facility_id = Id()
    trade_id = Id()
    organisation_id = Id()


class IndicatorQuerySchema(ReportQuerySchema):
    """`GET /reports/indicators`: filters, and `breakdown=sex` for figures per sex."""

    breakdown = one_of(BREAKDOWNS)


class ExportQuerySchema(ReportQuerySchema):
    """`GET /reports/export.csv|.xlsx`: which dataset, pseudonymised unless identified."""

    dataset = one_of(DATASETS, required=True)
    identified = fields.Boolean(load_default=False)


class FigureSchema(ma.Schema):
    """One indicator: its value, and numerator and denominator for rates (SPEC §4)."""

    value = fields.Raw(
        allow_none=True,
        metadata={"description": "A count, or a rate between 0 and 1 (null: nothing to count)"},
    )
    numerator = fields.Integer()
    denominator = fields.Integer()
    by_sex = fields.Dict(
        keys=fields.String(), values=fields.Dict(), metadata={"description": "breakdown=sex"}
    )


IndicatorsSchema = ma.Schema.from_dict(
    {key: fields.Nested(FigureSchema) for key in KEYS}, name="Indicators"
)
