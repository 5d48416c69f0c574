"""The dashboard's SVG charts: accessible, escaped, mirrored for RTL, honest about gaps."""

import xml.etree.ElementTree as ET

import pytest
from flask import render_template_string

from prog_tracker.reports.charts import (
    Bar,
    Series,
    Stage,
    bar_chart,
    bar_table_rows,
    funnel_chart,
    funnel_table_rows,
    line_chart,
    line_table_rows,
)
from prog_tracker.reports.charts.svg import WIDTH, format_count

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "<script>alert(1)</script>\"&'"
PHONE_CHART_PX = 310  # the chart's column on a 360 px phone (see reports.css)


def percent(value) -> str:
    """A locale-free percent for tests."""
    return f"{value:.0%}"


def plain(value) -> str:
    """A locale-free count for tests."""
    return str(value)


def parse(markup) -> ET.Element:
    """The chart as an XML tree (fails the test if it is not well-formed)."""
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, parsed to check it


def all_of(root, tag, css=None) -> list[ET.Element]:
    """Every `tag` element, optionally only those with the class `css`."""
    found = root.iter(f"{{{NS['svg']}}}{tag}")
    return [el for el in found if css is None or css in el.get("class", "").split()]


def texts(root, css=None) -> list[str]:
    """The text of every <text>, optionally only of class `css`."""
    return [el.text for el in all_of(root, "text", css)]


def num(el, name) -> float:
    """A numeric attribute."""
    return float(el.get(name))


def rates(*values, start=1) -> dict:
    """Monthly values from 2026-<start> on."""
    return {f"2026-{start + i:02d}": value for i, value in enumerate(values)}


def a_line(**kwargs):
    """A one-series rate chart with a gap in March."""
    series = [Series("Completion", rates(0.5, 0.6, None, 0.7, 0.8))]
    return line_chart(
        series, id="trend", title="T", description="D", value_format=percent, y_max=1, **kwargs
    )


def some_bars(**kwargs):
    """Three facilities' rates, one without data."""
    rows = [Bar("North", 0.8, 8, 10), Bar("South", 0.5, 5, 10), Bar("East", None, 0, 0)]
    return bar_chart(
        rows, id="bars", title="T", description="D", value_format=percent, max_value=1, **kwargs
    )


def a_funnel(**kwargs):
    """A four-stage journey from 200 people."""
    stages = [("Enrolled", 200), ("Completed", 150), ("Certified", 50), ("Employed", 0)]
    return funnel_chart(
        stages,
        id="journey",
        title="T",
        description="D",
        count_format=plain,
        percent_format=percent,
        **kwargs,
    )


CHARTS = {"trend": a_line, "bars": some_bars, "journey": a_funnel}


@pytest.mark.parametrize("chart_id", CHARTS)
def test_every_chart_is_an_image_named_by_its_title_and_description(chart_id):
    root = parse(CHARTS[chart_id]())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img" and root.get("id") == chart_id
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert (title.get("id"), title.text) == (f"{chart_id}-title", "T")
    assert (desc.get("id"), desc.text) == (f"{chart_id}-desc", "D")
    assert root.get("viewBox").startswith(f"0 0 {WIDTH} ")
    assert root.get("width") is None  # the viewBox and CSS size it, from phones up


@pytest.mark.parametrize("chart_id", CHARTS)
def test_charts_carry_no_inline_style_for_the_csp(chart_id):
    markup = str(CHARTS[chart_id](rtl=True))
    assert "style=" not in markup and "<style" not in markup and "<script" not in markup


@pytest.mark.parametrize("chart_id", CHARTS)
def test_text_is_at_least_12px_on_a_phone(chart_id):
    root = parse(CHARTS[chart_id]())
    sizes = [float(el.get("font-size", root.get("font-size"))) for el in all_of(root, "text")]
    assert min(sizes) * PHONE_CHART_PX / WIDTH >= 12


def test_an_id_that_is_not_a_plain_name_is_refused():
    with pytest.raises(ValueError):
        line_chart([], id='x" onload="alert(1)', title="T", description="D", value_format=percent)


def test_bar_chart_draws_one_bar_per_row_with_data_and_prints_its_value():
    root = parse(some_bars())
    assert len(all_of(root, "rect", "chart-bar")) == 2
    assert texts(root, "chart-label") == ["North", "South", "East"]
    assert texts(root, "chart-value") == ["80%", "50%"]
    assert texts(root, "chart-note") == ["8 of 10", "5 of 10", "0 of 0"]


def test_a_row_without_data_says_so_instead_of_drawing_a_bar():
    root = parse(some_bars())
    assert texts(root, "chart-nodata") == ["No data"]
    tooltips = [bar.find("svg:title", NS).text for bar in all_of(root, "rect", "chart-bar")]
    assert not any(tip.startswith("East") for tip in tooltips)


def test_bar_length_is_the_value_over_max_value():
    root = parse(some_bars())
    track = all_of(root, "rect", "chart-track")[0]
    north, south = all_of(root, "rect", "chart-bar")
    assert num(north, "width") == pytest.approx(0.8 * num(track, "width"), abs=0.1)
    assert num(south, "width") == pytest.approx(0.5 * num(track, "width"), abs=0.1)


def test_without_max_value_the_largest_value_fills_the_bar():
    root = parse(bar_chart([("A", 40), ("B", 10)], **_plain_args("counts")))
    track = all_of(root, "rect", "chart-track")[0]
    a, b = all_of(root, "rect", "chart-bar")
    assert num(a, "width") == num(track, "width")
    assert num(b, "width") == pytest.approx(num(track, "width") / 4, abs=0.1)


def test_bars_grow_from_the_right_in_rtl():
    ltr, rtl = parse(some_bars()), parse(some_bars(rtl=True))
    assert (ltr.get("direction"), rtl.get("direction")) == ("ltr", "rtl")
    ltr_bar, rtl_bar = all_of(ltr, "rect", "chart-bar")[0], all_of(rtl, "rect", "chart-bar")[0]
    assert num(ltr_bar, "width") == num(rtl_bar, "width")
    assert num(ltr_bar, "x") == WIDTH - num(rtl_bar, "x") - num(rtl_bar, "width")
    assert num(rtl_bar, "x") + num(rtl_bar, "width") > num(ltr_bar, "x") + num(ltr_bar, "width")
    # Labels sit at the right and values at the left: x mirrored, anchors logical.
    ltr_label, rtl_label = (
        all_of(ltr, "text", "chart-label")[0],
        all_of(rtl, "text", "chart-label")[0],
    )
    assert num(ltr_label, "x") < WIDTH / 2 < num(rtl_label, "x")
    ltr_value, rtl_value = (
        all_of(ltr, "text", "chart-value")[0],
        all_of(rtl, "text", "chart-value")[0],
    )
    assert num(ltr_value, "x") == WIDTH - num(rtl_value, "x")
    assert rtl_value.get("text-anchor") == "end"


def test_long_labels_wrap_to_two_lines_and_are_cut_with_an_ellipsis():
    long_name = "Northern Region Women's Facility carpentry and joinery workshop " * 3
    root = parse(bar_chart([(long_name, 0.5)], **_plain_args("long")))
    lines = texts(root, "chart-label")
    assert len(lines) == 2 and lines[1].endswith("…")


def test_line_chart_marks_each_month_with_a_value_and_breaks_the_line_at_gaps():
    root = parse(a_line())
    assert len(all_of(root, "circle", "chart-point")) == 4
    lines = all_of(root, "polyline", "chart-line")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]


def test_a_month_without_value_is_not_drawn_as_zero():
    root = parse(a_line())
    zero_y = num(all_of(root, "line", "chart-axis")[0], "y1")
    point_ys = [num(point, "cy") for point in all_of(root, "circle", "chart-point")]
    line_ys = [
        float(xy.split(",")[1])
        for ln in all_of(root, "polyline")
        for xy in ln.get("points").split()
    ]
    assert zero_y not in point_ys + line_ys


def test_a_lone_month_between_gaps_is_a_marker_without_a_line():
    series = [Series("Rate", rates(0.5, None, 0.6, None))]
    root = parse(line_chart(series, **_plain_args("lone", value_format=percent)))
    assert len(all_of(root, "circle", "chart-point")) == 2
    assert all_of(root, "polyline") == []


def test_months_missing_from_every_series_still_take_their_place():
    series = [Series("Rate", rates(0.5, 0.6))]
    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    root = parse(line_chart(series, months=months, **_plain_args("span", value_format=percent)))
    xs = [num(point, "cx") for point in all_of(root, "circle", "chart-point")]
    assert xs[1] < WIDTH / 2  # four slots, the two values in the first half


def test_the_time_axis_runs_right_to_left_in_rtl():
    ltr_xs = [num(p, "cx") for p in all_of(parse(a_line()), "circle", "chart-point")]
    rtl_root = parse(a_line(rtl=True))
    rtl_xs = [num(p, "cx") for p in all_of(rtl_root, "circle", "chart-point")]
    assert ltr_xs == sorted(ltr_xs) and rtl_xs == sorted(rtl_xs, reverse=True)
    assert rtl_xs == pytest.approx([WIDTH - x for x in ltr_xs])
    ticks = [el for el in all_of(rtl_root, "text", "chart-tick") if el.text.endswith("%")]
    assert all(num(tick, "x") > WIDTH / 2 for tick in ticks)  # the value axis on the right


def test_rate_axis_runs_to_100_percent_and_points_print_their_values():
    root = parse(a_line())
    assert "100%" in texts(root, "chart-tick")
    assert texts(root, "chart-value") == ["50%", "60%", "70%", "80%"]


def test_month_labels_are_short_and_thinned_the_latest_always_shown():
    months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
    series = [Series("Enrolments", dict.fromkeys(months, 10))]
    root = parse(line_chart(series, **_plain_args("long-trend")))
    labels = [el.text for el in all_of(root, "text", "chart-tick") if not el.text.isdigit()]
    assert 2 <= len(labels) < 24 and labels[-1] == "Dec"
    assert texts(root, "chart-year") == ["2025", "2026"]


def test_several_series_differ_by_marker_and_dash_not_only_colour():
    series = [Series("Completion", rates(0.5, 0.6)), Series("Certification", rates(0.2, 0.3))]
    root = parse(line_chart(series, **_plain_args("two", value_format=percent)))
    assert texts(root, "chart-legend") == ["Completion", "Certification"]
    assert len(all_of(root, "circle", "chart-series-1")) == 3  # two points + the legend's
    assert len(all_of(root, "path", "chart-series-2")) == 3
    dashes = [line.get("stroke-dasharray") for line in all_of(root, "polyline", "chart-line")]
    assert dashes[0] != dashes[-1]


def test_funnel_prints_each_count_and_its_percent_of_the_first_stage():
    root = parse(a_funnel())
    assert texts(root, "chart-value") == ["200", "150", "50", "0"]
    assert texts(root, "chart-note") == ["100%", "75%", "25%", "0%"]
    first, *others = (num(bar, "width") for bar in all_of(root, "rect", "chart-bar"))
    assert [round(width / first, 2) for width in others] == [0.75, 0.25, 0]


def test_funnel_defaults_to_the_page_languages_numbers(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert format_count(1240) == "1\u202f240"
        root = parse(funnel_chart([("Inscrits", 1240)], id="fr", title="T", description="D"))
    assert texts(root, "chart-value") == ["1\u202f240"]
    assert texts(root, "chart-note")[0].startswith("100")


@pytest.mark.parametrize(
    "chart",
    [
        lambda: line_chart([], **_plain_args("e1")),
        lambda: line_chart([Series("R", rates(None, None))], **_plain_args("e2")),
        lambda: bar_chart([], **_plain_args("e3")),
        lambda: funnel_chart([], id="e4", title="T", description="D"),
        lambda: funnel_chart(
            [("Enrolled", 0), ("Completed", 0)], id="e5", title="T", description="D"
        ),
    ],
    ids=["no-months", "all-none", "no-rows", "no-stages", "zero-first-stage"],
)
def test_nothing_to_draw_says_so_in_words(chart):
    root = parse(chart())
    assert texts(root, "chart-nodata") == ["No data for this period."]
    assert "chart-is-empty" in root.get("class")
    assert root.find("svg:title", NS).text == "T"


def test_bars_that_all_lack_data_each_say_so():
    root = parse(bar_chart([("A", None), ("B", None)], **_plain_args("none")))
    assert texts(root, "chart-nodata") == ["No data", "No data"]
    assert all_of(root, "rect", "chart-bar") == []


def test_labels_titles_and_descriptions_are_escaped():
    markup = str(
        bar_chart(
            [Bar(HOSTILE, 0.5, 1, 2)],
            id="x",
            title=HOSTILE,
            description=HOSTILE,
            value_format=percent,
        )
        + line_chart([Series(HOSTILE, rates(0.5, 0.6))], **_plain_args("y", value_format=percent))
        + funnel_chart([(HOSTILE, 3)], id="z", title="T", description="D")
    )
    assert HOSTILE not in markup and "<script" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    root = parse(f"<root>{markup}</root>")
    assert HOSTILE in [el.text for el in root.iter() if el.text]


def test_control_characters_are_dropped_so_the_svg_stays_xml():
    root = parse(bar_chart([("North\x00\x1b", 0.5)], **_plain_args("ctl")))
    assert texts(root, "chart-label") == ["North"]


def test_table_rows_hold_the_same_figures_as_the_charts():
    assert line_table_rows([Series("Rate", rates(0.5, None))], value_format=percent) == [
        ["January 2026", "50%"],
        ["February 2026", None],
    ]
    bars = [Bar("North", 0.8, 8, 10), Bar("East", None)]
    assert bar_table_rows(bars, value_format=percent, count_format=plain) == [
        ["North", "80%", "8", "10"],
        ["East", None, None, None],
    ]
    assert bar_table_rows([("A", 3)], value_format=plain) == [["A", "3"]]
    stages = [Stage("Enrolled", 4), Stage("Completed", 1)]
    assert funnel_table_rows(stages, count_format=plain, percent_format=percent) == [
        ["Enrolled", "4", "100%"],
        ["Completed", "1", "25%"],
    ]
    assert funnel_table_rows([("Enrolled", 0)], count_format=plain) == [["Enrolled", "0", None]]


def test_rows_may_be_tuples_mappings_or_named_tuples():
    as_tuple = bar_chart([("A", 0.5, 1, 2)], **_plain_args("t"))
    as_mapping = bar_chart(
        [{"label": "A", "value": 0.5, "numerator": 1, "denominator": 2}], **_plain_args("t")
    )
    assert as_tuple == as_mapping == bar_chart([Bar("A", 0.5, 1, 2)], **_plain_args("t"))


FIGURE = '{% from "reports/_charts.html" import figure %}{{ figure(svg, caption, headers, rows) }}'


def test_figure_places_the_chart_with_a_caption_and_a_data_table(app):
    svg = some_bars()
    rows = bar_table_rows([Bar(HOSTILE, 0.5), Bar("East", None)], value_format=percent)
    with app.test_request_context():
        html = render_template_string(
            FIGURE, svg=svg, caption="Rates by facility", headers=["Facility", "Rate"], rows=rows
        )
    assert str(svg) in html  # the SVG is placed as is, not escaped again
    assert '<figcaption class="chart-caption">Rates by facility</figcaption>' in html
    assert "<details" in html and "<summary>Data table</summary>" in html
    assert "<caption>Rates by facility</caption>" in html
    assert '<th scope="col">Facility</th>' in html
    assert '<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;&#34;&amp;&#39;</th>' in html
    assert '<td class="chart-num chart-missing">No data</td>' in html
    assert "<script>" not in html


def _plain_args(chart_id, value_format=plain) -> dict:
    """The keyword arguments every chart needs, for tests that do not look at them."""
    return {"id": chart_id, "title": "T", "description": "D", "value_format": value_format}
