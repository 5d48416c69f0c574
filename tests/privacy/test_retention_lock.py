"""Two retention runs never work at once (prog_tracker/privacy/retention_lock.py).

The test holds the run's lock as another run would (PostgreSQL: an advisory lock
on a connection of its own; SQLite: a flock beside the database file), on
whichever database the suite runs on.
"""

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from prog_tracker.cli import main
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.privacy.retention import apply_retention
from prog_tracker.privacy.retention_lock import BUSY, RetentionBusy, run_lock
from tests.conftest import TEST_KEYS
from tests.privacy.retention_world import TODAY, build


@pytest.fixture
def world(make):
    """The retention cases of retention_world (two people due for anonymising)."""
    return build(make)


def _names() -> list[str]:
    """Every participant's family name, in id order."""
    return list(db.session.scalars(select(Participant.family_name).order_by(Participant.id)))


def test_a_second_run_stops_before_changing_anything(world):
    before = _names()
    with run_lock():
        with pytest.raises(RetentionBusy):
            apply_retention(TODAY)
        with pytest.raises(RetentionBusy):
            apply_retention(TODAY, dry_run=True)
        db.session.expire_all()
        assert _names() == before
    # Once the first run is over, the next one works.
    report = apply_retention(TODAY)
    assert report.counts[("identity", "participant")] == 2


def test_a_run_holds_the_lock_until_it_ends_even_when_it_fails(app):
    with pytest.raises(RuntimeError), run_lock():
        with pytest.raises(RetentionBusy), run_lock():
            pass
        raise RuntimeError("the run broke off")
    with run_lock():
        pass  # released by the failed run


def test_the_command_exits_1_with_a_message(world, app):
    runner = app.test_cli_runner()
    with run_lock():
        busy = runner.invoke(main, ["retention", "apply"])
    assert busy.exit_code == 1
    assert busy.stderr.strip() == BUSY and busy.stdout == ""


def test_another_process_is_refused_too(world, app):
    """The real command, in a process of its own, against the same database."""
    env = {
        **os.environ,
        "PROG_TRACKER_DATABASE_URL": app.config["DATABASE_URL"],
        "PROG_TRACKER_INSTANCE_PATH": app.instance_path,
        **{f"PROG_TRACKER_{key}": value for key, value in TEST_KEYS.items()},
    }
    command = [sys.executable, "-c", "from prog_tracker.cli import main; main()"]
    with run_lock():
        busy = subprocess.run(
            [*command, "retention", "apply"], env=env, capture_output=True, text=True, timeout=60
        )
    assert busy.returncode == 1, busy.stderr
    assert BUSY in busy.stderr and busy.stdout == ""
