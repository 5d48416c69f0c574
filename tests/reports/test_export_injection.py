"""Formula injection (issue 18): no text a person typed becomes a live formula in a CSV or
XLSX export, whatever control or blank characters come before the formula's start.

Every stored text column a dataset exports is found from the dataset's own statement
(so a new column is covered without editing this file), set to a payload in every row,
and each export is read back as a spreadsheet would read it.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import JSON, String, select, update
from sqlalchemy.sql.elements import TypeCoerce

from prog_tracker.extensions import db
from prog_tracker.reports.exports import csv_file, service, xlsx
from prog_tracker.reports.exports.datasets import DATASETS
from prog_tracker.reports.filters import ReportFilters
from tests.reports.test_exports import DAY, PERIOD, build_world

FORMULA = 'HYPERLINK("http://x","y")'
# What a spreadsheet may take for the start of a formula: the ASCII signs, tab and CR, and
# the full-width signs some East Asian locales accept too.
SIGNS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
STARTS = ("=", "+", "-", "@", "\t=", "\r=")
# Each start bare and behind a C0 character (which a sheet cannot hold, so it is dropped
# on export: the start must be judged after the drop), then behind blanks, and full-width.
PAYLOADS = (
    *(start + FORMULA for start in STARTS),
    *(lead + start + FORMULA for lead, start in zip("\x01\x1f" * 3, STARTS, strict=True)),
    "\x1f=" + FORMULA,
    " =" + FORMULA,
    "\u3000=" + FORMULA,
    "\n=" + FORMULA,
    "\x0b\x01 +" + FORMULA,
    *(sign + FORMULA for sign in SIGNS[4:]),
)
XLSX_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# A CSV field as written: quoted (with "" inside) or bare, then its separator.
CSV_FIELD = re.compile(r'(?:"((?:[^"]|"")*)"|([^,"\r\n]*))(,|\r\n|$)')
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Text built from what matters at a cell's start, and anything else.
TRICKY = st.sampled_from([*SIGNS, "\t", "\r", "\n", " ", "\u3000", "\u200b", "\x01", "\ud800", ";"])
CELL_TEXT = st.lists(st.one_of(TRICKY, st.characters()), max_size=8).map("".join)


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could take this cell for a formula (an oracle of its own,
    not the exporter's rule)."""
    if text[:1] in ("\t", "\r"):
        return True
    rest = re.sub(r"^[\s\u200b-\u200f\u2060\ufeff]+", "", CONTROL.sub("", text))
    return rest[:1] in SIGNS


def stored_column(selected):
    """The table column behind one selected column, or None when it is computed."""
    element = selected.element
    if isinstance(element, TypeCoerce):
        element = element.clause
    return element if hasattr(element, "table") else None


def text_columns(dataset: str) -> dict:
    """The stored columns of text (or of a JSON list of text) an identified export of the
    dataset writes, by column name; generated ids are not typed by anyone."""
    definition = DATASETS[dataset]
    header = definition.header(identified=True)
    found = {}
    for selected in definition.build(ReportFilters(DAY, DAY)).selected_columns:
        column = stored_column(selected)
        if selected.key not in header or column is None:
            continue
        if column.primary_key or column.foreign_keys:
            continue
        if isinstance(column.type, String | JSON):
            found[selected.key] = column
    return found


def seed(dataset: str, payload: str) -> dict:
    """Every text column the dataset exports set to the payload, each row made unique by a
    suffix (trade names and codes are unique) that carries the separator ";".

    Returns each seeded column's text as stored in its first row.
    """
    columns = text_columns(dataset)
    stored = {name: _fill(column, payload) for name, column in columns.items()}
    db.session.commit()
    db.session.expire_all()
    return stored


def _fill(column, payload: str) -> str:
    """The payload in one column of every row, cut to the column's length; the first
    row's text."""
    (key,) = column.table.primary_key.columns
    ids = db.session.scalars(select(key)).all()
    limit = column.type.length if isinstance(column.type, String) else None
    texts = [f"{payload};{n}"[:limit] for n in range(1, len(ids) + 1)]
    for row_id, text in zip(ids, texts, strict=True):
        value = [text, "housing"] if isinstance(column.type, JSON) else text
        db.session.execute(update(column.table).where(key == row_id).values({column: value}))
    return texts[0]


@pytest.fixture(name="supervisor")
def supervisor_fixture(api_as, make):
    """The export tests' world and a supervisor of every country (the seeded facilities'
    country is the payload, so one scoped to KZ or TN would see no rows)."""
    build_world(make)
    return api_as(make.user("supervisor"))


def download(api, dataset: str, identified: bool, extension: str) -> bytes:
    """One export's body."""
    query = f"dataset={dataset}&{PERIOD}&identified={str(identified).lower()}"
    response = api.get(f"/reports/export.{extension}?{query}", buffered=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data()


def formula_elements(body: bytes) -> list[str]:
    """The worksheets of an XLSX file that hold a formula element (<f>)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                root = ElementTree.fromstring(package.read(name))  # noqa: S314 - our own export
                if root.find(f".//{XLSX_MAIN}f") is not None:
                    found.append(name)
    return found


def xlsx_rows(body: bytes) -> list[list]:
    """The data sheet's rows as values; every cell of every sheet checked on the way."""
    book = load_workbook(io.BytesIO(body), read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not runs_as_formula(cell.value), (sheet.title, repr(cell.value))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def csv_fields(body: bytes) -> list[list[tuple[bool, str]]]:
    """A CSV file's rows as (quoted, text) fields, read as written."""
    text = body.decode("utf-8").removeprefix("\ufeff")
    rows, row, position = [], [], 0
    while position < len(text):
        match = CSV_FIELD.match(text, position)
        quoted, bare, separator = match.groups()
        row.append((quoted is not None, quoted.replace('""', '"') if quoted is not None else bare))
        position = match.end()
        if separator != ",":
            rows.append(row)
            row = []
    return rows


def assert_seeded(rows: list[list], stored: dict, identified: bool) -> None:
    """Each seeded column the export writes holds its text defused in every row where what
    was stored could run (so the payload reached the file and the test checks something)."""
    header, body = rows[0], rows[1:]
    assert body
    for name, text in stored.items():
        if name not in header or (name == "needs" and not identified):
            continue  # left out, or a need outside the list ("other") when pseudonymised
        if runs_as_formula(text):  # a column cut short may have kept only blanks
            for row in body:
                assert str(row[header.index(name)]).startswith("'"), (name, row)


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_no_xlsx_cell_is_a_formula(supervisor, dataset):
    for payload in PAYLOADS:
        stored = seed(dataset, payload)
        for identified in (False, True):
            body = download(supervisor, dataset, identified, "xlsx")
            assert formula_elements(body) == [], repr(payload)
            assert_seeded(xlsx_rows(body), stored, identified)


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_no_csv_cell_is_a_formula_and_cells_with_a_semicolon_are_quoted(supervisor, dataset):
    for payload in PAYLOADS:
        stored = seed(dataset, payload)
        for identified in (False, True):
            rows = csv_fields(download(supervisor, dataset, identified, "csv"))
            for quoted, text in (field for row in rows for field in row):
                assert not runs_as_formula(text), repr(text)
                assert not CONTROL.search(text), repr(text)
                assert quoted or not re.search(r'[;,"\r\n]', text), repr(text)
            assert_seeded([[text for _quoted, text in row] for row in rows], stored, identified)
            assert len({len(row) for row in rows}) == 1, repr(payload)  # no cell split in two


def test_every_free_text_column_is_among_those_seeded(app):
    """The discovery finds the free text the issue names, and the codes beside it."""
    with app.test_request_context():
        found = {dataset: set(text_columns(dataset)) for dataset in DATASETS}
    assert {"cohort", "status", "trade", "facility", "given_name"} <= found["enrolments"]
    assert {"location", "summary", "needs", "organisation"} <= found["contacts"]
    assert {"note"} <= found["attendance"] & found["outcomes"]
    assert {"revoked_reason", "certificate_code", "qualification"} <= found["certificates"]
    assert all("participant_id" not in names for names in found.values())


def test_only_text_is_defused_and_numbers_and_dates_stay_typed():
    assert service.defuse("\x01=1") == "'=1"
    assert service.defuse("\u200b=1") == "'\u200b=1"
    assert service.defuse("a\ud800\x07b") == "ab"  # XML cannot carry them: dropped
    assert service.defuse("Aigerim - 1") == "Aigerim - 1"
    assert xlsx.xlsx_value(-3) == -3  # a negative number is no formula
    assert xlsx.xlsx_value("\x1f-3") == "'-3"
    assert csv_file.csv_field(-3) == "-3"
    assert csv_file.csv_field(dt.date(2026, 1, 2)) == "2026-01-02"
    assert csv_file.csv_field(None) == ""
    assert csv_file.csv_field(False) == "false"
    assert csv_file.csv_field("housing; work") == '"housing; work"'
    assert csv_file.csv_field('say "hi", then\nleave') == '"say ""hi"", then\nleave"'
    assert csv_file.csv_line(["a", None, 1]) == "a,,1\r\n"


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(CELL_TEXT)
def test_any_text_comes_out_as_it_went_in_less_what_xml_cannot_hold(text):
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)
    defused = service.defuse(text)
    assert defused in (kept, "'" + kept)
    assert not runs_as_formula(defused)
    # A CSV reader gets the defused text back in one cell, whatever separators it holds.
    line = csv_file.csv_line([text, "next"])
    assert list(csv.reader(io.StringIO(line, newline=""))) == [[defused, "next"]]
    for quoted, field in csv_fields(line.encode())[0]:
        assert quoted or ";" not in field
