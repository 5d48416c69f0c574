"""Migration 0011: tokens issued before scopes and expiry keep working for a while."""

import datetime as dt

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from prog_tracker import create_app
from prog_tracker.extensions import db
from tests.conftest import TEST_KEYS

OLD = "2025-01-01 00:00:00"  # more than 90 days before any run of this test


def _insert(role: str) -> None:
    """A user of role, as the schema at 0010 has it, with one old token."""
    db.session.execute(
        text(
            "INSERT INTO users (id, username, display_name, role, active, password_hash,"
            " must_change_password, created_at, updated_at, version) VALUES"
            " (:id, :id, :id, :role, true, 'x', false, :at, :at, 1)"
        ),
        {"id": f"u-{role}", "role": role, "at": OLD},
    )
    db.session.execute(
        text(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES"
            " (:id, :user_id, 'old', :hash, :at)"
        ),
        {"id": f"t-{role}", "user_id": f"u-{role}", "hash": role.ljust(64, "0"), "at": OLD},
    )


@pytest.mark.own_database
def test_old_tokens_get_90_days_from_the_upgrade_and_their_owners_widest_scope(
    database_url, tmp_path
):
    app = create_app(
        {"ENV": "test", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": database_url, **TEST_KEYS}
    )
    with app.app_context():
        upgrade(revision="0010")
        for role in ("admin", "supervisor", "officer", "instructor", "caseworker"):
            _insert(role)
        db.session.commit()
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        upgrade(revision="0011")
        rows = db.session.execute(text("SELECT id, scope, expires_at FROM api_tokens")).all()
        db.session.rollback()
        scopes = {row.id: row.scope for row in rows}
        assert scopes == {
            "t-admin": "full",
            "t-supervisor": "full",
            "t-officer": "sync",
            "t-instructor": "sync",
            "t-caseworker": "sync",
        }
        for row in rows:
            expires_at = row.expires_at
            if isinstance(expires_at, str):  # SQLite hands back text over a plain query
                expires_at = dt.datetime.fromisoformat(expires_at)
            lifetime = expires_at - before
            assert dt.timedelta(days=90) <= lifetime < dt.timedelta(days=90, minutes=5)
        downgrade(revision="0010")
        columns = {c["name"] for c in inspect(db.engine).get_columns("api_tokens")}
        assert not {"scope", "expires_at"} & columns
        db.session.remove()
