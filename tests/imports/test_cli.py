"""`prog-tracker import participants FILE [--facility-id ID] [--dry-run]`: exit codes 0/1/2."""

from sqlalchemy import select

from prog_tracker.cli import main
from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.imports.conftest import csv_bytes, person, xlsx_bytes


def run(app, tmp_path, data: bytes, *options, name="register.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return app.test_cli_runner().invoke(main, ["import", "participants", str(path), *options])


def numbers(facility) -> set:
    query = select(Participant.prison_number).where(Participant.facility_id == facility.id)
    return set(db.session.scalars(query))


def test_all_rows_applied_exits_0_then_nothing_changes(app, make, tmp_path):
    facility = make.facility()
    data = xlsx_bytes([person("KZ-1"), person("KZ-2", "Ержан", "Нурланов")])
    result = run(app, tmp_path, data, "--facility-id", facility.id, name="r.xlsx")
    assert result.exit_code == 0, result.output
    assert "created 2" in result.output and numbers(facility) == {"KZ-1", "KZ-2"}
    again = run(app, tmp_path, data, "--facility-id", facility.id, name="r.xlsx")
    assert again.exit_code == 0 and "created 0, updated 0, unchanged 2" in again.output
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "participant.import")
    ).first()
    assert event.actor_id is None and facility.id in event.entity_ids


def test_a_release_date_set_by_the_system_is_kept_without_a_user(app, make, tmp_path):
    facility = make.facility()
    row = [*person("KZ-1")[:7], "2027-05-01"]
    result = run(app, tmp_path, csv_bytes([row]), "--facility-id", facility.id)
    assert result.exit_code == 0, result.output


def test_some_rows_refused_exits_1_and_names_them(app, make, tmp_path):
    facility = make.facility()
    data = csv_bytes([person("KZ-1"), person("KZ-2", born="32.13.1990")])
    result = run(app, tmp_path, data, "--facility-id", facility.id)
    assert result.exit_code == 1
    assert "row 3 date_of_birth invalid_date" in result.output
    assert numbers(facility) == {"KZ-1"}


def test_a_dry_run_writes_nothing(app, make, tmp_path):
    facility = make.facility()
    result = run(app, tmp_path, csv_bytes([person()]), "--facility-id", facility.id, "--dry-run")
    assert result.exit_code == 0 and "Dry run" in result.output and "created 1" in result.output
    assert numbers(facility) == set()


def test_an_unreadable_file_exits_2(app, make, tmp_path):
    facility = make.facility()
    result = run(app, tmp_path, "Фамилия;Имя".encode("cp1251"), "--facility-id", facility.id)
    assert result.exit_code == 2 and "cannot be read" in result.output


def test_missing_columns_and_unknown_facilities_exit_2(app, make, tmp_path):
    facility = make.facility()
    data = csv_bytes([["KZ-1", "Aigerim"]], ["prison_number", "given_name"])
    assert run(app, tmp_path, data, "--facility-id", facility.id).exit_code == 2
    no_facility = run(app, tmp_path, csv_bytes([person()]))
    assert no_facility.exit_code == 2 and "facility_id" in no_facility.output
    nowhere = "00000000-0000-4000-8000-000000000000"
    assert run(app, tmp_path, csv_bytes([person()]), "--facility-id", nowhere).exit_code == 2
