"""Two servers, one database, the same batch at the same moment: each record once.

The test starts two `prog-tracker serve` processes on one database and sends
the same batches to both from two threads released by one barrier (in the
same order, or from both ends so the servers meet in the middle). The
guarantee under test lives in the database: the unique mutation_id of the
ledger (and the records' own keys), not anything one process remembers.

On PostgreSQL (when TEST_DATABASE_URL names one) the test builds a schema of
its own in that database, so it can commit and other suites' data stays
apart; on SQLite it uses a file of its own.
"""

import datetime as dt
import http.client
import json
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from prog_tracker import create_app
from prog_tracker.aftercare.models import Contact
from prog_tracker.core.audit import verify_chain
from prog_tracker.extensions import db
from prog_tracker.sync.models import SyncMutation
from prog_tracker.workshops.models import Attendance
from tests.conftest import TEST_KEYS
from tests.databases import child_environment, console_script
from tests.factories import Factory

pytestmark = [pytest.mark.own_database, pytest.mark.slow]
ROUNDS = 4


def _seed(url: str, instance: Path) -> dict:
    """Build the schema and a small field world; returns ids and a bearer token."""
    from flask_migrate import upgrade

    from prog_tracker.auth.services import create_api_token
    from prog_tracker.core.dates import today_at

    app = create_app(
        {"ENV": "test", "INSTANCE_PATH": str(instance), "DATABASE_URL": url, **TEST_KEYS}
    )
    with app.app_context():
        upgrade()
        make = Factory()
        facility = make.facility(timezone="Asia/Almaty")
        caseworker = make.user("caseworker")
        instructor = make.user("instructor", facility=facility)
        cohort = make.cohort(facility, instructors=[instructor], capacity=30)
        learners = [make.participant(facility=facility) for _ in range(6)]
        for person in learners:
            make.enrolment(cohort, person)
        session = make.session(cohort, date=today_at(facility))
        released_on = today_at(facility) - dt.timedelta(days=2)
        world = {
            # Released two days ago, so a contact an hour ago follows the release day at
            # the facility whatever the hour (Almaty's day starts at 19:00 UTC).
            "clients": [
                make.client_of(caseworker, facility=facility, released_on=released_on).id
                for _ in range(3)
            ],
            "learners": [p.id for p in learners],
            "session": session.id,
            "caseworker": create_api_token(caseworker, "race")[1],
            "instructor": create_api_token(instructor, "race")[1],
        }
        db.session.remove()
        db.engine.dispose()
    return world


def _free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(url: str, instance: Path, log: Path) -> tuple[subprocess.Popen, int]:
    """`prog-tracker serve` (one gunicorn worker) on url; returns once /healthz answers."""
    port = _free_port()
    server = subprocess.Popen(
        [console_script(), "serve", "--port", str(port), "--workers", "1"],
        env=child_environment(url, instance),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail(f"server did not start: {log.read_text()}")


def _batch(world: dict) -> tuple[list, list]:
    """(caseworker's contacts, instructor's attendance marks) with fresh ids."""
    moment = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    contacts = [
        _mutation("contact", {"participant_id": pid, "occurred_at": moment, "mode": "visit"})
        for pid in world["clients"] * 5
    ]
    marks = [
        _mutation(
            "attendance",
            {
                "session_id": world["session"],
                "participant_id": pid,
                "status": "present",
                "recorded_at": dt.datetime.now(dt.UTC).isoformat(),
            },
        )
        for pid in world["learners"]
    ]
    return contacts, marks


def _mutation(entity: str, data: dict) -> dict:
    """A create with fresh ids."""
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "op": "create",
        "id": str(uuid.uuid4()),
        "data": data,
    }


def _race(ports: list, token: str, batches: list) -> list[list]:
    """Send a batch to each server at once; each server's results."""
    barrier = threading.Barrier(len(ports))
    answers: list = [None] * len(ports)

    def send(index: int, port: int) -> None:
        body = json.dumps({"device_id": "race", "mutations": batches[index]})
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        barrier.wait()
        connection.request("POST", "/api/v1/sync/push", body=body, headers=headers)
        response = connection.getresponse()
        answers[index] = (response.status, json.loads(response.read()))

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(ports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(status == 200 for status, _ in answers), answers
    return [body["results"] for _, body in answers]


def _by_mutation(results: list) -> dict:
    """mutation_id -> result."""
    return {result["mutation_id"]: result for result in results}


def test_two_servers_pushing_the_same_batch_write_each_record_once(database_url, tmp_path):
    world = _seed(database_url, tmp_path)
    servers = [_serve(database_url, tmp_path, tmp_path / f"server{n}.log") for n in range(2)]
    ports = [port for _, port in servers]
    try:
        sent_contacts, sent_marks = [], []
        for number in range(ROUNDS):
            contacts, marks = _batch(world)
            for token, batch, sent in (
                (world["caseworker"], contacts, sent_contacts),
                (world["instructor"], marks, sent_marks),
            ):
                # Same order, or from both ends so the servers meet in the middle.
                second = batch if number % 2 == 0 else batch[::-1]
                first_results, second_results = _race(ports, token, [batch, second])
                other = _by_mutation(second_results)
                for result in first_results:
                    pair = (result, other[result["mutation_id"]])
                    # One server applied each mutation; the other answered its result.
                    assert sorted(r["status"] for r in pair) == ["applied", "duplicate"], pair
                    assert len({(r["id"], r["version"]) for r in pair}) == 1
                sent += batch
    finally:
        for server, _port in servers:
            server.terminate()
            server.wait(timeout=20)
    _check_database(database_url, tmp_path, sent_contacts, sent_marks, world)


def _check_database(url, instance, contacts, marks, world) -> None:
    """Each contact and ledger row once; one attendance per learner; the audit chain intact."""
    app = create_app(
        {"ENV": "test", "INSTANCE_PATH": str(instance), "DATABASE_URL": url, **TEST_KEYS}
    )
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Contact))
        assert count == len(contacts) == len({m["id"] for m in contacts})
        ledger = db.session.scalar(select(func.count()).select_from(SyncMutation))
        assert ledger == len(contacts) + len(marks)
        rows = db.session.scalar(select(func.count()).select_from(Attendance))
        assert rows == len(world["learners"])
        assert verify_chain(TEST_KEYS["AUDIT_KEY"])[1] is None
        db.session.remove()
        db.engine.dispose()
