"""Bar and funnel charts for the reports dashboard (issue 7), server-rendered SVG.

Pure functions from figures to an inline <svg>: no chart library, no script.
Each chart has a title and a description for assistive technology, prints
every value as text (colour is never the only cue), scales by its viewBox
from a 360 px phone to a wide screen, and mirrors for right-to-left pages.
Numbers arrive formatted by the caller's callables (Babel's format_percent,
format_decimal…), so they read as the page's language writes them. Place a
chart with its data table with the `figure` macro in templates/reports/_charts.html.
"""

import xml.etree.ElementTree as ET  # nosec B405 # builds SVG, never parses XML
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from flask_babel import gettext as _
from markupsafe import Markup

from prog_tracker.reports.charts.svg import (
    FONT,
    LINE,
    PAD,
    WIDTH,
    Formatter,
    add,
    coerce,
    empty,
    finish,
    format_count,
    format_share,
    left_edge,
    start,
    text_width,
    wrap,
    x_at,
)


class Bar(NamedTuple):
    """One compared row (a facility, a trade): its value and, for a rate, its parts."""

    label: str
    value: float | None  # None: no data (say a rate whose denominator is 0)
    numerator: int | None = None
    denominator: int | None = None


class Stage(NamedTuple):
    """One step of the journey funnel and how many people reached it."""

    label: str
    count: int | None


class _Row(NamedTuple):
    """A row as drawn: label, bar length as a share of the full bar, texts."""

    label: str
    share: float | None  # 0..1; None: no data, so no bar
    value_text: str
    note: str | None  # printed at the end of the label line
    tooltip: str


BAR_HEIGHT = 20
ROW_GAP = 12
TEXT_GAP = 8
MIN_BAR_ROOM = 120  # bars stay comparable however wide the value texts are


def bar_chart(
    rows: Iterable[Bar | tuple | Mapping],
    *,
    id: str,  # the <svg> id; its <title> and <desc> get id-title and id-desc
    title: str,
    description: str,
    value_format: Formatter,
    rtl: bool = False,
    max_value: float | None = None,
    count_format: Formatter | None = None,
) -> Markup:
    """An SVG of horizontal bars, one per row, growing from the inline start.

    max_value is the full bar's value (1 for rates); by default the largest value.
    """
    bars = [coerce(Bar, row) for row in rows]
    svg = start(id, "bar", title, description, rtl)
    if not bars:
        return empty(svg)
    values = [bar.value for bar in bars if bar.value is not None]
    full = max_value if max_value is not None else max(values, default=0)
    counts = count_format or format_count
    return _draw_rows(svg, [_bar_row(bar, full, value_format, counts) for bar in bars], rtl)


def funnel_chart(
    stages: Iterable[Stage | tuple | Mapping],
    *,
    id: str,  # the <svg> id; its <title> and <desc> get id-title and id-desc
    title: str,
    description: str,
    rtl: bool = False,
    count_format: Formatter | None = None,
    percent_format: Formatter | None = None,
) -> Markup:
    """An SVG funnel: each stage's bar, count and percent relative to the first stage."""
    steps = [coerce(Stage, stage) for stage in stages]
    svg = start(id, "funnel", title, description, rtl)
    first = steps[0].count if steps else None
    if not first or first <= 0:  # nobody at the start: no percent means anything
        return empty(svg)
    counts, percents = count_format or format_count, percent_format or format_share
    rows = [_stage_row(step, first, counts, percents) for step in steps]
    return _draw_rows(svg, rows, rtl)


def bar_table_rows(
    rows: Iterable[Bar | tuple | Mapping],
    *,
    value_format: Formatter,
    count_format: Formatter | None = None,
) -> list[list[str | None]]:
    """The bar chart's figures as table rows: label, value (and numerator,
    denominator when any row has them); None where there is no data."""
    bars = [coerce(Bar, row) for row in rows]
    counts = count_format or format_count
    with_parts = any(bar.numerator is not None or bar.denominator is not None for bar in bars)
    table = []
    for bar in bars:
        cells = [bar.label, _text(bar.value, value_format)]
        if with_parts:
            cells += [_text(bar.numerator, counts), _text(bar.denominator, counts)]
        table.append(cells)
    return table


def funnel_table_rows(
    stages: Iterable[Stage | tuple | Mapping],
    *,
    count_format: Formatter | None = None,
    percent_format: Formatter | None = None,
) -> list[list[str | None]]:
    """The funnel's figures as table rows: stage, count, percent of the first stage."""
    steps = [coerce(Stage, stage) for stage in stages]
    counts, percents = count_format or format_count, percent_format or format_share
    first = steps[0].count if steps else None
    return [
        [
            step.label,
            _text(step.count, counts),
            percents(step.count / first) if first and step.count is not None else None,
        ]
        for step in steps
    ]


def _text(value: float | None, formatter: Formatter) -> str | None:
    """A value as text, None kept (the table says "No data")."""
    return None if value is None else formatter(value)


def _share(value: float, full: float) -> float:
    """How much of the full bar a value fills, within 0..1."""
    return 0.0 if full <= 0 else min(max(value / full, 0.0), 1.0)


def _bar_row(bar: Bar, full: float, value_format: Formatter, counts: Formatter) -> _Row:
    """A Bar as drawn: its parts ("8 of 10") go at the end of its label line."""
    note = None
    if bar.numerator is not None and bar.denominator is not None:
        note = _(
            "%(numerator)s of %(denominator)s",
            numerator=counts(bar.numerator),
            denominator=counts(bar.denominator),
        )
    if bar.value is None:
        return _Row(bar.label, None, "", note, "")
    value_text = value_format(bar.value)
    tooltip = f"{bar.label}: {value_text}" + (f" ({note})" if note else "")
    return _Row(bar.label, _share(bar.value, full), value_text, note, tooltip)


def _stage_row(stage: Stage, first: int, counts: Formatter, percents: Formatter) -> _Row:
    """A Stage as drawn: its count by the bar, its percent of the first stage on the label line."""
    if stage.count is None:
        return _Row(stage.label, None, "", None, "")
    count, percent = counts(stage.count), percents(stage.count / first)
    tooltip = f"{stage.label}: {count} ({percent})"
    return _Row(stage.label, _share(stage.count, first), count, percent, tooltip)


def _draw_rows(svg: ET.Element, rows: list[_Row], rtl: bool) -> Markup:
    """Draw rows one under the other, values in a column at the inline end."""
    value_room = max(text_width(row.value_text, bold=True) for row in rows) + TEXT_GAP
    bar_room = max(WIDTH - 2 * PAD - value_room, MIN_BAR_ROOM)
    y = PAD / 2
    for row in rows:
        y = _draw_row(svg, row, y, bar_room, rtl)
    return finish(svg, y - ROW_GAP + PAD)


def _draw_row(svg: ET.Element, row: _Row, y: float, bar_room: float, rtl: bool) -> float:
    """A label line (wrapped to two lines) over a bar; returns the next row's y."""
    note_room = text_width(row.note) + TEXT_GAP if row.note else 0
    lines = wrap(row.label, WIDTH - 2 * PAD - note_room)
    for index, text in enumerate(lines):
        add(svg, "text", text, class_="chart-label", x=x_at(PAD, rtl), y=y + FONT + index * LINE)
    if row.note:
        x = x_at(WIDTH - PAD, rtl)
        add(svg, "text", row.note, class_="chart-note", x=x, y=y + FONT, text_anchor="end")
    bar_y = y + FONT + (len(lines) - 1) * LINE + TEXT_GAP
    text_y = bar_y + BAR_HEIGHT / 2 + 5
    if row.share is None:
        add(svg, "text", _("No data"), class_="chart-nodata", x=x_at(PAD, rtl), y=text_y)
    else:
        _draw_bar(svg, row, bar_y, bar_room, rtl)
        x = x_at(WIDTH - PAD, rtl)
        add(svg, "text", row.value_text, class_="chart-value", x=x, y=text_y, text_anchor="end")
    return bar_y + BAR_HEIGHT + ROW_GAP


def _draw_bar(svg: ET.Element, row: _Row, y: float, room: float, rtl: bool) -> None:
    """The full-length track and, over it, the bar for the row's share."""
    track_x = left_edge(PAD, room, rtl)
    add(svg, "rect", class_="chart-track", x=track_x, y=y, width=room, height=BAR_HEIGHT)
    # A value above zero stays visible however small it is next to the largest.
    width = max(room * row.share, 2) if row.share > 0 else 0
    bar = add(
        svg,
        "rect",
        class_="chart-bar",
        x=left_edge(PAD, width, rtl),
        y=y,
        width=width,
        height=BAR_HEIGHT,
    )
    add(bar, "title", row.tooltip)
