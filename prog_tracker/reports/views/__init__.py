"""The supervisors' dashboard `/reports`: headline figures, trends, the journey funnel,
comparisons by facility and trade. Server-rendered, no script needed."""

from urllib.parse import urlencode

from flask import Blueprint, g, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import load_form, render_form
from prog_tracker.reports import dashboard, filters
from prog_tracker.reports.schemas import ReportQuerySchema

bp = Blueprint("reports", __name__)

FILTERS = ("facility_id", "trade_id", "organisation_id")
FIELDS = ("from", "to", "country", *FILTERS)
TEMPLATE = "reports/dashboard.html"
EXPORT = "/api/v1/reports/export"
DATASET_LABELS = {
    "enrolments": _l("Enrolments"),
    "attendance": _l("Attendance"),
    "certificates": _l("Certificates"),
    "contacts": _l("Contacts after release"),
    "outcomes": _l("Outcomes"),
}


@bp.route("/reports")
def show_dashboard():
    """The dashboard for the period and filters in the query string."""
    policy.require(g.user, "report.read")
    values = {name: request.args.get(name, "").strip() or None for name in FIELDS}
    try:
        # Lenient: a filter of another country is dropped with a notice, not refused.
        chosen = filters.resolve(g.user, load_form(ReportQuerySchema(), values), lenient=True)
    except ApiError as err:
        if err.status != 422:
            raise
        # Keep what was typed, say what is wrong, and show no figures for a half-read request.
        choices = dashboard.choices(g.user, _country_asked(values))
        return render_form(TEMPLATE, values, err, **choices, figures=None)
    values.update(dict.fromkeys(FILTERS) | chosen.params())
    page = {"figures": dashboard.build(chosen), "exports": _export_links(chosen)}
    page |= dashboard.choices(g.user, chosen.country)
    return render_template(TEMPLATE, values=values, errors={}, dropped=chosen.dropped, **page)


def _country_asked(values: dict) -> str | None:
    """The country in the query, when it is two letters (the lists follow it)."""
    asked = (values.get("country") or "").upper()
    return asked if len(asked) == 2 and asked.isalpha() else None


def _export_links(chosen) -> list[dict]:
    """One download per dataset, format and kind, with the dashboard's filters; those
    with names go through the page that asks why (views/exports.py)."""
    links = []
    for dataset, label in DATASET_LABELS.items():
        params = {**chosen.params(), "dataset": dataset}
        named = url_for("reports.export_identified")
        links.append(
            {
                "label": label,
                "csv": f"{EXPORT}.csv?{urlencode(params)}",
                "xlsx": f"{EXPORT}.xlsx?{urlencode(params)}",
                "csv_identified": f"{named}?{urlencode({**params, 'format': 'csv'})}",
                "xlsx_identified": f"{named}?{urlencode({**params, 'format': 'xlsx'})}",
            }
        )
    return links
