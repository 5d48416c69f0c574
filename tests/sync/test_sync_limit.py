"""Sync is rate-limited per user (SYNC_LIMIT_PER_USER), with Retry-After, and never by name."""

import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import redis

from prog_tracker.config import Defaults
from prog_tracker.extensions import limiter
from tests.sync.conftest import contact_create, pull, push

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tight(app, monkeypatch):
    """Three sync requests per user per minute (the limit is read at request time)."""
    monkeypatch.setitem(app.config, "SYNC_LIMIT_PER_USER", "3 per minute")


def _assert_rate_limited(response):
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    body = response.get_json()
    assert body["error"]["code"] == "rate_limited"
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_pull_and_push_share_one_budget_and_the_next_answers_429(tight, field, api_as):
    api = api_as(field.caseworker)
    assert pull(api).status_code == 200
    assert push(api, [contact_create(field.clients[0])]).status_code == 200
    assert pull(api).status_code == 200
    _assert_rate_limited(pull(api))
    _assert_rate_limited(push(api, [contact_create(field.clients[1])]))


def test_a_refused_push_writes_nothing(tight, field, api_as):
    api = api_as(field.caseworker)
    for _ in range(3):
        assert pull(api).status_code == 200
    mutation = contact_create(field.clients[0])
    _assert_rate_limited(push(api, [mutation]))
    # The same mutation later is applied, not a duplicate: the refused one left no trace.
    limiter.reset()
    assert push(api, [mutation]).get_json()["results"][0]["status"] == "applied"


def test_malformed_requests_count_too(tight, field, api_as):
    api = api_as(field.caseworker)
    for _ in range(3):
        assert api.post("/sync/push", json={"mutations": "nope"}).status_code == 422
    _assert_rate_limited(pull(api))


def test_another_user_is_not_affected(tight, field, api_as):
    first, second = api_as(field.caseworker), api_as(field.instructor)
    for _ in range(3):
        assert pull(first).status_code == 200
    _assert_rate_limited(pull(first))
    assert pull(second).status_code == 200
    # The same user from another device (another session) shares the user's budget.
    _assert_rate_limited(pull(api_as(field.caseworker)))


def test_the_default_lets_a_day_offline_catch_up(app, field, api_as, monkeypatch):
    # 50 requests in a row (a day's outbox plus every pull page) stay under the default.
    monkeypatch.setitem(app.config, "SYNC_LIMIT_PER_USER", Defaults.SYNC_LIMIT_PER_USER)
    api = api_as(field.caseworker)
    assert all(pull(api).status_code == 200 for _ in range(50))


def test_the_key_holds_no_name_and_no_plain_id(tight, field, api_as):
    api = api_as(field.caseworker)
    for _ in range(4):
        pull(api)
    storage = limiter.storage
    keys = " ".join(str(key) for key in [*storage.events, *storage.storage])
    assert "sync-user" in keys
    assert field.caseworker.id not in keys and field.caseworker.username not in keys


WORKER = textwrap.dedent(
    """
    import sys
    from flask_migrate import upgrade
    from prog_tracker import create_app
    from prog_tracker.extensions import db
    from tests.factories import PASSWORD, Factory

    folder, prefix, phase, count = sys.argv[1:5]
    app = create_app({
        "ENV": "test", "INSTANCE_PATH": folder, "SECRET_KEY": "s" * 48, "AUDIT_KEY": "a" * 48,
        "DATABASE_URL": f"sqlite:///{folder}/pt.db", "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": prefix, "SYNC_LIMIT_PER_USER": "3 per 10 minutes",
    })
    with app.app_context():
        if phase == "setup":
            upgrade()
            Factory().user("caseworker", username="field.user")
            db.session.commit()
    client = app.test_client()
    login = client.post("/api/v1/auth/login",
                        json={"username": "field.user", "password": PASSWORD})
    headers = {"X-CSRF-Token": login.get_json()["csrf_token"]}
    for _ in range(int(count)):
        answer = client.get("/api/v1/sync/pull", headers=headers)
        print(answer.status_code, answer.headers.get("Retry-After"))
    """
)


def _worker(folder, prefix, setup, count):
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(folder), prefix, setup, str(count)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=ROOT,
    )
    return [line.split() for line in result.stdout.splitlines()]


@pytest.mark.own_database
@pytest.mark.slow
def test_workers_share_the_budget_through_redis(tmp_path):
    prefix = f"pt-test-{uuid.uuid4().hex}"
    try:
        first = _worker(tmp_path, prefix, "setup", 3)
        assert [status for status, _ in first] == ["200", "200", "200"]
        (status, retry_after), *_ = _worker(tmp_path, prefix, "again", 1)
        assert status == "429" and int(retry_after) >= 1
        keys = redis.Redis(host="127.0.0.1", port=6379).keys(f"*{prefix}*")
        names = b" ".join(keys)
        assert b"sync-user" in names and b"field.user" not in names
    finally:
        store = redis.Redis(host="127.0.0.1", port=6379)
        for key in store.keys(f"*{prefix}*"):
            store.delete(key)
