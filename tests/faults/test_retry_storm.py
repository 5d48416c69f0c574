"""A retry storm: 50 replays of one 20-mutation batch at once, on loopback, against
gunicorn with two workers on PostgreSQL → exactly 20 records, no 5xx, in bounded time.

A phone that lost its answers keeps resending its outbox; many copies of the
same batch then race each other across workers and threads. The ledger in
the database (SPEC §5) must make each mutation happen once: exactly one answer
per mutation says `applied`, every other says `duplicate` with the same id
and version. A 429 from the per-user sync limit is counted apart (the test's
server sets that limit high); a 5xx or a dropped connection fails the test.
"""

import http.client
import threading
import time
from collections import Counter

import pytest

from prog_tracker.aftercare.models import Contact
from prog_tracker.sync.models import SyncMutation
from tests.faults.conftest import bearer, call, contact_batch, seed

pytestmark = [pytest.mark.faults, pytest.mark.own_database]
REPLAYS = 50
BATCH = 20
# Generous on a loaded 2-core machine (it takes a few seconds); a hang or a deadlock
# between the workers' transactions would blow it.
BOUND_SECONDS = 60


def _storm(port: int, world, batch: list) -> tuple[list, float]:
    """Send the batch REPLAYS times at once; (each answer or the exception, wall seconds)."""
    barrier = threading.Barrier(REPLAYS)
    answers: list = [None] * REPLAYS
    body = {"device_id": "storm-phone", "mutations": batch}

    def send(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = call(
                port, "POST", "/api/v1/sync/push", body, bearer(world), timeout=BOUND_SECONDS
            )
        except (OSError, http.client.HTTPException) as err:
            answers[index] = err

    threads = [threading.Thread(target=send, args=(n,)) for n in range(REPLAYS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=BOUND_SECONDS + 5)
    return answers, time.monotonic() - started


def test_fifty_replays_of_one_batch_write_each_record_once(scratch_url, tmp_path, servers):
    world = seed(scratch_url, tmp_path / "instance")
    server = servers(world.url, world.instance, workers=2)
    batch = contact_batch(world.people, BATCH)
    answers, seconds = _storm(server.port, world, batch)

    failed = [a for a in answers if not isinstance(a, tuple)]
    assert failed == [], failed[:3]
    statuses = Counter(status for status, _headers, _body in answers)
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[200] >= 1
    assert seconds < BOUND_SECONDS
    answered = [body["results"] for status, _headers, body in answers if status == 200]
    for results in answered:
        assert [r["mutation_id"] for r in results] == [m["mutation_id"] for m in batch]
        assert {r["status"] for r in results} <= {"applied", "duplicate"}, results
    for position, mutation in enumerate(batch):
        answers_for_it = [results[position] for results in answered]
        applied = [r for r in answers_for_it if r["status"] == "applied"]
        assert len(applied) == 1, (
            mutation["mutation_id"],
            Counter(r["status"] for r in answers_for_it),
        )
        assert {(r["id"], r["version"]) for r in answers_for_it} == {(mutation["id"], 1)}

    assert world.count(Contact) == BATCH
    assert world.count(SyncMutation) == BATCH
    assert world.audit_intact()
    print(f"{REPLAYS} replays in {seconds:.1f} s: {dict(statuses)}")
