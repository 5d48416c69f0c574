"""SQLite: read requests take no write lock until they write, and their writes stay safe.

GET requests begin a deferred transaction, so the workers read side by side;
the audit event of a read is appended in a write transaction of its own.
"""

import sqlite3
import threading
import time

import pytest
from flask_migrate import upgrade

from prog_tracker import create_app
from prog_tracker.auth.services import create_api_token
from prog_tracker.core import audit
from prog_tracker.extensions import db
from tests.factories import Factory


@pytest.fixture
def world(tmp_path):
    """An app on its own SQLite file, a caseworker with two people, and their token."""
    app = create_app(
        {
            "ENV": "test",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "s" * 48,
            "AUDIT_KEY": "a" * 48,
            "MFA_KEY": "m" * 48,
            "DATABASE_URL": f"sqlite:///{tmp_path}/reads.db",
        }
    )
    with app.app_context():
        upgrade()
        make = Factory()
        caseworker = make.user("caseworker", organisation=make.organisation())
        for _ in range(2):
            make.client_of(caseworker)
        token = create_api_token(caseworker, "reads")[1]
        db.session.commit()
        db.session.remove()
    return app, tmp_path / "reads.db", {"Authorization": f"Bearer {token}"}


def _events(app, action):
    """The audit events of one action, and whether the chain is intact."""
    with app.app_context():
        events = db.session.scalars(
            db.select(audit.AuditEvent).where(audit.AuditEvent.action == action)
        ).all()
        intact = audit.verify_chain(app.config["AUDIT_KEY"])[1] is None
        db.session.remove()
    return events, intact


@pytest.mark.own_database
def test_a_read_answers_while_another_process_holds_the_write_lock(world):
    app, path, headers = world
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        response = app.test_client().get("/api/v1/auth/me", headers=headers)
        assert response.status_code == 200
        assert time.monotonic() - started < 2  # not the 5 s busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.own_database
def test_an_audited_read_waits_for_the_write_lock_and_is_audited(world):
    app, path, headers = world
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, lambda: writer.execute("ROLLBACK")).start()
    response = app.test_client().get("/api/v1/caseload", headers=headers)
    writer.close()
    assert response.status_code == 200 and len(response.get_json()["items"]) == 2
    events, intact = _events(app, "caseload.read")
    assert len(events) == 1 and intact


@pytest.mark.own_database
def test_parallel_reads_leave_one_event_each_in_one_chain(world):
    app, _path, headers = world
    statuses = []
    start = threading.Barrier(4)

    def read():
        client = app.test_client()
        start.wait()
        for _ in range(5):
            statuses.append(client.get("/api/v1/caseload", headers=headers).status_code)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 20
    events, intact = _events(app, "caseload.read")
    assert len(events) == 20 and intact
    assert {event.id for event in events} == set(range(events[0].id, events[0].id + 20))


@pytest.mark.own_database
def test_a_write_after_reading_in_a_read_request_waits_its_turn(world):
    app, path, _headers = world
    from prog_tracker.directory.models import Organisation

    with app.test_request_context("/", method="GET"):
        organisation = db.session.scalars(db.select(Organisation)).first()
        other = sqlite3.connect(path, isolation_level=None)
        other.execute(
            "UPDATE organisations SET contact_phone = '1' WHERE id = ?", [organisation.id]
        )
        other.close()
        # Upgrading the read transaction in place would fail at once (SQLITE_BUSY):
        # another process wrote since it began.
        db.session.execute(
            db.update(Organisation).where(Organisation.id == organisation.id).values(kind="ngo")
        )
        db.session.commit()
        db.session.remove()
