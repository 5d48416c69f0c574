"""Failed sign-ins are counted across worker processes when Redis is configured."""

import subprocess
import sys
import textwrap
import uuid

import pytest

pytestmark = [pytest.mark.own_database, pytest.mark.slow]

WORKER = textwrap.dedent(
    """
    import sys
    from prog_tracker import create_app
    from prog_tracker.extensions import db
    from flask_migrate import upgrade

    folder, prefix, attempts = sys.argv[1], sys.argv[2], int(sys.argv[3])
    app = create_app({
        "ENV": "test", "INSTANCE_PATH": folder, "SECRET_KEY": "s" * 48, "AUDIT_KEY": "a" * 48,
        "DATABASE_URL": f"sqlite:///{folder}/pt.db", "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_LIMIT_PER_ACCOUNT": "3 per 10 minutes",
    })
    with app.app_context():
        upgrade()
    client = app.test_client()
    for _ in range(attempts):
        response = client.post("/api/v1/auth/login",
                               json={"username": "shared.user", "password": "wrong password"})
        print(response.status_code)
    """
)


def _worker(folder, prefix, attempts):
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(folder), prefix, str(attempts)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return [int(line) for line in result.stdout.split()]


def test_second_process_sees_the_first_processes_failures(tmp_path):
    prefix = f"pt-test-{uuid.uuid4().hex}"
    assert _worker(tmp_path, prefix, 3) == [401, 401, 401]
    assert _worker(tmp_path, prefix, 1) == [429]


REDIS_DOWN = textwrap.dedent(
    """
    import sys
    from flask_migrate import upgrade
    from prog_tracker import create_app

    folder = sys.argv[1]
    app = create_app({
        "ENV": "test", "INSTANCE_PATH": folder, "SECRET_KEY": "s" * 48, "AUDIT_KEY": "a" * 48,
        "DATABASE_URL": f"sqlite:///{folder}/pt.db", "REDIS_URL": "redis://127.0.0.1:1/0",
        "LOGIN_LIMIT_PER_ACCOUNT": "2 per 10 minutes",
    })
    with app.app_context():
        upgrade()
    client = app.test_client()
    body = {"username": "nobody", "password": "wrong password"}
    print(" ".join(
        str(client.post("/api/v1/auth/login", json=body).status_code) for _ in range(4)
    ))
    """
)


def test_sign_in_keeps_working_and_throttling_when_redis_is_down(tmp_path):
    # A process of its own: the fallback state lives on the one shared limiter.
    done = subprocess.run(
        [sys.executable, "-c", REDIS_DOWN, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    statuses = done.stdout.split()[-4:]
    assert statuses[:2] == ["401", "401"] and "429" in statuses
