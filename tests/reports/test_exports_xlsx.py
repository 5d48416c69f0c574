"""GET /reports/export.xlsx: the data sheet, the summary with small counts suppressed, and the
refusal of more rows than a sheet holds."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from prog_tracker.extensions import db
from prog_tracker.reports.exports import service, xlsx
from tests.partners.conftest import events_since, last_event_id
from tests.reports.test_exports import DAY, PERIOD, SECRETS, attend, build_world, pseudonym_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(name="world")
def world_fixture(make):
    """The export tests' world (tests/reports/test_exports.py)."""
    return build_world(make)


def workbook_of(api, dataset, query=PERIOD):
    """GET the XLSX export and open it."""
    response = api.get(f"/reports/export.xlsx?dataset={dataset}&{query}", buffered=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == XLSX
    return load_workbook(io.BytesIO(response.get_data()), read_only=True), response


def values(sheet) -> list[list]:
    """Every row of a sheet as a list of values."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def counted(make):
    """A hand-built attendance dataset at one facility whose summary is known:

    Joinery: 3 women at two sessions each (6 rows, 3 people), 5 men at one
    (5 rows, 5 people), 1 person of sex "other" at one (1 row, 1 person);
    Welding: 7 women at one session each (7 rows, 7 people).
    """
    facility = make.facility(country="UG", name="Luzira", timezone="Africa/Kampala")
    recorder = make.user("admin")
    joinery = make.cohort(facility, trade=make.trade(name="Joinery"), start_date=DAY)
    welding = make.cohort(facility, trade=make.trade(name="Welding"), start_date=DAY)
    first, second = make.session(joinery, date=DAY), make.session(joinery, date=DAY)
    welding_session = make.session(welding, date=DAY)
    groups = (
        ((first, second), "female", 3),
        ((first,), "male", 5),
        ((first,), "other", 1),
        ((welding_session,), "female", 7),
    )
    for sessions, sex, people in groups:
        for _ in range(people):
            person = make.participant(facility, sex=sex)
            for session in sessions:
                attend(make, session, person, recorder)
    return {"facility": facility, "admin": recorder}


def test_the_summary_counts_by_facility_trade_and_sex_and_hides_counts_under_5(api_as, counted):
    query = f"{PERIOD}&facility_id={counted['facility'].id}"
    book, _response = workbook_of(api_as(counted["admin"]), "attendance", query)
    assert book.sheetnames == ["attendance", "summary"]
    summary = values(book["summary"])
    assert summary[:5] == [
        ["country", "facility", "trade", "sex", "rows", "people"],
        ["UG", "Luzira", "Joinery", "female", 6, "<5"],
        ["UG", "Luzira", "Joinery", "male", 5, 5],
        ["UG", "Luzira", "Joinery", "other", "<5", "<5"],
        ["UG", "Luzira", "Welding", "female", 7, 7],
    ]
    assert "<5" in summary[-1][0]
    data = values(book["attendance"])
    assert len(data) == 1 + 6 + 5 + 1 + 7


def test_suppression_boundaries():
    assert [xlsx.suppress(n) for n in (0, 1, 4, 5, 6)] == [0, "<5", "<5", 5, 6]


def test_the_data_sheet_is_pseudonymised_typed_and_defused(api_as, world):
    admin = api_as(world.admin)
    book, response = workbook_of(admin, "contacts")
    rows = values(book["contacts"])
    header, body = rows[0], rows[1:]
    assert header[:3] == ["person", "birth_year", "sex"]
    assert "summary" not in header and "location" not in header
    cells = [str(cell) for row in rows for cell in row]
    for secret in SECRETS:
        assert not any(secret in cell for cell in cells), secret
    people = {row[0] for row in body}
    assert pseudonym_of(world.aigerim) in people
    needs = header.index("needs")
    assert {row[needs] for row in body} == {"other; housing"}
    # Free text reaches identified exports only, defused there.
    named, _ = workbook_of(admin, "contacts", PERIOD + "&identified=true")
    named_rows = values(named["contacts"])
    column = named_rows[0].index("needs")
    assert {row[column] for row in named_rows[1:]} == {"'=1+2; housing"}
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    # The summary of a dataset without trades leaves the trade empty.
    summary = values(book["summary"])
    assert summary[1][:4] == ["KZ", "Colony KZ-1", None, "female"]


def test_dates_are_dates_and_the_identified_sheet_has_names(api_as, world):
    book, _response = workbook_of(api_as(world.admin), "attendance", PERIOD + "&identified=true")
    rows = values(book["attendance"])
    header = rows[0]
    aigerim = next(row for row in rows if row[header.index("participant_id")] == world.aigerim.id)
    assert aigerim[header.index("given_name")] == "Айгерим"
    assert aigerim[header.index("session_date")] == dt.datetime.combine(DAY, dt.time())
    assert aigerim[header.index("date_of_birth")] == dt.datetime(1990, 5, 17)
    assert aigerim[header.index("note")] == "Late after a cell search"


def test_an_xlsx_export_is_audited(api_as, world):
    api = api_as(world.admin)
    start = last_event_id()
    workbook_of(api, "certificates", PERIOD + "&identified=true")
    events = events_since(start)
    assert [e.action for e in events] == ["report.export_identified"]
    assert set(events[0].entity_ids) == {world.aigerim.id, world.dana.id, world.mohamed.id}


def test_more_rows_than_a_sheet_holds_are_refused_before_anything_is_built(
    api_as, world, monkeypatch
):
    def must_not_run(*_args, **_kwargs):
        raise AssertionError("read rows or built a workbook for a refused export")

    api = api_as(world.admin)
    # The world holds 3 attendance rows: with the header, 4 sheet rows.
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 3)
    monkeypatch.setattr(xlsx, "write_workbook", must_not_run)
    monkeypatch.setattr(xlsx, "export_rows", must_not_run)
    monkeypatch.setattr(service, "audit_export", must_not_run)
    start = last_event_id()
    response = api.get(f"/reports/export.xlsx?dataset=attendance&{PERIOD}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "too_many_rows"
    assert "CSV" in error["message"]
    assert "3" in error["message"]
    assert error["fields"]
    assert events_since(start) == []
    # The CSV export of the same rows is not limited.
    monkeypatch.undo()
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 3)
    csv = api.get(f"/reports/export.csv?dataset=attendance&{PERIOD}", buffered=True)
    assert csv.status_code == 200


def test_a_sheet_holds_exactly_its_limit(api_as, world, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 4)
    book, _response = workbook_of(api_as(world.admin), "attendance")
    assert len(values(book["attendance"])) == 4


def test_the_real_limit_is_the_sheet_size():
    assert xlsx.MAX_SHEET_ROWS == 1_048_576


def test_old_dates_stay_readable():
    assert xlsx.xlsx_value(dt.date(1850, 1, 2)) == "1850-01-02"
    assert xlsx.xlsx_value(dt.date(1990, 1, 2)) == dt.date(1990, 1, 2)
    assert xlsx.xlsx_value("@cmd") == "'@cmd"
    assert xlsx.xlsx_value(True) is True
    assert xlsx.xlsx_value("bell\x07 and\x1b escape") == "bell and escape"


def test_control_characters_in_free_text_do_not_break_the_workbook(api_as, world):
    world.dana.given_name = "Dana\x01\x0b"
    db.session.commit()
    book, _response = workbook_of(api_as(world.admin), "outcomes", PERIOD + "&identified=true")
    rows = values(book["outcomes"])
    assert "Dana" in [row[rows[0].index("given_name")] for row in rows[1:]]
