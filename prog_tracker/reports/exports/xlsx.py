"""XLSX exports: the rows on one sheet and counts by facility, trade and sex on another,
written by openpyxl in write-only mode to a temporary file (never held in memory)."""

import datetime as dt
import tempfile

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import distinct, func, select

from prog_tracker.core.errors import rule_error
from prog_tracker.extensions import db
from prog_tracker.reports.exports.service import Export, count_rows, defuse, export_rows

# A worksheet's last row (Excel, LibreOffice): the header takes one of them.
MAX_SHEET_ROWS = 1_048_576
# Counts from 1 to this show as "<5" on the summary sheet, so nobody in a small group
# can be singled out from published figures.
SMALL_COUNT = 4
SUPPRESSED = "<5"
SUMMARY_HEADER = ["country", "facility", "trade", "sex", "rows", "people"]
# Excel counts days from 1900; an earlier date would show as a wrong or negative number.
FIRST_EXCEL_DATE = dt.date(1900, 3, 1)


def check_fits(export: Export) -> int:
    """The export's row count, or a 422 pointing to CSV when one sheet cannot hold it."""
    rows = count_rows(export)
    if rows + 1 > MAX_SHEET_ROWS:
        raise rule_error(
            "too_many_rows",
            _l(
                "This export has %(rows)s rows, more than a spreadsheet can hold "
                "(%(limit)s with the header). Download it as CSV instead, or narrow "
                "the period or filters.",
                rows=rows,
                limit=MAX_SHEET_ROWS,
            ),
            fields={"dataset": [_l("Too many rows for XLSX: use the CSV export.")]},
        )
    return rows


def suppress(count: int) -> int | str:
    """A count as published: "<5" from 1 to 4, the number otherwise."""
    return SUPPRESSED if 0 < count <= SMALL_COUNT else count


def xlsx_value(value):
    """One cell for openpyxl: dates as dates, text defused (the CSV's rule)."""
    if isinstance(value, str):
        # openpyxl writes a string starting with "=" as a formula and raises on control
        # characters: defuse() drops those first, so none can hide a formula behind it.
        return defuse(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value if value >= FIRST_EXCEL_DATE else value.isoformat()
    return value


def summary_rows(export: Export) -> list[list]:
    """Rows and distinct people per country, facility, trade and sex, small counts suppressed."""
    rows = export.statement.subquery()
    groups = [rows.c.country, rows.c.facility]
    if export.dataset.has_trade:
        groups.append(rows.c.trade)
    groups.append(rows.c.sex)
    query = (
        select(*groups, func.count(), func.count(distinct(rows.c.participant_id)))
        .group_by(*groups)
        .order_by(*groups)
    )
    table = []
    for found in db.session.execute(query):
        *keys, row_count, people = found
        if not export.dataset.has_trade:
            keys.insert(2, None)
        table.append([*keys, suppress(row_count), suppress(people)])
    return table


def write_workbook(export: Export, audited: frozenset[str]):
    """The workbook in an anonymous temporary file, rewound for reading."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(export.dataset.name)
    data.append(export.header())
    for cells in export_rows(export, audited):
        data.append([xlsx_value(cell) for cell in cells])
    summary = workbook.create_sheet("summary")
    summary.append(SUMMARY_HEADER)
    for row in summary_rows(export):
        summary.append([xlsx_value(cell) for cell in row])
    summary.append([])
    summary.append([str(_l("Counts from 1 to 4 show as <5."))])
    # Anonymous on disk, gone once closed; send_file closes it when the download ends.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        workbook.save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
