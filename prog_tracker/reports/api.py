"""JSON-API routes of the reports (SPEC §4, §7): the indicators, and the exports (CSV
streamed, XLSX write-only)."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.reports import filters
from prog_tracker.reports.exports import download
from prog_tracker.reports.measures import indicators
from prog_tracker.reports.schemas import (
    ExportQuerySchema,
    IndicatorQuerySchema,
    IndicatorsSchema,
)

blp = Blueprint("reports_api", __name__, url_prefix="/api/v1", description="Reports")
export_blp = Blueprint(
    "reports_export_api", __name__, url_prefix="/api/v1", description="Report exports"
)


@blp.route("/reports/indicators", methods=["GET"])
@blp.arguments(IndicatorQuerySchema, location="query")
@blp.response(200, IndicatorsSchema)
def get_indicators(args):
    """The SPEC §7 indicators for a period and filters (supervisors: their country only)."""
    return indicators.headline(filters.resolve(g.user, args))


def _may_export() -> None:
    """Roles without exports get 403 before their query is even read."""
    policy.require(g.user, "report.export")


@export_blp.route("/reports/export.csv", methods=["GET"])
@export_blp.arguments(ExportQuerySchema, location="query")
@export_blp.response(200, content_type="text/csv")
def export_csv(args):
    """One dataset's rows as UTF-8 CSV, streamed; pseudonymised unless `identified=true`
    (supervisor, admin; with `X-Access-Reason`, else 403 `reason_required`). Audited,
    with the reason, before the first row is sent."""
    return download.respond(g.user, args, "csv")


@export_blp.route("/reports/export.xlsx", methods=["GET"])
@export_blp.arguments(ExportQuerySchema, location="query")
@export_blp.response(200, content_type=download.XLSX_TYPE)
def export_xlsx_file(args):
    """One dataset's rows and a summary sheet (counts under 5 shown as "<5") as XLSX;
    more rows than a sheet holds answer 422 `too_many_rows` (use the CSV). Identified:
    as for the CSV. Audited."""
    return download.respond(g.user, args, "xlsx")


export_blp.before_request(_may_export)
