"""The dashboard's SVG charts: bars and the funnel (bars.py), lines by month (line.py)."""

from prog_tracker.reports.charts.bars import (
    Bar,
    Stage,
    bar_chart,
    bar_table_rows,
    funnel_chart,
    funnel_table_rows,
)
from prog_tracker.reports.charts.line import Series, line_chart, line_table_rows

__all__ = [
    "Bar",
    "Series",
    "Stage",
    "bar_chart",
    "bar_table_rows",
    "funnel_chart",
    "funnel_table_rows",
    "line_chart",
    "line_table_rows",
]
