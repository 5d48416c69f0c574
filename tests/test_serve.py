"""`prog-tracker serve` does not multiply the sign-in limits by its workers (finding 9)."""

import pytest
from click.testing import CliRunner

from prog_tracker import server
from prog_tracker.cli import main
from tests.conftest import TEST_KEYS

pytestmark = pytest.mark.own_database


@pytest.fixture
def started(monkeypatch):
    """The gunicorn options `serve` would start with (nothing is served)."""
    runs = []

    class _Recorder:
        def __init__(self, _app, options):
            self.options = options

        def run(self):
            runs.append(self.options)

    monkeypatch.setattr(server, "_Gunicorn", _Recorder)
    for key in ("ENV", "REDIS_URL", "DATABASE_URL", "INSTANCE_PATH", *TEST_KEYS):
        monkeypatch.delenv("PROG_TRACKER_" + key, raising=False)
    return runs


def _serve(tmp_path, *args, **env):
    """Run `prog-tracker serve` in production with the test keys and env (no prefix)."""
    values = {"INSTANCE_PATH": str(tmp_path), **TEST_KEYS, **env}
    environ = {f"PROG_TRACKER_{key}": value for key, value in values.items()}
    return CliRunner().invoke(main, ["serve", *args], env=environ, catch_exceptions=False)


def test_several_workers_without_a_shared_store_are_refused_in_production(tmp_path, started):
    result = _serve(tmp_path, "--workers", "4")
    assert result.exit_code != 0 and started == []
    assert "PROG_TRACKER_REDIS_URL" in result.output and "--workers 1" in result.output


def test_without_a_shared_store_serve_starts_one_worker_and_says_why(tmp_path, started):
    result = _serve(tmp_path)
    assert result.exit_code == 0, result.output
    assert [run["workers"] for run in started] == [1]
    assert "PROG_TRACKER_REDIS_URL" in result.output


def test_with_redis_the_workers_share_the_counters(tmp_path, started):
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert _serve(tmp_path, "--workers", "4", **redis).exit_code == 0
    assert _serve(tmp_path, **redis).exit_code == 0
    assert [run["workers"] for run in started] == [4, 2]


def test_outside_production_several_workers_only_warn(tmp_path, started):
    result = _serve(tmp_path, "--workers", "3", ENV="development")
    assert result.exit_code == 0, result.output
    assert [run["workers"] for run in started] == [3]


def test_the_demo_still_serves_with_one_worker_on_memory_counters(tmp_path, started, monkeypatch):
    from prog_tracker import create_app
    from prog_tracker.seed import demo

    app = create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), **TEST_KEYS})
    # The demo's data is beside the point here (tests/test_demo.py): only how it serves.
    monkeypatch.setattr(demo, "build_demo", lambda **_kwargs: app)
    result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert not server.shares_limits(app) and [run["workers"] for run in started] == [1]
