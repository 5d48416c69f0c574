"""`prog-tracker audit verify` for a scheduler: one line, and exit 0, 1 or 2."""

import pytest
from click.testing import CliRunner

from prog_tracker.cli import main

pytestmark = pytest.mark.own_database

KEYS = {
    "PROG_TRACKER_SECRET_KEY": "s" * 48,
    "PROG_TRACKER_AUDIT_KEY": "a" * 48,
    "PROG_TRACKER_MFA_KEY": "m" * 48,
}


def _verify(tmp_path, database_url, init=True):
    env = {
        **KEYS,
        "PROG_TRACKER_INSTANCE_PATH": str(tmp_path),
        "PROG_TRACKER_DATABASE_URL": database_url,
    }
    runner = CliRunner()
    if init:
        assert runner.invoke(main, ["init"], env=env).exit_code == 0
    return runner.invoke(main, ["audit", "verify"], env=env, catch_exceptions=False)


def test_an_intact_chain_says_so_in_one_line(tmp_path):
    result = _verify(tmp_path, f"sqlite:///{tmp_path}/pt.db")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["Audit chain intact: 0 events checked."]


def test_an_unreachable_database_is_exit_2_not_a_broken_chain(tmp_path):
    result = _verify(tmp_path, f"sqlite:///{tmp_path}/missing/folder/pt.db", init=False)
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line.startswith("Audit chain not checked") and "Traceback" not in result.output
