"""Two `send-reminders` at the same minute (two cron hosts, or a slow run overtaken):
every reminder reaches each device once. The guarantee lives in the database (the
unique (user, key) row and the conditional claim), so the test runs two real
processes on one database, a SQLite file or a PostgreSQL schema of its own."""

import subprocess
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from prog_tracker import create_app
from prog_tracker.extensions import db
from prog_tracker.notifications.models import Notification, PushSubscription
from tests.conftest import TEST_KEYS
from tests.databases import child_environment, console_script
from tests.factories import Factory
from tests.notifications.push_service import Answer
from tests.notifications.world import WEEK, at, build

pytestmark = [pytest.mark.own_database, pytest.mark.slow]


def _app(url: str, instance: Path):
    """An app on the test's own database."""
    return create_app(
        {
            "ENV": "test",
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": url,
            "PUSH_ENDPOINTS": "http://127.0.0.1:*",
            **TEST_KEYS,
        }
    )


def _seed(app, service) -> object:
    """The scripted week's world, with a device for the caseworker and the officer.

    The devices' push service takes 0.4 s per message, so the two runs are still
    sending when the other looks for work: a claim that is not exclusive shows.
    """
    with app.app_context():
        upgrade()
        world = build(Factory())
        for user in (world.caseworker, world.officer):
            browser = service.subscribe(Answer.slow(0.4))
            db.session.add(
                PushSubscription(
                    user_id=user.id,
                    endpoint=browser.endpoint,
                    p256dh=browser.p256dh,
                    auth=browser.auth,
                )
            )
        db.session.commit()
        moments = [at(world, WEEK[n]).isoformat() for n in (0, 2, 3, 4)]
        db.session.remove()
        db.engine.dispose()
    return moments


def _run_twice_at_once(moment: str, env: dict) -> None:
    """Start two send-reminders for the same moment together; both must succeed."""
    runs = [
        subprocess.Popen(
            [console_script(), "send-reminders", "--now", moment],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 0, output


def test_two_runs_at_the_same_minute_send_each_reminder_once(database_url, tmp_path, push_service):
    app = _app(database_url, tmp_path)
    moments = _seed(app, push_service)
    env = child_environment(database_url, tmp_path, PUSH_ENDPOINTS="http://127.0.0.1:*")
    for moment in moments:
        _run_twice_at_once(moment, env)
    received = push_service.received
    assert all(message.accepted for message in received), [m.error for m in received]
    # Friday 2 (release in 10 days), Sunday 1 (follow-up due), Monday 3 (release in
    # 7 days twice, referral waiting), Tuesday 2 (overdue, certificate).
    assert len(received) == 8
    topics = [(message.endpoint, message.topic) for message in received]
    assert len(set(topics)) == len(topics)  # no reminder twice on one device
    with app.app_context():
        rows = db.session.execute(
            select(Notification.status, func.count()).group_by(Notification.status)
        )
        counts = dict(rows.all())
        db.session.remove()
        db.engine.dispose()
    # The colleague (no device) has the Monday referral reminder kept as no_device.
    assert counts == {"sent": 8, "no_device": 1}
