"""The prog-tracker command line."""

import os
import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from prog_tracker.cli import main

pytestmark = pytest.mark.own_database


def _run(args, env, stdin=None):
    return CliRunner().invoke(main, args, input=stdin, env=env, catch_exceptions=False)


@pytest.fixture(autouse=True)
def _no_keys_from_the_environment(monkeypatch):
    """Each test decides its own configuration."""
    for key in (
        "SECRET_KEY",
        "AUDIT_KEY",
        "MFA_KEY",
        "ENV",
        "DATABASE_URL",
        "INSTANCE_PATH",
        "VAPID_PRIVATE_KEY",
    ):
        monkeypatch.delenv("PROG_TRACKER_" + key, raising=False)
    previous = os.umask(0o022)
    yield
    os.umask(previous)  # the CLI tightens the umask of the process it runs in


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_creates_keys_database_and_is_safe_to_rerun(tmp_path):
    instance = tmp_path / "instance"
    env = {
        "PROG_TRACKER_INSTANCE_PATH": str(instance),
        "PROG_TRACKER_DATABASE_URL": f"sqlite:///{instance}/pt.db",
    }
    first = _run(["init"], env)
    assert first.exit_code == 0, first.output
    for name in ("secret_key", "audit_key", "vapid_private_key"):
        path = instance / name
        assert _mode(path) == 0o600 and len(path.read_text()) >= 32
    # Only the app's user may read the database and keys.
    assert _mode(instance) == 0o700 and _mode(instance / "pt.db") == 0o600
    secret = (instance / "secret_key").read_text()
    vapid = (instance / "vapid_private_key").read_text()
    second = _run(["init"], env)
    assert second.exit_code == 0 and (instance / "secret_key").read_text() == secret
    assert (instance / "vapid_private_key").read_text() == vapid


def test_init_leaves_the_vapid_key_to_the_environment_when_set(tmp_path):
    instance = tmp_path / "instance"
    env = {
        "PROG_TRACKER_INSTANCE_PATH": str(instance),
        "PROG_TRACKER_DATABASE_URL": f"sqlite:///{instance}/pt.db",
        "PROG_TRACKER_VAPID_PRIVATE_KEY": "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA",
    }
    assert _run(["init"], env).exit_code == 0
    assert not (instance / "vapid_private_key").exists()


def test_send_reminders_refuses_a_bad_now(tmp_path):
    env = {
        "PROG_TRACKER_INSTANCE_PATH": str(tmp_path),
        "PROG_TRACKER_DATABASE_URL": f"sqlite:///{tmp_path}/pt.db",
    }
    assert _run(["init"], env).exit_code == 0
    bad = CliRunner().invoke(main, ["send-reminders", "--now", "next tuesday"], env=env)
    assert bad.exit_code == 2 and "ISO 8601" in bad.output
    done = _run(["send-reminders", "--now", "2026-11-09T09:00:00+05:00"], env)
    assert done.exit_code == 0 and "Reminders: 0 new, 0 sent" in done.output


def test_create_user_reads_password_from_stdin_and_audit_verify(tmp_path):
    env = {
        "PROG_TRACKER_INSTANCE_PATH": str(tmp_path),
        "PROG_TRACKER_DATABASE_URL": f"sqlite:///{tmp_path}/pt.db",
    }
    assert _run(["init"], env).exit_code == 0
    created = _run(
        ["create-user", "--username", "root.admin", "--role", "admin", "--display-name", "Root"],
        env,
        stdin="a long admin password\n",
    )
    assert created.exit_code == 0, created.output
    assert "a long admin password" not in created.output
    weak = _run(["create-user", "--username", "weak", "--role", "admin"], env, stdin="short\n")
    assert weak.exit_code == 2 and "password" in weak.output
    no_scope = _run(
        ["create-user", "--username", "off", "--role", "officer"],
        env,
        stdin="a long enough password\n",
    )
    assert no_scope.exit_code == 2 and "facility_id" in no_scope.output
    verified = _run(["audit", "verify"], env)
    assert verified.exit_code == 0 and "intact" in verified.output
    _tamper(tmp_path / "pt.db")
    broken = _run(["audit", "verify"], env)
    assert broken.exit_code == 1 and "event 1" in broken.output


def _tamper(db_path):
    """Edit the first audit row behind the app's back."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET action = 'user.delete' WHERE id = 1"))
    engine.dispose()


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    from prog_tracker import create_app

    for key in ("PROG_TRACKER_SECRET_KEY", "PROG_TRACKER_AUDIT_KEY", "PROG_TRACKER_ENV"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV": "production"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {
                "INSTANCE_PATH": str(tmp_path),
                "ENV": "production",
                "SECRET_KEY": "dev",
                "AUDIT_KEY": "k" * 48,
            }
        )


def test_create_user_applies_the_api_schema(tmp_path):
    env = {
        "PROG_TRACKER_INSTANCE_PATH": str(tmp_path),
        "PROG_TRACKER_DATABASE_URL": f"sqlite:///{tmp_path}/pt.db",
    }
    assert _run(["init"], env).exit_code == 0
    for args in (
        ["--username", "bad\nname", "--role", "admin"],
        ["--username", "ok.name", "--role", "supervisor", "--country", "kz\n"],
        ["--username", "ok.name", "--role", "admin", "--display-name", "   "],
    ):
        result = _run(["create-user", *args], env, stdin="a long enough password\n")
        assert result.exit_code == 2, (args, result.output)


def test_audit_verify_notices_events_deleted_from_the_end(tmp_path):
    env = {
        "PROG_TRACKER_INSTANCE_PATH": str(tmp_path),
        "PROG_TRACKER_DATABASE_URL": f"sqlite:///{tmp_path}/pt.db",
    }
    assert _run(["init"], env).exit_code == 0
    for name in ("first.admin", "second.admin"):
        created = _run(
            ["create-user", "--username", name, "--role", "admin"],
            env,
            stdin="a long admin password\n",
        )
        assert created.exit_code == 0, created.output
    assert _run(["audit", "verify"], env).exit_code == 0
    assert _mode(tmp_path / "audit_anchor") == 0o600
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path}/pt.db")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)"))
    engine.dispose()
    broken = _run(["audit", "verify"], env)
    assert broken.exit_code == 1 and "event 2" in broken.output
