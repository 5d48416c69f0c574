"""The date constructs behave the same on SQLite and PostgreSQL, and like Python."""

import datetime as dt

import pytest
from sqlalchemy import Date, literal, select, text

from prog_tracker.extensions import db
from prog_tracker.reports.measures.sql import (
    add_days,
    add_months,
    local_day,
    month_of,
    plus_months,
    released_for_marks,
)

DAY = dt.date


def _run(expression):
    """Evaluate one expression in the database."""
    return db.session.execute(select(expression)).scalar_one()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (DAY(2026, 1, 31), 1, DAY(2026, 2, 28)),
        (DAY(2024, 1, 31), 1, DAY(2024, 2, 29)),
        (DAY(2025, 11, 30), 3, DAY(2026, 2, 28)),
        (DAY(2025, 3, 10), 12, DAY(2026, 3, 10)),
        (DAY(2026, 3, 31), -1, DAY(2026, 2, 28)),
        (DAY(2026, 5, 15), 6, DAY(2026, 11, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end_like_python(app, day, months, expected):
    assert plus_months(day, months) == expected
    assert _run(add_months(literal(day, Date), months)) == expected


def test_add_days_takes_numbers_and_negative_numbers(app):
    assert _run(add_days(literal(DAY(2026, 2, 26), Date), 3)) == DAY(2026, 3, 1)
    assert _run(add_days(literal(DAY(2026, 3, 1), Date), -3)) == DAY(2026, 2, 26)


def test_local_day_shifts_a_utc_time_by_minutes(app):
    from prog_tracker.core.models import UTCDateTime

    evening = literal(dt.datetime(2026, 2, 8, 19, 30, tzinfo=dt.UTC), UTCDateTime())
    assert _run(local_day(evening, 300)) == DAY(2026, 2, 9)
    assert _run(local_day(evening, 0)) == DAY(2026, 2, 8)
    assert _run(local_day(evening, -1200)) == DAY(2026, 2, 7)


def test_month_of(app):
    assert _run(month_of(literal(DAY(2026, 2, 8), Date))) == "2026-02"


@pytest.mark.parametrize("months", [1, 3, 6, 12])
def test_released_for_marks_is_exactly_the_days_whose_mark_falls_in_the_period(months):
    start, end = DAY(2026, 3, 31), DAY(2026, 6, 30)
    low, high = released_for_marks(start, end, months)
    day = start - dt.timedelta(days=450)
    while day < end:
        inside = start <= plus_months(day, months) <= end
        assert inside == (low <= day <= high), day
        day += dt.timedelta(days=1)


def test_reports_switch_off_postgresqls_own_parallelism_and_jit(app):
    from sqlalchemy import event

    from prog_tracker.reports.measures.indicators import tune_for_reports

    issued = []

    def remember(_conn, _cursor, statement, *_args):
        if statement.startswith("SET"):  # not the tests' own SAVEPOINTs
            issued.append(statement)

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        tune_for_reports()
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    if engine.dialect.name == "postgresql":
        assert issued == ["SET LOCAL max_parallel_workers_per_gather = 0", "SET LOCAL jit = off"]
        shown = db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar()
        assert (shown, db.session.execute(text("SHOW jit")).scalar()) == ("0", "off")
    else:
        assert issued == []  # SQLite has neither
