"""Monthly rates over fewer than 5 people are marked "too few", not drawn as 0 → 100 %
spikes (issue 20): in the SVG, in its data table, and on the dashboard."""

import datetime as dt

from prog_tracker.reports import dashboard
from prog_tracker.reports.charts import Series, line_chart, line_table_rows
from tests.reports.test_charts import all_of, num, parse, percent, rates, texts
from tests.reports.world import build


def _chart(series):
    return line_chart(series, id="trend", title="T", description="D", value_format=percent, y_max=1)


def test_a_month_with_too_few_people_is_a_gap_with_an_open_marker_on_the_baseline(app):
    # January 2 of 2 (100 %), February 0 of 1 (0 %): both too few; March 6 of 10.
    series = [Series("Completion", rates(1.0, 0.0, 0.6), {"2026-01": 2, "2026-02": 1})]
    with app.test_request_context():
        root = parse(_chart(series))
    drawn = [
        p for p in all_of(root, "circle", "chart-point") if "chart-too-few" not in p.get("class")
    ]
    marked = all_of(root, "circle", "chart-too-few")
    assert len(drawn) == 1 and len(marked) == 2
    baseline = num(all_of(root, "line", "chart-axis")[0], "y1")
    assert all(baseline - 10 < num(marker, "cy") < baseline for marker in marked)
    titles = [marker.find("{http://www.w3.org/2000/svg}title").text for marker in marked]
    assert titles[0].endswith("Too few to show a rate (2)")
    assert all_of(root, "polyline") == []  # no line runs through a month with too few
    assert texts(root, "chart-value") == ["60%"]  # no "100%" or "0%" printed for them


def test_the_data_table_says_too_few_instead_of_the_rate(app):
    series = [Series("Completion", rates(1.0, 0.6), {"2026-01": 2})]
    with app.test_request_context():
        rows = line_table_rows(series, value_format=percent)
    assert rows[0][1] == "Too few to show a rate (2)"
    assert rows[1][1] == "60%"


def test_a_chart_whose_months_all_have_too_few_still_draws_its_axes(app):
    series = [Series("Completion", rates(1.0), {"2026-01": 1})]
    with app.test_request_context():
        root = parse(_chart(series))
    assert "chart-is-empty" not in root.get("class")
    assert len(all_of(root, "circle", "chart-too-few")) == 1


def test_the_dashboard_marks_months_of_fewer_than_five(make, app):
    w = build(make)
    from prog_tracker.reports import filters

    chosen = filters.resolve(w.admin, {"from": dt.date(2026, 1, 1), "to": dt.date(2026, 6, 30)})
    with app.test_request_context("/reports"):
        rates_figure = dashboard.build(chosen)["trends"][0]
    svg = str(rates_figure["svg"])
    # world.py's programme is small: every monthly rate rests on fewer than 5 records.
    assert "chart-too-few" in svg
    assert "fewer than 5 people" in svg  # the chart's description says what the marks mean
    cells = [cell for row in rates_figure["rows"] for cell in row[1:] if cell]
    assert cells and all(cell.startswith("Too few") for cell in cells)
