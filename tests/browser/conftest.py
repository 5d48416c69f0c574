"""Browser tests of the field app: a real server process and Debian's Chromium.

The server is `prog-tracker serve` in a child process with its own SQLite
database in a temporary instance folder, so "offline" can be proven the hard
way: the process is stopped, not just the browser's network switch flipped,
and started again later on the same port and database.

Without Chromium (or Playwright) these tests skip on a developer's machine
and FAIL in CI (CI=true), so a CI image that lost its browser cannot pass
quietly.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from prog_tracker import create_app
from prog_tracker.extensions import db

CHROMIUM = os.environ.get("PROG_TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KEYS = {
    "PROG_TRACKER_SECRET_KEY": "s" * 48,
    "PROG_TRACKER_AUDIT_KEY": "k" * 48,
    "PROG_TRACKER_MFA_KEY": "m" * 48,
}
# Web Push: a VAPID key of the tests' own, and push endpoints on the loopback only (the
# browser tests stand in for the push service; no request leaves the machine).
PUSH = {"PROG_TRACKER_PUSH_ENDPOINTS": "http://127.0.0.1:*"}


def _vapid_private_key() -> str:
    """A fresh P-256 private key as base64url of its raw 32 bytes (what the server reads)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from prog_tracker.notifications.keys import b64url

    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def _missing(reason: str):
    """Fail in CI, skip elsewhere."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright, with Chromium present (see _missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as driver:
        yield driver


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_command() -> list[str]:
    """The installed console script beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("prog-tracker")
    return [str(beside if beside.exists() else shutil.which("prog-tracker"))]


class LiveServer:
    """A `prog-tracker serve` process on a fixed port, stoppable and restartable."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{folder / 'field.db'}"
        self.process = None
        self.env = {
            **os.environ,
            **KEYS,
            **PUSH,
            "PROG_TRACKER_VAPID_PRIVATE_KEY": _vapid_private_key(),
            "PROG_TRACKER_INSTANCE_PATH": str(folder),
            "PROG_TRACKER_DATABASE_URL": self.database_url,
            "PROG_TRACKER_ENV": "development",  # plain http on 127.0.0.1: no Secure cookies
            "PROG_TRACKER_REDIS_URL": "",
            # gunicorn's control socket, one per server (tests run in parallel)
            "XDG_RUNTIME_DIR": str(folder),
        }
        self.app = create_app(
            {
                "INSTANCE_PATH": str(folder),
                "DATABASE_URL": self.database_url,
                "ENV": "development",
                "SECRET_KEY": KEYS["PROG_TRACKER_SECRET_KEY"],
                "AUDIT_KEY": KEYS["PROG_TRACKER_AUDIT_KEY"],
                "MFA_KEY": KEYS["PROG_TRACKER_MFA_KEY"],
            }
        )

    def migrate(self) -> None:
        """Build the schema with the migrations."""
        from flask_migrate import upgrade

        with self.app.app_context():
            upgrade()

    def start(self) -> None:
        """Start serving and wait until /healthz answers."""
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [*_server_command(), "serve", "--port", str(self.port), "--workers", "1"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends gunicorn's worker too
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                # An http URL we built ourselves (S310 warns about file: and the like).
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError((self.folder / "server.log").read_text()[-2000:])

    def stop(self) -> None:
        """Stop the server (its whole process group) and wait until the port is closed."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def query(self, work):
        """Run work() in an app context on the server's database (to seed or to check)."""
        with self.app.app_context():
            try:
                return work()
            finally:
                db.session.remove()


@pytest.fixture
def live_server(tmp_path):
    """A migrated, not yet started server; stopped after the test."""
    server = LiveServer(tmp_path / "instance")
    server.migrate()
    yield server
    server.stop()


@pytest.fixture
def browser_context(playwright_driver, tmp_path):
    """A persistent Chromium profile (installability is not offered in incognito)."""
    contexts = []

    def _open(name="device", **options):
        context = playwright_driver.chromium.launch_persistent_context(
            str(tmp_path / f"profile-{name}"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            timezone_id="UTC",
            service_workers="allow",
            **{"viewport": {"width": 390, "height": 844}, **options},
        )
        context.set_default_timeout(30_000)  # two browsers and two servers share CI's 2 cores
        context.on("console", lambda message: _watch_csp(message, violations))
        context.on("weberror", lambda error: violations.append(f"uncaught: {error.error}"))
        contexts.append(context)
        return context

    violations = []
    yield _open
    for context in contexts:
        context.close()
    assert not violations, violations


def _watch_csp(message, violations) -> None:
    """Collect Content-Security-Policy violations reported on the console."""
    if message.type == "error":
        print("console:", message.text)  # shown with a failing test's output
    if "Content Security Policy" in message.text:
        violations.append(message.text)
