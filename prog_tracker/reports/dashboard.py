"""The figures and charts of the dashboard page, from the indicators and the funnel."""

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from prog_tracker.core import policy
from prog_tracker.core.collation import by_name
from prog_tracker.core.i18n import text_direction
from prog_tracker.core.localised import country_name, display_name
from prog_tracker.directory.models import Facility, Organisation
from prog_tracker.extensions import db
from prog_tracker.reports import charts, labels
from prog_tracker.reports.filters import taught_in
from prog_tracker.reports.measures import funnel, indicators
from prog_tracker.reports.measures.definitions import KEYS, RATES
from prog_tracker.workshops.models import Cohort, Trade

# Monthly trends: rates on one chart (0–100 %), flows on another.
TREND_RATES = (
    "completion_rate",
    "attendance_rate",
    "contact_within_7_days_rate",
    "follow_up_compliance_rate",
)
TREND_COUNTS = ("enrolments_started", "certificates_issued")
BY_FACILITY = (
    "completion_rate",
    "attendance_rate",
    "contact_within_7_days_rate",
    "employed_at_6_months_rate",
)
BY_TRADE = ("completion_rate", "attendance_rate", "certificates_issued")
# A monthly rate over fewer people (records) than this is "too few", not a point: one
# or two people would swing it between 0 and 100 %.
TOO_FEW = 5
# Cohorts listed under the funnel (the funnel itself sums them all).
COHORTS_LISTED = 50


def build(filters) -> dict:
    """Everything the dashboard shows for the filters."""
    rtl = text_direction(get_locale()) == "rtl"
    headline = indicators.headline(filters)
    return {
        "cards": [_card(key, headline[key]) for key in KEYS],
        "trends": _trends(filters, rtl),
        "funnel": _funnel(filters, rtl),
        "facilities": _comparisons(filters, "facility", BY_FACILITY, rtl),
        "trades": _comparisons(filters, "trade", BY_TRADE, rtl),
    }


def choices(user, country: str | None = None) -> dict:
    """What the filter form offers: the countries the user sees, and the facilities,
    trades and partners of the country chosen (of every country when none is)."""
    visible = db.session.scalars(policy.visible_facilities(user)).all()
    fixed = policy.report_country(user, None)
    country = fixed or country
    facilities = [f for f in visible if not country or f.country == country]
    organisations = policy.visible_organisations(user)
    trades = select(Trade).order_by(by_name(Trade.name), Trade.id)
    if country:
        organisations = organisations.where(Organisation.country == country)
        trades = trades.where(Trade.id.in_(taught_in(country)))
    return {
        "facility_options": [(f.id, f"{f.name} ({country_name(f.country)})") for f in facilities],
        "country_options": [
            (code, country_name(code)) for code in sorted({f.country for f in visible})
        ],
        "country_fixed": fixed is not None,
        "trade_options": [(t.id, display_name(t)) for t in db.session.scalars(trades)],
        "organisation_options": [
            (o.id, f"{display_name(o)} ({country_name(o.country)})")
            for o in db.session.scalars(organisations)
        ],
    }


def _card(key: str, figure: dict) -> dict:
    """One headline figure as the page shows it."""
    return {
        "key": key,
        "label": labels.INDICATORS[key],
        "explained": labels.EXPLAINED[key],
        "value": labels.value_text(key, figure["value"]),
        "numerator_text": labels.count(figure.get("numerator") or 0),
        "denominator_text": labels.count(figure.get("denominator") or 0),
        "rate": key in RATES,
    }


def _trends(filters, rtl: bool) -> list[dict]:
    """Two line charts by month: rates, then counts."""
    months = funnel.months_between(filters.start, filters.end)
    per_month = indicators.split(filters, TREND_RATES + TREND_COUNTS, "month")
    figures = []
    for chart_id, keys, fmt, title in (
        ("trend-rates", TREND_RATES, labels.percent, _("Rates by month")),
        ("trend-counts", TREND_COUNTS, labels.count, _("Counts by month")),
    ):
        series = [_series(key, per_month[key], months) for key in keys]
        # A month with nothing counted is a gap for rates, a zero for counts.
        svg = charts.line_chart(
            series,
            id=chart_id,
            title=title,
            description=_trend_description(series),
            value_format=fmt,
            rtl=rtl,
            months=months,
            y_max=1 if fmt is labels.percent else None,
        )
        figures.append(
            _figure(
                svg,
                title,
                [_("Month"), *(str(labels.INDICATORS[key]) for key in keys)],
                charts.line_table_rows(series, value_format=fmt, months=months),
            )
        )
    return figures


def _series(key: str, per_month: dict, months: list[str]) -> charts.Series:
    """One indicator by month; a rate over fewer than TOO_FEW is marked, not drawn."""
    figures = {month: per_month.get(month, _empty(key)) for month in months}
    too_few = {
        month: figure["denominator"]
        for month, figure in figures.items()
        if key in RATES and 0 < (figure.get("denominator") or 0) < TOO_FEW
    }
    values = {month: figure["value"] for month, figure in figures.items()}
    return charts.Series(str(labels.INDICATORS[key]), values, too_few)


def _trend_description(series: list) -> str:
    """What the trend chart shows, and what its "too few" markers mean when it has some."""
    described = _("One line per indicator, one point per month of the period.")
    if any(line.too_few for line in series):
        marked = _(
            "A month in which a rate counts fewer than %(count)s people is marked "
            "“too few” on the baseline instead of being drawn.",
            count=TOO_FEW,
        )
        described = f"{described} {marked}"
    return described


def _empty(key: str) -> dict:
    """The figure of a month in which nothing was counted."""
    return indicators.figure(key, None)


def _funnel(filters, rtl: bool) -> dict:
    """The journey funnel of every cohort that started in the period, and the biggest ones."""
    per_cohort = funnel.cohort_funnels(filters)
    summed = funnel.total(per_cohort)
    stages = [charts.Stage(str(labels.STAGES[key]), summed[key]) for key in funnel.STAGES]
    title = _("From workshop to work: cohorts that started in the period")
    svg = charts.funnel_chart(
        stages,
        id="journey-funnel",
        title=title,
        description=_("Each bar counts the people who reached a stage and every stage before it."),
        rtl=rtl,
        count_format=labels.count,
        percent_format=labels.percent,
    )
    table = charts.funnel_table_rows(
        stages, count_format=labels.count, percent_format=labels.percent
    )
    return {
        "figure": _figure(svg, title, [_("Stage"), _("People"), _("Share of enrolled")], table),
        "cohorts": _cohort_rows(per_cohort),
        "cohort_count": len(per_cohort),
        "stage_labels": [labels.STAGES[key] for key in funnel.STAGES],
    }


def _cohort_rows(per_cohort: list[dict]) -> list[dict]:
    """The largest cohorts' funnels with their names, biggest first."""
    biggest = sorted(per_cohort, key=lambda f: (-f["stages"]["enrolled"], f["cohort_id"]))
    biggest = biggest[:COHORTS_LISTED]
    ids = [f["cohort_id"] for f in biggest]
    cohorts = db.session.scalars(select(Cohort).where(Cohort.id.in_(ids))) if ids else []
    names = {cohort.id: display_name(cohort) for cohort in cohorts}
    return [
        {"title": names.get(f["cohort_id"], ""), "stages": [f["stages"][k] for k in funnel.STAGES]}
        for f in biggest
    ]


def _comparisons(filters, dimension: str, keys, rtl: bool) -> list[dict]:
    """One bar chart per indicator comparing facilities (or trades)."""
    split = indicators.split(filters, keys, dimension)
    names = _names(dimension, {group for figures in split.values() for group in figures})
    figures = []
    for key in keys:
        rows = sorted(
            (
                charts.Bar(
                    names.get(group, ""),
                    figure["value"],
                    figure.get("numerator"),
                    figure.get("denominator"),
                )
                for group, figure in split.get(key, {}).items()
            ),
            key=lambda bar: bar.label,
        )
        fmt = labels.percent if key in RATES else labels.count
        title = str(labels.INDICATORS[key])
        svg = charts.bar_chart(
            rows,
            id=f"{dimension}-{key}",
            title=title,
            description=_("One bar per facility.")
            if dimension == "facility"
            else _("One bar per trade."),
            value_format=fmt,
            rtl=rtl,
            max_value=1 if key in RATES else None,
            count_format=labels.count,
        )
        headers = [_("Facility") if dimension == "facility" else _("Trade"), title]
        table = charts.bar_table_rows(rows, value_format=fmt, count_format=labels.count)
        if table and len(table[0]) == 4:  # the parts come only when some row has them
            headers += [_("Counted"), _("Out of")]
        figures.append(_figure(svg, title, headers, table))
    return figures


def _names(dimension: str, ids: set) -> dict:
    """Facility or trade names by id."""
    if not ids:
        return {}
    if dimension == "facility":
        query = select(Facility.id, Facility.name).where(Facility.id.in_(ids))
        return dict(db.session.execute(query).all())
    trades = db.session.scalars(select(Trade).where(Trade.id.in_(ids)))
    return {trade.id: display_name(trade) for trade in trades}


def _figure(svg, caption, headers, rows) -> dict:
    """The arguments of the `figure` macro."""
    return {"svg": svg, "caption": caption, "headers": headers, "rows": rows}
