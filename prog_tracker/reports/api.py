"""JSON-API routes of the reports (SPEC §4, §7): the indicators, and the exports (CSV
streamed, XLSX write-only)."""

from flask import Response, g, send_file, stream_with_context
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.reports import filters
from prog_tracker.reports.exports import csv_file, service, xlsx
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

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/reports/indicators", methods=["GET"])
@blp.arguments(IndicatorQuerySchema, location="query")
@blp.response(200, IndicatorsSchema)
def get_indicators(args):
    """The SPEC §7 indicators for a period and filters (supervisors: their country only)."""
    return indicators.headline(filters.resolve(g.user, args))


def _may_export() -> None:
    """Roles without exports get 403 before their query is even read."""
    policy.require(g.user, "report.export")


def _export(args) -> service.Export:
    """The export asked for, once the caller may have it (identified: supervisor, admin)."""
    chosen = filters.resolve(g.user, args, "report.export")
    if args["identified"]:
        policy.require(g.user, "report.export_identified")
    return service.prepare_export(g.user, chosen, args["dataset"], args["identified"])


def _download(response: Response, filename: str) -> Response:
    """Headers of a personal-data download: an attachment, never cached."""
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@export_blp.route("/reports/export.csv", methods=["GET"])
@export_blp.arguments(ExportQuerySchema, location="query")
@export_blp.response(200, content_type="text/csv")
def export_csv(args):
    """One dataset's rows as UTF-8 CSV, streamed; pseudonymised unless `identified=true`
    (supervisor, admin). Audited before the first row is sent."""
    export = _export(args)
    audited = service.audit_export(g.user, export)
    body = stream_with_context(csv_file.csv_chunks(export, audited))
    return _download(Response(body, mimetype="text/csv"), export.filename("csv"))


@export_blp.route("/reports/export.xlsx", methods=["GET"])
@export_blp.arguments(ExportQuerySchema, location="query")
@export_blp.response(200, content_type=XLSX_TYPE)
def export_xlsx_file(args):
    """One dataset's rows and a summary sheet (counts under 5 shown as "<5") as XLSX;
    more rows than a sheet holds answer 422 `too_many_rows` (use the CSV). Audited."""
    export = _export(args)
    xlsx.check_fits(export)
    audited = service.audit_export(g.user, export)
    handle = xlsx.write_workbook(export, audited)
    response = send_file(handle, mimetype=XLSX_TYPE, conditional=False, etag=False, max_age=None)
    return _download(response, export.filename("xlsx"))


export_blp.before_request(_may_export)
