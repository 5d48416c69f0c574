"""JSON-API route of the indicators (SPEC §4, §7)."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.reports import filters, indicators
from prog_tracker.reports.schemas import IndicatorQuerySchema, IndicatorsSchema

blp = Blueprint("reports_api", __name__, url_prefix="/api/v1", description="Reports")


@blp.route("/reports/indicators", methods=["GET"])
@blp.arguments(IndicatorQuerySchema, location="query")
@blp.response(200, IndicatorsSchema)
def get_indicators(args):
    """The SPEC §7 indicators for a period and filters (supervisors: their country only)."""
    return indicators.headline(filters.resolve(g.user, args))
