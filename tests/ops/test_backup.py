"""Backup and restore: the restore drill on SQLite and PostgreSQL, and what a restore refuses."""

import io
import json
import os
import stat
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from flask_migrate import upgrade
from sqlalchemy import select

from prog_tracker import create_app
from prog_tracker.cli import main
from prog_tracker.core import audit
from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.ops import pg
from prog_tracker.participants.models import Participant
from tests.factories import Factory

pytestmark = pytest.mark.own_database

SECRET_KEY, AUDIT_KEY = "s" * 48, "k" * 48
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# A scratch database of its own: the shared `test` database is other runs'.
PG_SCRATCH = "test_restore_drill"


@dataclass
class Site:
    """One installation: its instance folder, database and environment."""

    instance: Path
    url: str

    @property
    def env(self) -> dict:
        """The environment the commands run with."""
        return {
            "PROG_TRACKER_ENV": "test",
            "PROG_TRACKER_INSTANCE_PATH": str(self.instance),
            "PROG_TRACKER_DATABASE_URL": self.url,
            "PROG_TRACKER_SECRET_KEY": SECRET_KEY,
            "PROG_TRACKER_AUDIT_KEY": AUDIT_KEY,
        }

    def app(self):
        """An app on this site (for building and reading data)."""
        return create_app(
            {
                "ENV": "test",
                "INSTANCE_PATH": str(self.instance),
                "DATABASE_URL": self.url,
                "SECRET_KEY": SECRET_KEY,
                "AUDIT_KEY": AUDIT_KEY,
            }
        )

    def run(self, *args, answer=None):
        """Run a prog-tracker command on this site."""
        return CliRunner().invoke(main, list(args), input=answer, env=self.env)


@pytest.fixture(autouse=True)
def _own_environment(monkeypatch):
    """Each test decides its own configuration (and the CLI's umask stays its own)."""
    for key in ("SECRET_KEY", "AUDIT_KEY", "ENV", "DATABASE_URL", "INSTANCE_PATH"):
        monkeypatch.delenv("PROG_TRACKER_" + key, raising=False)
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def sqlite_site(tmp_path):
    """A site on a SQLite file."""
    instance = tmp_path / "instance"
    return Site(instance, f"sqlite:///{instance}/pt.db")


def _postgres_unreachable(reason: str):
    """Fail: the suite never passes without the PostgreSQL drill (./scripts/test and .ci/run
    start PostgreSQL through scripts/services)."""
    pytest.fail(f"the PostgreSQL restore drill cannot run: {reason}", pytrace=False)


@pytest.fixture
def postgres_site(tmp_path):
    """A site on a scratch PostgreSQL database, created and dropped here."""
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as err:
        _postgres_unreachable(f"PostgreSQL at 127.0.0.1:5432: {type(err).__name__}")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_SCRATCH}")
        try:
            yield Site(
                tmp_path / "instance",
                f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_SCRATCH}",
            )
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH} WITH (FORCE)")


def _build(site: Site) -> dict:
    """A migrated database with two people, an officer, and audit events about them."""
    app = site.app()
    with app.app_context():
        upgrade()
        make = Factory()
        facility = make.facility()
        officer = make.user("officer", facility=facility)
        kept = make.participant(facility=facility, given_name="Aigerim")
        gone = make.participant(facility=facility, given_name="Timur")
        for person in (kept, gone):
            audit.record("participant.read", "participant", [person.id], officer.id)
        db.session.commit()
        ids = {"kept": kept.id, "gone": gone.id}
        db.session.remove()
        db.engine.dispose()
    return ids


def _change(site: Site, ids: dict) -> None:
    """What happens after the backup: one person renamed, one deleted, more audit."""
    app = site.app()
    with app.app_context():
        db.session.get(Participant, ids["kept"]).given_name = "Changed"
        db.session.delete(db.session.get(Participant, ids["gone"]))
        audit.record("participant.update", "participant", [ids["kept"]], None)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _people(site: Site) -> dict:
    """{id: given name} of everyone in the site's database."""
    app = site.app()
    with app.app_context():
        found = dict(db.session.execute(select(Participant.id, Participant.given_name)).all())
        db.session.remove()
        db.engine.dispose()
    return found


def _events(site: Site, action: str) -> list:
    """The audit events of one action."""
    app = site.app()
    with app.app_context():
        found = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.session.remove()
        db.engine.dispose()
    return found


def _drill(site: Site, tmp_path: Path) -> None:
    """Build, back up, change and delete, restore: the data is back and the audit verifies."""
    ids = _build(site)
    output = tmp_path / "nightly.ptbackup"
    made = site.run("backup", "--output", str(output))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    backup_id = _manifest(output)["backup_id"]
    assert [e.entity_ids for e in _events(site, "backup.create")] == [[backup_id]]

    _change(site, ids)
    # verify anchors the trail's head, which the restore then rolls back on purpose.
    assert site.run("audit", "verify").exit_code == 0
    assert _people(site) == {ids["kept"]: "Changed"}

    declined = site.run("restore", str(output), answer="n\n")
    assert declined.exit_code == 1 and "cancelled" in declined.output
    assert _people(site) == {ids["kept"]: "Changed"}

    restored = site.run("restore", str(output), "--yes")
    assert restored.exit_code == 0, restored.output
    assert _people(site) == {ids["kept"]: "Aigerim", ids["gone"]: "Timur"}
    assert [e.entity_ids for e in _events(site, "backup.restore")] == [[backup_id]]
    assert _events(site, "participant.update") == []  # made after the backup
    verified = site.run("audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_restore_drill_on_sqlite(sqlite_site, tmp_path):
    _drill(sqlite_site, tmp_path)


def test_restore_drill_on_postgresql(postgres_site, tmp_path):
    _drill(postgres_site, tmp_path)


def _manifest(path: Path) -> dict:
    """The manifest inside a backup file."""
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))


def test_the_backup_holds_the_database_and_a_manifest_but_no_key(sqlite_site, tmp_path):
    _build(sqlite_site)
    output = tmp_path / "b.ptbackup"
    assert sqlite_site.run("backup", "--output", str(output)).exit_code == 0
    with tarfile.open(output) as archive:
        assert sorted(archive.getnames()) == ["database.sqlite3", "manifest.json"]
        content = b"".join(archive.extractfile(m).read() for m in archive.getmembers())
    manifest = _manifest(output)
    assert manifest["dialect"] == "sqlite" and manifest["format_version"] == 1
    assert manifest["alembic_revision"] and manifest["created_at"].endswith("Z")
    assert len(manifest["payload_sha256"]) == 64 and manifest["app_version"]
    assert SECRET_KEY.encode() not in content and AUDIT_KEY.encode() not in content


def _rewritten(source: Path, target: Path, **changes) -> Path:
    """A copy of a backup with its manifest changed."""
    with tarfile.open(source) as archive:
        original = json.load(archive.extractfile("manifest.json"))
        data = archive.extractfile(original["payload"]).read()
    manifest = {**original, **changes}
    with tarfile.open(target, "w:gz") as archive:
        for name, body in (
            ("manifest.json", json.dumps(manifest).encode()),
            (manifest["payload"], data),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return target


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dialect": "postgresql", "payload": "database.pgdump"}, "postgresql backup"),
        ({"alembic_revision": "9999_from_the_future"}, "newer than this code knows"),
        ({"format_version": 2}, "not supported"),
        ({"payload_sha256": "0" * 64}, "damaged"),
    ],
)
def test_restore_refuses_and_changes_nothing(sqlite_site, tmp_path, changes, message):
    ids = _build(sqlite_site)
    good = tmp_path / "good.ptbackup"
    assert sqlite_site.run("backup", "--output", str(good)).exit_code == 0
    _change(sqlite_site, ids)
    bad = _rewritten(good, tmp_path / "bad.ptbackup", **changes)
    refused = sqlite_site.run("restore", str(bad), "--yes")
    assert refused.exit_code == 1 and message in refused.output
    assert _people(sqlite_site) == {ids["kept"]: "Changed"}


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_site, tmp_path):
    _build(sqlite_site)
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")
    refused = sqlite_site.run("restore", str(stray), "--yes")
    assert refused.exit_code == 1 and "not a prog-tracker backup" in refused.output


def test_restore_into_a_new_site_needs_no_confirmation(sqlite_site, tmp_path):
    ids = _build(sqlite_site)
    output = tmp_path / "b.ptbackup"
    assert sqlite_site.run("backup", "--output", str(output)).exit_code == 0
    fresh = Site(tmp_path / "other", f"sqlite:///{tmp_path}/other/pt.db")
    done = fresh.run("restore", str(output))
    assert done.exit_code == 0, done.output
    assert _people(fresh) == {ids["kept"]: "Aigerim", ids["gone"]: "Timur"}
    assert fresh.run("audit", "verify").exit_code == 0


def test_a_backup_taken_while_the_app_writes_is_consistent(sqlite_site, tmp_path):
    ids = _build(sqlite_site)
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


def test_another_audit_key_is_reported_after_a_restore(sqlite_site, tmp_path):
    _build(sqlite_site)
    output = tmp_path / "b.ptbackup"
    assert sqlite_site.run("backup", "--output", str(output)).exit_code == 0
    fresh = Site(tmp_path / "other", f"sqlite:///{tmp_path}/other/pt.db")
    done = CliRunner().invoke(
        main, ["restore", str(output)], env={**fresh.env, "PROG_TRACKER_AUDIT_KEY": "x" * 48}
    )
    assert done.exit_code == 3 and "PROG_TRACKER_AUDIT_KEY" in done.output


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
