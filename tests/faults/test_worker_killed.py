"""A gunicorn worker killed (SIGKILL) in the middle of a sync push; the client retries.

The push pauses after its first mutation (tests/faults/serve.py), the test
kills that worker, the client sees its connection drop and sends the same
batch again to the same server (gunicorn has forked a new worker). Every
mutation must end up applied exactly once, and the retry's answer must say
which ones the dead worker had already applied (`duplicate`, with their ids).

On PostgreSQL the push commits after each mutation, so the first one survives
the kill; on SQLite it commits in groups, so the kill undoes the whole group.
"""

import http.client
import os
import signal
import threading

import pytest

from prog_tracker.aftercare.models import Contact
from prog_tracker.sync.models import SyncMutation
from tests.conftest import TEST_KEYS
from tests.faults.conftest import bearer, call, contact_batch, seed
from tests.faults.serve import PAUSE_DEVICE

pytestmark = [pytest.mark.faults, pytest.mark.own_database]
BATCH = 10


@pytest.fixture(params=["postgresql", "sqlite"])
def fault_database(request, tmp_path):
    """The scratch PostgreSQL database, or a SQLite file (migrated the same way)."""
    if request.param == "postgresql":
        return request.getfixturevalue("scratch_url")
    from flask_migrate import upgrade

    from prog_tracker import create_app
    from prog_tracker.extensions import db

    url = f"sqlite:///{tmp_path}/faults.db"
    app = create_app(
        {"ENV": "test", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url, **TEST_KEYS}
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _push_in_background(port: int, world, batch: list) -> tuple[threading.Thread, list]:
    """Send the batch from a thread; what happened to it lands in the returned list."""
    outcome: list = []

    def send() -> None:
        body = {"device_id": PAUSE_DEVICE, "mutations": batch}
        try:
            outcome.append(call(port, "POST", "/api/v1/sync/push", body, bearer(world), timeout=60))
        except (OSError, http.client.HTTPException) as err:
            outcome.append(err)

    thread = threading.Thread(target=send)
    thread.start()
    return thread, outcome


def test_a_push_whose_worker_is_killed_is_applied_once_when_retried(
    fault_database, tmp_path, servers
):
    world = seed(fault_database, tmp_path / "instance")
    server = servers(world.url, world.instance, workers=1)
    batch = contact_batch(world.people, BATCH)
    thread, outcome = _push_in_background(server.port, world, batch)
    worker = server.wait_paused()
    os.kill(worker, signal.SIGKILL)
    thread.join(timeout=30)
    # The client never got an answer: its connection died with the worker.
    assert len(outcome) == 1 and isinstance(outcome[0], OSError | http.client.HTTPException)
    survived = world.count(Contact)
    postgres = world.url.startswith("postgresql")
    # PostgreSQL committed the first mutation before the pause; SQLite held it uncommitted.
    assert survived == (1 if postgres else 0)
    assert world.count(SyncMutation) == survived

    # The same batch again, from the same device, to the same server (a new worker).
    status, _headers, body = call(
        server.port,
        "POST",
        "/api/v1/sync/push",
        {"device_id": PAUSE_DEVICE, "mutations": batch},
        bearer(world),
        timeout=60,
    )
    assert status == 200, body
    results = body["results"]
    assert [r["mutation_id"] for r in results] == [m["mutation_id"] for m in batch]
    assert [r["id"] for r in results] == [m["id"] for m in batch]
    expected = ["duplicate"] * survived + ["applied"] * (BATCH - survived)
    assert [r["status"] for r in results] == expected
    assert all(r["version"] == 1 for r in results)

    assert world.count(Contact) == BATCH
    assert world.count(SyncMutation) == BATCH
    assert world.audit_intact()
