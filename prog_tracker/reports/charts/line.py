"""Monthly trend lines: one or more series over months, broken where a month has no value.

A month whose rate rests on too few people (`Series.too_few`) is not drawn as a rate:
one or two people would swing it between 0 and 100 %. The line breaks there and an
open marker on the baseline says "too few" (in its tooltip and in the data table).
"""

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET  # nosec B405 # builds SVG, never parses XML
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from babel.dates import format_date, format_skeleton
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
    current_locale,
    empty,
    finish,
    nice_scale,
    number,
    start,
    text_width,
    wrap,
    x_at,
)


class Series(NamedTuple):
    """One line: its name and a value per month ("2026-01"), None where undefined, and
    the months whose value rests on too few people to be drawn (month -> how many)."""

    label: str
    values: Mapping[str, float | None]
    too_few: Mapping[str, int] = {}

    def drawn(self, month: str) -> float | None:
        """The value drawn for a month: None for a gap or a month with too few people."""
        return None if month in self.too_few else self.values.get(month)


PLOT_HEIGHT = 180
TICK_GAP = 6
STYLES = 4  # marker shapes and dash patterns, so no line is told apart by colour alone
DASHES = (None, "8 4", "2 4", "10 4 2 4")
_MONTH = re.compile(r"\d{4}-\d{2}\Z")


@dataclass(frozen=True)
class _Plot:
    """Where the plot area sits and how values and months map into it."""

    left: float  # logical, from the inline start
    right: float
    top: float
    bottom: float
    y_max: float
    months: int
    rtl: bool

    @property
    def step(self) -> float:
        """The width given to each month."""
        return (self.right - self.left) / self.months

    def x(self, index: int) -> float:
        """The drawing x of a month: oldest at the inline start (right in RTL)."""
        return x_at(self.left + (index + 0.5) * self.step, self.rtl)

    def y(self, value: float) -> float:
        """The drawing y of a value."""
        return self.bottom - value / self.y_max * (self.bottom - self.top)


def first_day(month: str) -> dt.date:
    """The first day of a "YYYY-MM" month."""
    if not _MONTH.match(month):
        raise ValueError(f"months are written YYYY-MM: {month!r}")
    return dt.date(int(month[:4]), int(month[5:]), 1)


def short_month(month: str) -> str:
    """A month's short stand-alone name in the page's language ("Jan", "janv.")."""
    return format_date(first_day(month), "LLL", locale=current_locale())


def month_name(month: str) -> str:
    """A month and year in words, in the page's language ("January 2026")."""
    return format_skeleton("yMMMM", first_day(month), locale=current_locale())


def _year(month: str) -> str:
    """A month's year as the page's language writes years."""
    return format_date(first_day(month), "y", locale=current_locale())


def chart_months(series: Sequence[Series], months: Iterable[str] | None) -> list[str]:
    """The months along the axis: those given, else every month any series has."""
    if months is not None:
        return list(months)
    return sorted({month for line in series for month in line.values})


def line_chart(
    series: Iterable[Series | tuple | Mapping],
    *,
    id: str,  # the <svg> id; its <title> and <desc> get id-title and id-desc
    title: str,
    description: str,
    value_format: Formatter,
    rtl: bool = False,
    months: Iterable[str] | None = None,
    y_max: float | None = None,
    month_format: Formatter | None = None,
) -> Markup:
    """An SVG line chart of monthly values; None months leave a gap, not a zero."""
    lines = [coerce(Series, line) for line in series]
    axis = chart_months(lines, months)
    svg = start(id, "line", title, description, rtl)
    present = [v for line in lines for m in axis if (v := line.drawn(m)) is not None]
    if not present and not any(m in line.too_few for line in lines for m in axis):
        return empty(svg)
    legend_bottom = _legend(svg, lines, rtl) if len(lines) > 1 else 0
    whole = all(isinstance(v, int) for v in present)
    ticks = nice_scale(max(*present, y_max or 0, 0), whole)
    tick_labels = [value_format(tick) for tick in ticks]
    left = PAD + max(text_width(label) for label in tick_labels) + TICK_GAP
    top = legend_bottom + FONT + PAD  # room for the top gridline's label and point values
    plot = _Plot(left, WIDTH - PAD, top, top + PLOT_HEIGHT, ticks[-1], len(axis), rtl)
    _y_axis(svg, plot, ticks, tick_labels)
    bottom = _x_axis(svg, plot, axis, month_format or short_month)
    names = [month_name(month) for month in axis]
    show_values = len(lines) == 1 and _values_fit(plot, present, value_format)
    for style, line in enumerate(lines):
        _draw_series(svg, plot, style % STYLES, line, axis, names, value_format, show_values)
        _draw_too_few(svg, plot, style % STYLES, line, axis, names)
    return finish(svg, bottom)


def line_table_rows(
    series: Iterable[Series | tuple | Mapping],
    *,
    value_format: Formatter,
    months: Iterable[str] | None = None,
) -> list[list[str | None]]:
    """The chart's figures as table rows: month in words, then one cell per series."""
    lines = [coerce(Series, line) for line in series]
    return [
        [month_name(month), *(_cell(line, month, value_format) for line in lines)]
        for month in chart_months(lines, months)
    ]


def _cell(line: Series, month: str, value_format: Formatter) -> str | None:
    """A month's value as text; None kept (the table says "No data"); "too few" said."""
    if month in line.too_few:
        return too_few_text(line.too_few[month])
    value = line.values.get(month)
    return None if value is None else value_format(value)


def too_few_text(people: int) -> str:
    """What a month with too few people shows instead of its rate."""
    return _("Too few to show a rate (%(count)s)", count=people)


def _values_fit(plot: _Plot, values: list[float], value_format: Formatter) -> bool:
    """Whether every point's value can be printed above it without overlapping."""
    if not values:
        return False
    widest = max(text_width(value_format(v), bold=True) for v in values)
    return widest + TICK_GAP <= plot.step


def _legend(svg: ET.Element, lines: list[Series], rtl: bool) -> float:
    """One row per series: its dash pattern, marker and name; returns the bottom y."""
    y = PAD
    for style, line in enumerate(lines):
        y += LINE
        middle = y - 5
        _line(svg, style % STYLES, [(x_at(PAD, rtl), middle), (x_at(PAD + 28, rtl), middle)])
        _marker(svg, style % STYLES, x_at(PAD + 14, rtl), middle)
        label = wrap(line.label, WIDTH - 2 * PAD - 36, max_lines=1)[0]
        add(svg, "text", label, class_="chart-legend", x=x_at(PAD + 36, rtl), y=y)
    return y + PAD / 2


def _y_axis(svg: ET.Element, plot: _Plot, ticks: list[float], labels: list[str]) -> None:
    """Gridlines with their values at the inline start (right in RTL)."""
    for value, label in zip(ticks, labels, strict=True):
        y = plot.y(value)
        add(
            svg,
            "line",
            class_="chart-axis" if value == 0 else "chart-grid",
            x1=x_at(plot.left, plot.rtl),
            x2=x_at(plot.right, plot.rtl),
            y1=y,
            y2=y,
            stroke="currentColor",  # visible even if the stylesheet fails to load
        )
        x = x_at(plot.left - TICK_GAP, plot.rtl)
        add(svg, "text", label, class_="chart-tick", x=x, y=y + 5, text_anchor="end")


def _x_axis(svg: ET.Element, plot: _Plot, months: list[str], month_format: Formatter) -> float:
    """Month names under the plot (thinned to fit, the latest always shown) and
    the year under the first shown month of each year; returns the bottom y."""
    names = [month_format(month) for month in months]
    widest = max(text_width(text) for text in [*names, _year(months[0])])
    every = max(1, math.ceil((widest + TICK_GAP) / plot.step))
    month_y = plot.bottom + FONT + TICK_GAP
    shown_year = None
    for index, month in enumerate(months):
        if (len(months) - 1 - index) % every:
            continue
        x = plot.x(index)
        add(svg, "text", names[index], class_="chart-tick", x=x, y=month_y, text_anchor="middle")
        if month[:4] != shown_year:
            shown_year = month[:4]
            add(
                svg,
                "text",
                _year(month),
                class_="chart-tick chart-year",
                x=x,
                y=month_y + LINE,
                text_anchor="middle",
            )
    return month_y + LINE + PAD


def _runs(points: list[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """Points split where months are missing between them."""
    runs: list[list[tuple[int, float]]] = []
    for index, value in points:
        if runs and runs[-1][-1][0] == index - 1:
            runs[-1].append((index, value))
        else:
            runs.append([(index, value)])
    return runs


def _draw_series(
    svg: ET.Element,
    plot: _Plot,
    style: int,
    line: Series,
    months: list[str],
    names: list[str],
    value_format: Formatter,
    show_values: bool,
) -> None:
    """A series: a line through each run of months with values, a marker on each."""
    points = [(i, v) for i, month in enumerate(months) if (v := line.drawn(month)) is not None]
    for run in _runs(points):
        if len(run) > 1:  # a lone month between gaps is its marker alone
            _line(svg, style, [(plot.x(i), plot.y(v)) for i, v in run])
    for index, value in points:
        x, y = plot.x(index), plot.y(value)
        marker = _marker(svg, style, x, y)
        add(marker, "title", f"{line.label}, {names[index]}: {value_format(value)}")
        if show_values:
            text = value_format(value)
            add(svg, "text", text, class_="chart-value", x=x, y=y - 9, text_anchor="middle")


def _draw_too_few(
    svg: ET.Element, plot: _Plot, style: int, line: Series, months: list[str], names: list[str]
) -> None:
    """An open marker on the baseline for each month with too few people, saying so."""
    for index, month in enumerate(months):
        if month not in line.too_few:
            continue
        # Each series a little above the last, so two of them in one month both show.
        marker = _marker(svg, style, plot.x(index), plot.bottom - 6 - 8 * style)
        marker.set("class", marker.get("class", "") + " chart-too-few")
        text = too_few_text(line.too_few[month])
        add(marker, "title", f"{line.label}, {names[index]}: {text}")


def _line(svg: ET.Element, style: int, points: list[tuple[float, float]]) -> ET.Element:
    """A polyline in a series' dash pattern."""
    return add(
        svg,
        "polyline",
        class_=f"chart-line chart-series-{style + 1}",
        points=" ".join(f"{number(x)},{number(y)}" for x, y in points),
        fill="none",
        stroke="currentColor",  # the stylesheet gives the colour
        stroke_width=2.5,
        stroke_dasharray=DASHES[style],
        stroke_linejoin="round",
    )


def _marker(svg: ET.Element, style: int, x: float, y: float) -> ET.Element:
    """A point's marker: circle, square, triangle or diamond by series."""
    css = f"chart-point chart-series-{style + 1}"
    if style == 0:
        return add(svg, "circle", class_=css, cx=x, cy=y, r=4.5)
    shapes = {
        1: [(-4, -4), (4, -4), (4, 4), (-4, 4)],
        2: [(0, -5.5), (5, 4), (-5, 4)],
        3: [(0, -5.5), (5.5, 0), (0, 5.5), (-5.5, 0)],
    }
    corners = " L ".join(f"{number(x + dx)} {number(y + dy)}" for dx, dy in shapes[style])
    return add(svg, "path", class_=css, d=f"M {corners} Z")
