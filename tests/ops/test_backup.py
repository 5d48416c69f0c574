"""Backup and restore: the restore drill on SQLite and PostgreSQL, and what a restore refuses."""

import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from prog_tracker.cli import main
from prog_tracker.core import audit
from prog_tracker.extensions import db
from prog_tracker.ops import pg
from tests.ops.sites import (
    AUDIT_KEY,
    BACKUP_KEY,
    SECRET_KEY,
    Site,
    build,
    change,
    events,
    manifest_of,
    members,
    people,
    resigned,
)

pytestmark = pytest.mark.own_database


def _drill(site: Site, tmp_path: Path) -> None:
    """Build, back up, change and delete, restore: the data is back and the audit verifies."""
    ids = build(site)
    output = tmp_path / "nightly.ptbackup"
    made = site.run("backup", "--output", str(output))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    backup_id = manifest_of(output)["backup_id"]
    assert [e.entity_ids for e in events(site, "backup.create")] == [[backup_id]]

    change(site, ids)
    # verify anchors the trail's head, which the restore then rolls back on purpose.
    assert site.run("audit", "verify").exit_code == 0
    assert people(site) == {ids["kept"]: "Changed"}

    declined = site.run("restore", str(output), answer="n\n")
    assert declined.exit_code == 1 and "cancelled" in declined.output
    assert people(site) == {ids["kept"]: "Changed"}

    restored = site.run("restore", str(output), "--yes")
    assert restored.exit_code == 0, restored.output
    assert people(site) == {ids["kept"]: "Aigerim", ids["gone"]: "Timur"}
    assert [e.entity_ids for e in events(site, "backup.restore")] == [[backup_id]]
    assert events(site, "participant.update") == []  # made after the backup
    verified = site.run("audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_restore_drill_on_sqlite(sqlite_site, tmp_path):
    _drill(sqlite_site, tmp_path)


def test_restore_drill_on_postgresql(postgres_site, tmp_path):
    _drill(postgres_site, tmp_path)


def test_the_backup_holds_the_database_and_a_manifest_but_no_key(sqlite_site, tmp_path):
    build(sqlite_site)
    output = tmp_path / "b.ptbackup"
    assert sqlite_site.run("backup", "--output", str(output)).exit_code == 0
    contents = members(output)
    assert sorted(contents) == ["database.sqlite3", "manifest.json", "manifest.sig"]
    content = b"".join(contents.values())
    manifest = manifest_of(output)
    assert manifest["dialect"] == "sqlite" and manifest["format_version"] == 2
    assert manifest["alembic_revision"] and manifest["created_at"].endswith("Z")
    assert len(manifest["payload_sha256"]) == 64 and manifest["app_version"]
    assert len(manifest["payload_hmac_sha256"]) == 64
    assert SECRET_KEY.encode() not in content and AUDIT_KEY.encode() not in content
    assert BACKUP_KEY not in content


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dialect": "postgresql", "payload": "database.pgdump"}, "postgresql backup"),
        ({"alembic_revision": "9999_from_the_future"}, "newer than this code knows"),
        ({"format_version": 99}, "not supported"),
        ({"payload_sha256": "0" * 64}, "damaged"),
    ],
)
def test_restore_refuses_and_changes_nothing(sqlite_site, tmp_path, changes, message):
    ids = build(sqlite_site)
    good = tmp_path / "good.ptbackup"
    assert sqlite_site.run("backup", "--output", str(good)).exit_code == 0
    change(sqlite_site, ids)
    bad = resigned(good, tmp_path / "bad.ptbackup", **changes)
    refused = sqlite_site.run("restore", str(bad), "--yes")
    assert refused.exit_code == 1 and message in refused.output
    assert people(sqlite_site) == {ids["kept"]: "Changed"}


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_site, tmp_path):
    build(sqlite_site)
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")
    refused = sqlite_site.run("restore", str(stray), "--yes")
    assert refused.exit_code == 1 and "not a prog-tracker backup" in refused.output


def test_restore_into_a_new_site_needs_no_confirmation(sqlite_site, tmp_path):
    ids = build(sqlite_site)
    output = tmp_path / "b.ptbackup"
    assert sqlite_site.run("backup", "--output", str(output)).exit_code == 0
    fresh = Site(tmp_path / "other", f"sqlite:///{tmp_path}/other/pt.db")
    done = fresh.run("restore", str(output))
    assert done.exit_code == 0, done.output
    assert people(fresh) == {ids["kept"]: "Aigerim", ids["gone"]: "Timur"}
    assert fresh.run("audit", "verify").exit_code == 0


def test_a_backup_taken_while_the_app_writes_is_consistent(sqlite_site, tmp_path):
    ids = build(sqlite_site)
    stop, written = threading.Event(), []

    def keep_writing():
        app = sqlite_site.app()
        with app.app_context():
            while not stop.is_set():
                audit.record("participant.read", "participant", [ids["kept"]], None)
                db.session.commit()
                written.append(1)
            db.session.remove()
            db.engine.dispose()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 20:  # the writer is in full flow
            time.sleep(0.01)
        output = tmp_path / "b.ptbackup"
        made = sqlite_site.run("backup", "--output", str(output))
    finally:
        stop.set()
        writer.join()
    assert made.exit_code == 0, made.output
    fresh = Site(tmp_path / "other", f"sqlite:///{tmp_path}/other/pt.db")
    assert fresh.run("restore", str(output)).exit_code == 0
    verified = fresh.run("audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_another_audit_key_is_refused_before_the_restore(sqlite_site, tmp_path):
    build(sqlite_site)
    output = tmp_path / "b.ptbackup"
    assert sqlite_site.run("backup", "--output", str(output)).exit_code == 0
    fresh = Site(tmp_path / "other", f"sqlite:///{tmp_path}/other/pt.db")
    done = CliRunner().invoke(
        main, ["restore", str(output)], env={**fresh.env, "PROG_TRACKER_AUDIT_KEY": "x" * 48}
    )
    assert done.exit_code == 1 and "another audit key" in done.output
    assert "PROG_TRACKER_AUDIT_KEY" in done.output
    assert not (tmp_path / "other" / "pt.db").exists()  # refused before the database


def test_a_trail_broken_before_the_backup_is_reported_after_the_restore(sqlite_site, tmp_path):
    build(sqlite_site)
    with sqlite3.connect(tmp_path / "instance" / "pt.db") as connection:
        connection.execute("UPDATE audit_events SET action = 'x' WHERE id = 1")
    connection.close()
    output = tmp_path / "b.ptbackup"
    assert sqlite_site.run("backup", "--output", str(output)).exit_code == 0
    fresh = Site(tmp_path / "other", f"sqlite:///{tmp_path}/other/pt.db")
    done = fresh.run("restore", str(output))
    assert done.exit_code == 3 and "broken at event 1" in done.output


def test_a_missing_pg_dump_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    site = Site(tmp_path / "instance", "postgresql+psycopg://app@127.0.0.1:1/nowhere")
    failed = site.run("backup", "--output", str(tmp_path / "b.ptbackup"))
    assert failed.exit_code == 1 and "pg_dump is not on PATH" in failed.output


def test_the_password_goes_in_a_passfile_never_on_the_command_line(tmp_path, monkeypatch):
    seen = {}

    def fake_run(command, env, **_kwargs):
        passfile = Path(env["PGPASSFILE"])
        seen.update(
            command=command,
            env=env,
            passfile=passfile.read_text(),
            mode=stat.S_IMODE(passfile.stat().st_mode),
        )
        return type("Done", (), {"returncode": 0, "stderr": ""})()

    monkeypatch.setattr(pg.subprocess, "run", fake_run)
    monkeypatch.setattr(pg, "tool", lambda name: f"/usr/bin/{name}")
    monkeypatch.setenv("PGPASSWORD", "inherited")
    url = "postgresql+psycopg://app:s3cr%3At@db.internal:5433/prod?sslmode=require"
    pg.dump(url, tmp_path / "out.pgdump")
    assert not any("s3cr" in part for part in seen["command"])
    assert "PGPASSWORD" not in seen["env"]
    assert seen["passfile"] == "*:*:*:*:s3cr\\:t\n" and seen["mode"] == 0o600
    env = seen["env"]
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.internal",
        "5433",
        "app",
        "prod",
    )
    assert env["PGSSLMODE"] == "require"
