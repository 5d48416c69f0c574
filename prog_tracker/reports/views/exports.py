"""Exports with names from the dashboard: asked why first, with the same reason codes
as opening one person's record; the export's audit event carries the code."""

from flask import g, request, url_for
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.core.audit import REASON_CODES
from prog_tracker.core.errors import validation_error
from prog_tracker.core.forms import load_form, render_form
from prog_tracker.core.policy.reasons import REASON_LABELS
from prog_tracker.reports.exports import download
from prog_tracker.reports.schemas import ExportQuerySchema
from prog_tracker.reports.views import DATASET_LABELS, FIELDS, bp

ASKED = (*FIELDS, "dataset", "format", "reason_code")
TEMPLATE = "reports/export_reason.html"


@bp.route("/reports/export-identified")
def export_identified():
    """Ask why the names are needed, then send the export (CSV or XLSX) with them."""
    policy.require(g.user, "report.export_identified")
    values = {name: request.args.get(name, "").strip() or None for name in ASKED}
    file_format, code = values.pop("format"), values.pop("reason_code")
    if file_format not in download.FORMATS:
        raise validation_error({"format": [_("Choose CSV or XLSX.")]})
    args = load_form(ExportQuerySchema(), {**values, "identified": "true"})
    if code not in REASON_CODES:
        return _ask_why(values, file_format, code)
    return download.respond(g.user, args, file_format, reason_code=code)


def _ask_why(values: dict, file_format: str, code: str | None):
    """The reason picker, keeping the export asked for (again with an error if one was
    sent that is not a reason code)."""
    err = validation_error({"reason_code": [_("Choose a reason.")]}) if code else None
    return render_form(
        TEMPLATE,
        {**values, "format": file_format, "reason_code": code},
        err,
        kept=(*FIELDS, "dataset", "format"),
        back=url_for("reports.show_dashboard", **{k: v for k, v in values.items() if k in FIELDS}),
        reasons=list(REASON_LABELS.items()),
        dataset_label=DATASET_LABELS[values["dataset"]],
    )
