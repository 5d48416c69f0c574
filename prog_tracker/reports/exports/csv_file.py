"""The CSV file of an export: RFC 4180 lines, UTF-8 with a byte-order mark, in chunks."""

import io
import re
from collections.abc import Iterator

from prog_tracker.reports.exports.service import Export, defuse, export_rows

# Bytes of CSV gathered before a chunk is sent.
CHUNK_BYTES = 64 * 1024
# Cells quoted in CSV: besides the comma, quote and line breaks, the ";" that Excel
# splits on in locales whose decimal mark is a comma (fr, ru, kk).
NEEDS_QUOTES = re.compile(r'[,;"\r\n]')


def csv_text(value):
    """One cell's value for CSV: defused text, true/false, anything else as it is."""
    # Exact class checks: this runs for every cell of a million rows.
    if value.__class__ is str:
        return defuse(value)
    if value.__class__ is bool:
        return "true" if value else "false"
    return value


def csv_field(value) -> str:
    """One cell as CSV writes it: dates in ISO 8601, none empty, quoted where needed."""
    value = csv_text(value)
    text = "" if value is None else str(value)
    if NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells) -> str:
    """One row of CSV, ended by CRLF (RFC 4180)."""
    # Not the csv module: it cannot quote a cell for a ";" without quoting every cell.
    return ",".join(map(csv_field, cells)) + "\r\n"


def csv_chunks(export: Export, audited: frozenset[str]) -> Iterator[bytes]:
    """The export as UTF-8 CSV, in chunks of about CHUNK_BYTES."""
    buffer = io.StringIO()
    # The byte-order mark makes Excel read UTF-8 (Cyrillic, Arabic) instead of the local code page.
    buffer.write("\ufeff")
    buffer.write(csv_line(export.header()))
    for cells in export_rows(export, audited):
        buffer.write(csv_line(cells))
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
