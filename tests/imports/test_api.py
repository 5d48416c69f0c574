"""POST /api/v1/imports/participants: files, dates, limits, scope, idempotency, dry runs."""

import datetime as dt
import io
import time

from sqlalchemy import func, select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.imports.conftest import HEADER, csv_bytes, person, xlsx_bytes


def post(api, data: bytes, dry_run=False, name="register.csv", **form):
    """Send a register as the multipart `file`."""
    body = {"file": (io.BytesIO(data), name), **form}
    return api.client.post(
        f"/api/v1/imports/participants?dry_run={'true' if dry_run else 'false'}",
        data=body,
        content_type="multipart/form-data",
        headers={"X-CSRF-Token": api.csrf},
    )


def people_of(facility):
    return {
        p.prison_number: p
        for p in db.session.scalars(
            select(Participant).where(Participant.facility_id == facility.id)
        )
    }


def officer_api(api_as, make):
    facility = make.facility()
    return api_as("officer", facility=facility), facility


def test_csv_with_bom_and_both_day_first_dates(api_as, make):
    api, facility = officer_api(api_as, make)
    rows = [
        person("KZ-1", born="14.03.1990"),
        person("KZ-2", "Ержан", "Нурланов", "01/02/1985", "male"),
    ]
    answer = post(api, csv_bytes(rows, bom=True))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() | {"errors": [], "duplicates": []} == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "duplicates": [],
        "ignored_columns": [],
        "dry_run": False,
    }
    people = people_of(facility)
    assert people["KZ-1"].date_of_birth == dt.date(1990, 3, 14)
    assert people["KZ-2"].date_of_birth == dt.date(1985, 2, 1)
    assert people["KZ-1"].given_name == "Айгерим" and people["KZ-1"].preferred_language == "kk"


def test_semicolon_csv_with_translated_header_and_names_of_values(api_as, make):
    api, facility = officer_api(api_as, make)
    header = ["Номер  личного дела", "ИМЯ", "Фамилия", "Пол", "Date of Birth", "Notes"]
    data = csv_bytes([["KZ-7", "Дана", "Ермек", "Женский", "1991-07-02", "x"]], header, ";")
    answer = post(api, data).get_json()
    assert answer["created"] == 1 and answer["ignored_columns"] == ["Notes"]
    assert people_of(facility)["KZ-7"].sex == "female"


def test_french_header_with_a_typed_apostrophe(api_as, make):
    api, facility = officer_api(api_as, make)
    header = ["Numéro d'écrou", "Prénom", "nom de famille", "given_name"]
    answer = post(api, csv_bytes([["TN-1", "Amine", "Ben Salah", "x"]], header)).get_json()
    assert answer.get("ignored_columns") == ["given_name"], answer
    assert people_of(facility)["TN-1"].family_name == "Ben Salah"


def test_xlsx_with_spreadsheet_dates_and_numbers(api_as, make):
    api, facility = officer_api(api_as, make)
    rows = [[12345, "Aigerim", "Saparova", None, dt.datetime(1990, 3, 14), "F", None, None]]
    rows[0][5] = "female"
    answer = post(api, xlsx_bytes(rows), name="register.xlsx")
    assert answer.status_code == 200 and answer.get_json()["created"] == 1, answer.get_json()
    assert people_of(facility)["12345"].date_of_birth == dt.date(1990, 3, 14)


def test_formula_cells_are_read_as_text_and_refused(api_as, make):
    api, facility = officer_api(api_as, make)
    rows = [
        [
            "KZ-9",
            '=HYPERLINK("http://evil.example","Aigerim")',
            "Saparova",
            None,
            None,
            "female",
            None,
            None,
        ]
    ]
    answer = post(api, xlsx_bytes(rows), name="register.xlsx").get_json()
    assert answer["created"] == 0
    assert answer["errors"] == [
        {
            "row": 2,
            "field": "given_name",
            "code": "formula",
            "message": answer["errors"][0]["message"],
        }
    ]
    assert people_of(facility) == {}


def test_missing_columns_answer_422_naming_them(api_as, make):
    api, _facility = officer_api(api_as, make)
    answer = post(api, csv_bytes([["KZ-1", "Aigerim"]], ["prison_number", "given_name"]))
    assert answer.status_code == 422
    assert answer.get_json()["error"]["code"] == "missing_columns"
    assert answer.get_json()["missing"] == ["family_name"]
    assert "family_name" in answer.get_json()["error"]["message"]


def test_wrong_encoding_answers_422_unreadable_file(api_as, make):
    api, _facility = officer_api(api_as, make)
    latin1 = csv_bytes([person(given="Aïgerim", family="Saparova")]).decode().encode("cp1252")
    for data in (
        latin1,
        "Фамилия".encode("cp1251"),
        b"PK\x03\x04not a zip at all",
        b"\x00\x01\x02",
    ):
        answer = post(api, data)
        assert answer.status_code == 422, data
        assert answer.get_json()["error"]["code"] == "unreadable_file"


def test_file_over_the_limit_answers_413(app, api_as, make, monkeypatch):
    api, _facility = officer_api(api_as, make)
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 4096)
    answer = post(api, csv_bytes([person(f"KZ-{n}") for n in range(200)]))
    assert answer.status_code == 413
    assert answer.get_json()["error"]["code"] == "payload_too_large"


def test_files_above_the_general_body_limit_are_taken(app, api_as, make):
    """The import routes take up to IMPORT_MAX_BYTES, beyond MAX_CONTENT_LENGTH (2 MB)."""
    api, _facility = officer_api(api_as, make)
    padding = [["KZ-1", "Aigerim", "Saparova", "x" * 190, "", "female", "", ""]]
    data = csv_bytes(padding) + b"\n" * (3 * 1024 * 1024)
    answer = post(api, data)
    assert answer.status_code == 200, answer.get_json()


def test_a_million_empty_rows_end_quickly(api_as, make):
    from openpyxl import Workbook

    api, _facility = officer_api(api_as, make)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    sheet.append(person("KZ-1"))
    for _ in range(1_000_000):
        sheet.append([None])
    sheet.append(person("KZ-2"))  # after the empty run: not read
    out = io.BytesIO()
    workbook.save(out)
    started = time.perf_counter()
    answer = post(api, out.getvalue(), name="empty.xlsx")
    assert time.perf_counter() - started < 5  # writing the file is the slow part
    assert answer.status_code == 200
    assert answer.get_json()["rows"] == 1 and answer.get_json()["created"] == 1


def test_rows_beyond_the_row_limit_are_not_read_and_said_so(app, api_as, make, monkeypatch):
    api, _facility = officer_api(api_as, make)
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    answer = post(api, csv_bytes([person(f"KZ-{n}") for n in range(3)])).get_json()
    assert answer["rows"] == 2 and answer["created"] == 2
    assert answer["errors"][0]["code"] == "too_many_rows" and answer["errors"][0]["row"] == 4


def test_the_same_file_again_changes_nothing(api_as, make):
    api, facility = officer_api(api_as, make)
    data = csv_bytes([person("KZ-1"), person("KZ-2", "Ержан", "Нурланов")])
    assert post(api, data).get_json()["created"] == 2
    versions = {n: p.version for n, p in people_of(facility).items()}
    again = post(api, data).get_json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert {n: p.version for n, p in people_of(facility).items()} == versions


def test_known_people_get_changed_values_but_never_a_blank(api_as, make):
    api, facility = officer_api(api_as, make)
    known = make.participant(facility=facility, prison_number="KZ-1", other_names="Aika")
    known.date_of_birth = dt.date(1990, 3, 14)
    db.session.commit()
    row = ["KZ-1", "", "Saparova-Ermek", "", "", "", "ru", "2027-05-01"]
    answer = post(api, csv_bytes([row])).get_json()
    assert answer["updated"] == 1, answer
    db.session.refresh(known)
    assert known.family_name == "Saparova-Ermek" and known.preferred_language == "ru"
    assert known.given_name == "Aigerim" and known.other_names == "Aika"
    assert known.date_of_birth == dt.date(1990, 3, 14)
    assert known.expected_release_date == dt.date(2027, 5, 1)


def test_a_dry_run_writes_nothing_but_answers_the_same(api_as, make):
    api, _facility = officer_api(api_as, make)
    data = csv_bytes([person("KZ-1"), person("KZ-2", born="31.02.1990")])
    before = db.session.scalar(select(func.count()).select_from(Participant))
    dry = post(api, data, dry_run=True).get_json()
    assert db.session.scalar(select(func.count()).select_from(Participant)) == before
    real = post(api, data).get_json()
    assert {**dry, "dry_run": False} == real
    assert real["errors"][0]["row"] == 3 and real["errors"][0]["code"] == "invalid_date"


def test_likely_duplicates_are_left_unapplied(api_as, make, matcher):
    api, facility = officer_api(api_as, make)
    someone = make.participant(facility=facility, prison_number="OLD-1")
    matcher.same_as["Aygerim"] = someone.id
    data = csv_bytes([person("KZ-1", "Aygerim"), person("KZ-2", "Ержан", "Нурланов")])
    answer = post(api, data).get_json()
    assert answer["created"] == 1
    assert answer["duplicates"] == [{"row": 2, "participant_id": someone.id, "score": 0.95}]
    assert "KZ-1" not in people_of(facility)
    fields, facility_id = matcher.calls[0]
    assert facility_id == facility.id and fields["date_of_birth"] == dt.date(1990, 3, 14)


def test_officers_import_into_their_own_facility_only(api_as, make):
    api, facility = officer_api(api_as, make)
    other = make.facility()
    assert post(api, csv_bytes([person()]), facility_id=other.id).status_code == 403
    header = [*HEADER, "facility_id"]
    rows = [[*person("KZ-1"), other.id], [*person("KZ-2"), facility.id]]
    answer = post(api, csv_bytes(rows, header)).get_json()
    assert answer["created"] == 1
    assert answer["errors"][0]["row"] == 2 and answer["errors"][0]["code"] == "forbidden_facility"
    assert db.session.scalar(select(Participant).where(Participant.facility_id == other.id)) is None


def test_admins_name_the_facility(api_as, make):
    api = api_as("admin")
    facility = make.facility()
    answer = post(api, csv_bytes([person()]))
    assert answer.status_code == 422 and answer.get_json()["missing"] == ["facility_id"]
    assert post(api, csv_bytes([person()]), facility_id=facility.id).get_json()["created"] == 1


def test_other_roles_are_refused(api_as, make):
    for role in ("supervisor", "instructor", "caseworker"):
        assert post(api_as(role), csv_bytes([person()])).status_code == 403


def test_one_audit_event_per_import_with_counts_only(api_as, make):
    api, facility = officer_api(api_as, make)
    post(api, csv_bytes([person("KZ-1"), person("KZ-2", born="bad")]))
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "participant.import")
    ).one()
    assert event.entity_ids == [
        facility.id,
        "rows:2",
        "created:1",
        "updated:0",
        "unchanged:0",
        "errors:1",
        "duplicates:0",
    ]


def test_the_openapi_document_describes_the_upload(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/imports/participants"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert "200" in operation["responses"]
