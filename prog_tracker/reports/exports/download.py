"""An export as a download, for the JSON API and the dashboard page alike: the
caller's right to it checked, audited before the first row leaves, CSV streamed
and XLSX written in write-only mode."""

from flask import Response, send_file, stream_with_context

from prog_tracker.core import audit
from prog_tracker.reports import filters
from prog_tracker.reports.exports import csv_file, service, xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def respond(user, args: dict, file_format: str, reason_code: str | None = None) -> Response:
    """The export that validated query args ask for, as a CSV or XLSX download.

    Identified exports need a reason (SPEC §3 codes): the API sends it in
    X-Access-Reason, the page passes the code the user picked as reason_code.
    """
    if reason_code is not None:
        audit.use_reason(reason_code)
    chosen = filters.resolve(user, args, "report.export")
    export = service.prepare_export(user, chosen, args["dataset"], args["identified"])
    if file_format == "xlsx":
        return _xlsx(user, export)
    return _csv(user, export)


def _csv(user, export: service.Export) -> Response:
    """One dataset's rows as UTF-8 CSV, streamed once the export is audited."""
    audited = service.audit_export(user, export)
    body = stream_with_context(csv_file.csv_chunks(export, audited))
    return _attachment(Response(body, mimetype="text/csv"), export.filename("csv"))


def _xlsx(user, export: service.Export) -> Response:
    """The rows and a summary sheet as XLSX (422 `too_many_rows` past one sheet)."""
    xlsx.check_fits(export)
    audited = service.audit_export(user, export)
    handle = xlsx.write_workbook(export, audited)
    response = send_file(handle, mimetype=XLSX_TYPE, conditional=False, etag=False, max_age=None)
    return _attachment(response, export.filename("xlsx"))


def _attachment(response: Response, filename: str) -> Response:
    """Headers of a personal-data download: an attachment, never cached."""
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
