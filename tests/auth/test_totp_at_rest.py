"""TOTP secrets are encrypted at rest with the MFA key, kept outside the database."""

import logging
import os
import stat

import pyotp
import pytest
from click.testing import CliRunner
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from prog_tracker import create_app
from prog_tracker.auth import mfa
from prog_tracker.cli import main
from prog_tracker.extensions import db
from tests.conftest import TEST_KEYS
from tests.factories import PASSWORD


def _stored(user_id: str) -> str | None:
    """The users row's secret column as the database holds it."""
    query = text("SELECT totp_secret_encrypted FROM users WHERE id = :id")
    return db.session.execute(query, {"id": user_id}).scalar_one()


def _login(client, user, code=None):
    body = {"username": user.username, "password": PASSWORD}
    return client.post("/api/v1/auth/login", json=body | ({"totp": code} if code else {}))


def test_the_column_holds_no_plaintext_after_setup_and_sign_in_still_works(app, client, make):
    admin = make.user("admin", mfa=False)
    csrf = {"X-CSRF-Token": _login(client, admin).get_json()["csrf_token"]}
    secret = client.post("/api/v1/auth/mfa/setup", headers=csrf).get_json()["secret"]
    stored = _stored(admin.id)
    assert stored.startswith("v1:") and secret not in stored
    code = pyotp.TOTP(secret).now()
    confirm = client.post("/api/v1/auth/mfa/confirm", json={"code": code}, headers=csrf)
    assert confirm.status_code == 204
    db.session.refresh(admin)
    admin.totp_last_step = None  # the confirming code was used: let the next one through
    db.session.commit()
    response = _login(app.test_client(), admin, pyotp.TOTP(secret).now())
    assert response.status_code == 200
    assert _stored(admin.id).startswith("v1:")


def test_each_encryption_differs_and_reads_back(make):
    user = make.user("supervisor")
    secret, first = user.totp_secret, user.totp_secret_encrypted
    user.totp_secret = secret
    assert user.totp_secret_encrypted != first  # a fresh nonce each time
    assert user.totp_secret == secret and len(first) <= 255


def test_a_ciphertext_copied_onto_another_user_does_not_verify(app, make, caplog):
    owner, other = make.user("admin"), make.user("admin")
    other.totp_secret_encrypted = owner.totp_secret_encrypted
    db.session.commit()
    caplog.set_level(logging.WARNING, logger="prog_tracker.mfa")
    response = _login(app.test_client(), other, pyotp.TOTP(owner.totp_secret).now())
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "mfa_required"
    _assert_id_only_warning(caplog, other)


@pytest.mark.parametrize("damage", ["wrong_key", "tampered", "no_key"])
def test_an_unreadable_secret_refuses_the_code_without_an_error(
    app, make, caplog, monkeypatch, damage
):
    admin = make.user("admin")
    code = pyotp.TOTP(admin.totp_secret).now()
    if damage == "tampered":
        stored = admin.totp_secret_encrypted
        flipped = "A" if stored[-6] != "A" else "B"  # a byte of the authentication tag
        admin.totp_secret_encrypted = stored[:-6] + flipped + stored[-5:]
        db.session.commit()
    else:
        monkeypatch.setitem(app.config, "MFA_KEY", "x" * 48 if damage == "wrong_key" else "")
    caplog.set_level(logging.WARNING, logger="prog_tracker.mfa")
    response = _login(app.test_client(), admin, code)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "mfa_required"
    _assert_id_only_warning(caplog, admin)


def _assert_id_only_warning(caplog, user) -> None:
    """One warning names the user by id; no name, secret or ciphertext is logged."""
    logged = [r.getMessage() for r in caplog.records if r.name == "prog_tracker.mfa"]
    assert logged and all(user.id in message for message in logged)
    for leak in (user.username, user.display_name, user.totp_secret_encrypted):
        assert all(leak not in message for message in logged)


# The migration (0012) on a database of the test's own, built up to 0011.

PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _app_at_0011(database_url, tmp_path, **config):
    app = create_app(
        {
            "ENV": "test",
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": database_url,
            **TEST_KEYS,
            **config,
        }
    )
    with app.app_context():
        upgrade(revision="0011")
        for user_id, secret in (("u-plain", PLAIN), ("u-none", None)):
            _insert_user(user_id, secret)
        db.session.commit()
    return app


def _insert_user(user_id: str, secret: str | None) -> None:
    """A user row as the schema at 0011 has it, with a plaintext secret."""
    db.session.execute(
        text(
            "INSERT INTO users (id, username, display_name, role, active, password_hash,"
            " must_change_password, totp_secret, created_at, updated_at, version) VALUES"
            " (:id, :id, :id, 'admin', true, 'x', false, :secret, :now, :now, 1)"
        ),
        {"id": user_id, "secret": secret, "now": "2026-01-01 00:00:00"},
    )


def _column(name: str) -> dict:
    """id -> value of one users column; the read ends its transaction, so a migration's
    DDL does not wait for it (PostgreSQL)."""
    rows = db.session.execute(text(f"SELECT id, {name} FROM users ORDER BY id"))  # noqa: S608
    values = dict(rows.all())
    db.session.rollback()
    return values


@pytest.mark.own_database
def test_the_migration_encrypts_existing_secrets_and_the_downgrade_restores_them(
    database_url, tmp_path
):
    app = _app_at_0011(database_url, tmp_path)
    with app.app_context():
        upgrade(revision="0012")
        stored = _column("totp_secret_encrypted")
        assert stored["u-none"] is None
        assert stored["u-plain"].startswith("v1:") and PLAIN not in stored["u-plain"]
        assert mfa.unseal_secret("u-plain", stored["u-plain"]) == PLAIN
        downgrade(revision="0011")
        assert _column("totp_secret") == {"u-none": None, "u-plain": PLAIN}
        db.session.remove()


@pytest.mark.own_database
def test_the_migration_runs_again_after_an_interrupted_run(database_url, tmp_path):
    app = _app_at_0011(database_url, tmp_path)
    with app.app_context():
        # As a run stopped after adding the column (SQLite's DDL does not roll back)
        # would leave it; SQLite, which checks no lengths, may hold an encrypted value.
        db.session.execute(text("ALTER TABLE users ADD totp_secret_encrypted VARCHAR(255)"))
        again = mfa.seal_secret("u-again", PLAIN)
        if database_url.startswith("sqlite"):
            _insert_user("u-again", again)
        db.session.commit()
        upgrade(revision="0012")
        stored = _column("totp_secret_encrypted")
        assert mfa.unseal_secret("u-plain", stored["u-plain"]) == PLAIN
        assert stored.get("u-again", again) == again  # not encrypted twice
        db.session.remove()


@pytest.mark.own_database
def test_the_migration_needs_the_key_when_there_are_secrets(database_url, tmp_path):
    app = _app_at_0011(database_url, tmp_path, MFA_KEY="")
    with app.app_context():
        # Flask-Migrate logs the error (PROG_TRACKER_MFA_KEY is not set…) and exits 1.
        with pytest.raises(SystemExit):
            upgrade(revision="0012")
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == "0011"
        assert _column("totp_secret")["u-plain"] == PLAIN
        db.session.remove()


# The key file made by `prog-tracker init`, and production's refusal to start without it.


@pytest.fixture
def clean_env(monkeypatch):
    """No PROG_TRACKER_* key from the environment running the tests."""
    for key in ("SECRET_KEY", "AUDIT_KEY", "MFA_KEY", "ENV", "DATABASE_URL", "INSTANCE_PATH"):
        monkeypatch.delenv("PROG_TRACKER_" + key, raising=False)
    previous = os.umask(0o022)
    yield
    os.umask(previous)  # the CLI tightens the umask of the process it runs in


def _init(instance, **env):
    env = {
        "PROG_TRACKER_INSTANCE_PATH": str(instance),
        "PROG_TRACKER_DATABASE_URL": f"sqlite:///{instance}/pt.db",
        **env,
    }
    return CliRunner().invoke(main, ["init"], env=env, catch_exceptions=False)


@pytest.mark.own_database
def test_init_creates_the_mfa_key_file_once(tmp_path, clean_env):
    instance = tmp_path / "instance"
    assert _init(instance).exit_code == 0
    key_file = instance / "mfa_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert len(key) >= 32
    assert _init(instance).exit_code == 0
    assert key_file.read_text() == key


@pytest.mark.own_database
def test_init_leaves_the_mfa_key_to_the_environment_when_set(tmp_path, clean_env):
    instance = tmp_path / "instance"
    assert _init(instance, PROG_TRACKER_MFA_KEY="e" * 48).exit_code == 0
    assert not (instance / "mfa_key").exists()


@pytest.mark.own_database
def test_production_refuses_to_start_without_the_mfa_key(tmp_path, clean_env):
    keys = {"SECRET_KEY": "s" * 48, "AUDIT_KEY": "a" * 48}
    config = {"INSTANCE_PATH": str(tmp_path), "ENV": "production", **keys}
    for weak in ("", "short", "change-me"):
        with pytest.raises(RuntimeError, match="PROG_TRACKER_MFA_KEY"):
            create_app({**config, "MFA_KEY": weak})
    (tmp_path / "mfa_key").write_text("f" * 48)
    assert create_app(config).config["MFA_KEY"] == "f" * 48


@pytest.mark.own_database
def test_init_on_an_older_site_makes_the_key_then_encrypts_with_it(tmp_path, clean_env):
    # The upgrade an operator runs: a database at 0011, no mfa_key yet.
    instance = tmp_path / "instance"
    _app_at_0011(f"sqlite:///{instance}/pt.db", instance, MFA_KEY="")
    assert _init(instance).exit_code == 0
    key = (instance / "mfa_key").read_text()
    with _app_at(instance).app_context():
        stored = _column("totp_secret_encrypted")["u-plain"]
        assert mfa.unseal_secret("u-plain", stored, key) == PLAIN
        db.session.remove()


def _app_at(instance):
    """The app as `prog-tracker` would make it for this instance folder."""
    config = {"ENV": "test", "INSTANCE_PATH": str(instance)}
    return create_app({**config, "DATABASE_URL": f"sqlite:///{instance}/pt.db"})
