"""Fixtures for the Web Push tests: a fake push service and the server's VAPID key."""

import pytest

from prog_tracker.notifications.keys import KEY_FILE, ensure_vapid_key_file, load_vapid
from tests.notifications.push_service import PushService


@pytest.fixture
def make_push_service():
    """make_push_service(expected_public_key=None) -> another started service, stopped after."""
    started: list[PushService] = []

    def _make(expected_public_key: str | None = None) -> PushService:
        service = PushService(expected_public_key).start()
        started.append(service)
        return service

    yield _make
    for service in started:
        service.stop()


@pytest.fixture
def push_service(make_push_service):
    """A started fake push service on 127.0.0.1 (any k accepted unless the test sets one)."""
    return make_push_service()


@pytest.fixture
def vapid(tmp_path):
    """The server's VAPID signer, made and loaded the way `prog-tracker init` does."""
    ensure_vapid_key_file(tmp_path)
    return load_vapid((tmp_path / KEY_FILE).read_text())
