"""Reading a register: CSV (UTF-8, with or without BOM, `,` or `;`) or XLSX, as rows of cells.

Formulas are read as their text, never evaluated (openpyxl with data_only=False
hands back "=HYPERLINK(...)" itself). Reading stops after IMPORT_MAX_ROWS rows
with content, or after a long run of empty rows, so a sheet of a million empty
rows ends at once.
"""

import csv
import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from prog_tracker.core.errors import ApiError

# A run of this many empty rows ends the sheet: what follows is formatting, not data.
EMPTY_RUN = 1000
XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = (",", ";", "\t")
_OPENING = threading.Lock()


@dataclass
class Sheet:
    """A register's header and its rows with content, numbered as a spreadsheet shows them."""

    header: list
    rows: list = field(default_factory=list)
    # The row number reading stopped at because of IMPORT_MAX_ROWS (None: read to the end).
    stopped_at: int | None = None


def unreadable(message=None) -> ApiError:
    """The 422 for a file that is neither UTF-8 text nor an XLSX workbook."""
    return ApiError(
        422,
        "unreadable_file",
        message
        or _l(
            "This file cannot be read: save it as CSV in UTF-8 (with , or ; between "
            "columns) or as an Excel workbook (.xlsx)."
        ),
    )


def too_large(max_bytes: int) -> ApiError:
    """The 413 for a file above IMPORT_MAX_BYTES."""
    return ApiError(
        413,
        "payload_too_large",
        _l("The file is larger than %(size)s MB; split it.", size=max_bytes // (1024 * 1024)),
    )


def read_sheet(data: bytes, max_rows: int) -> Sheet:
    """The header and rows of a CSV or XLSX file (422 unreadable_file otherwise)."""
    cells = _xlsx_rows(data) if data.startswith(XLSX_MAGIC) else _csv_rows(data)
    try:
        return _collect(cells, max_rows)
    except ApiError:
        raise
    except Exception:  # a parser of untrusted files: any failure is "unreadable"
        raise unreadable() from None


def _collect(cells, max_rows: int) -> Sheet:
    """Gather the header (row 1) and up to max_rows rows with content."""
    sheet = Sheet(header=[])
    empty_run = 0
    for number, values in enumerate(cells, start=1):
        if number == 1:
            sheet.header = list(values)
            continue
        if not any(_has_content(value) for value in values):
            empty_run += 1
            if empty_run >= EMPTY_RUN:
                break
            continue
        empty_run = 0
        if len(sheet.rows) >= max_rows:
            sheet.stopped_at = number
            break
        sheet.rows.append((number, list(values)))
    return sheet


def _has_content(value) -> bool:
    """True for a cell that holds something other than blanks."""
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def _csv_rows(data: bytes):
    """The rows of a UTF-8 CSV file, its separator taken from the header line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unreadable() from None
    if "\x00" in text:
        raise unreadable()  # a binary file that happens to decode
    first_line = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator)


@contextmanager
def _sizes_unread():
    """Open workbooks without openpyxl's scan for a sheet's size.

    A read-only sheet that does not state its dimension is read through once just to
    size it (ReadOnlyWorksheet._get_size): seconds for a million empty rows, far more
    for a compressed larger one. Reading here stops at the first long empty run, and
    rows as values need no size, so the scan is skipped while the workbook opens.
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    with _OPENING:
        original = ReadOnlyWorksheet._get_size
        ReadOnlyWorksheet._get_size = lambda _sheet: None
        try:
            yield
        finally:
            ReadOnlyWorksheet._get_size = original


def _xlsx_rows(data: bytes):
    """The first worksheet's rows as values; formulas stay text."""
    from openpyxl import load_workbook

    try:
        with _sizes_unread():
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:  # any failure to open untrusted input is "unreadable"
        raise unreadable() from None
    return sheet.iter_rows(values_only=True)
