"""Shared fixtures: one app per session, one rolled-back transaction per test."""

import contextvars
import os
import tempfile

import pyotp
import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from prog_tracker import create_app
from prog_tracker.core.policy.reasons import REASON_ROLES
from prog_tracker.extensions import db, limiter
from prog_tracker.notifications.endpoints import DEFAULT_PUSH_ENDPOINTS
from tests.databases import (
    database_url,  # noqa: F401 - a fixture for every test module
    worker_database_url,
)
from tests.factories import PASSWORD, Factory

TEST_KEYS = {
    "SECRET_KEY": "t" * 48,
    "AUDIT_KEY": "a" * 48,
    "MFA_KEY": "m" * 48,
    # A fixed Web Push key (the raw scalar 0x0102…20, base64url): tests only.
    "VAPID_PRIVATE_KEY": "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA",
}
# The browser push services, and the tests' own fake one on the loopback.
TEST_PUSH_ENDPOINTS = DEFAULT_PUSH_ENDPOINTS + ",http://127.0.0.1:*"


# Suites that start servers, Chromium or workers of their own: under pytest-xdist
# (--dist loadgroup) they run one after another on one worker, beside the rest.
SERVER_SUITES = ("browser", "faults", "schemathesis")


def pytest_collection_modifyitems(config, items):
    """Group the server-starting suites on one xdist worker (no effect without xdist)."""
    for item in items:
        if any(item.get_closest_marker(name) for name in SERVER_SUITES):
            item.add_marker(pytest.mark.xdist_group("servers"))


def _database_url(tmp_dir: str) -> str:
    """TEST_DATABASE_URL (PostgreSQL in CI; one database per xdist worker) or a fresh
    SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    return worker_database_url(url) if url else f"sqlite:///{tmp_dir}/test.db"


def _reset_database(url: str) -> None:
    """Start PostgreSQL runs from an empty schema, so migrations build it all."""
    if url.startswith("postgresql"):
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The test holds an app context open for the factories; without this,
    Flask would reuse it and `g` would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        """Send the request from an empty context."""
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app():
    """The application, with the schema built by the migrations."""
    tmp_dir = tempfile.mkdtemp(prefix="pt-test-")
    url = _database_url(tmp_dir)
    application = create_app(
        {
            "ENV": "test",
            "TESTING": True,
            "INSTANCE_PATH": tmp_dir,
            "DATABASE_URL": url,
            "LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
            "LOGIN_LIMIT_PER_ACCOUNT": "1000 per minute",
            "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": "1000 per minute",
            "PUSH_ENDPOINTS": TEST_PUSH_ENDPOINTS,
            # Other connections cannot see a test's rolled-back transaction.
            "REPORT_WORKERS": 1,
            **TEST_KEYS,
        }
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        _reset_database(url)
        upgrade()
    return application


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Run each test inside a transaction that is rolled back afterwards."""
    if request.node.get_closest_marker("own_database"):
        yield  # the test builds its own app and database (CLI tests)
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain Session: Flask-SQLAlchemy's own ignores `bind` and would
        # open other connections outside the test's transaction.
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        # Tests that build their own app rebind the one limiter (and its
        # storage); binding it again gives this test fresh, empty counters.
        limiter.init_app(app)
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    """A test client (it keeps cookies like a browser)."""
    return app.test_client()


@pytest.fixture
def make(app):
    """Factories for every model."""
    return Factory()


# The X-Access-Reason header as the test client's environ sends it.
REASON_ENVIRON = "HTTP_X_ACCESS_REASON"


def totp_now(user) -> str:
    """The current code for a user's TOTP secret."""
    return pyotp.TOTP(user.totp_secret).now()


def signin(client, user, password=PASSWORD) -> str:
    """Sign in through the API; returns the CSRF token for later changes."""
    body = {"username": user.username, "password": password}
    if user.mfa_enabled:
        user.totp_last_step = None  # let a test sign the same user in twice
        db.session.commit()
        body["totp"] = totp_now(user)
    response = client.post("/api/v1/auth/login", json=body)
    assert response.status_code == 200, response.get_json()
    if user.role in REASON_ROLES:
        # Supervisors and admins give a reason to read one person's record (SPEC §3):
        # this client sends one on every request, unless a test's own header replaces
        # it; tests of the rule itself drop it (tests/auditlog).
        client.environ_base[REASON_ENVIRON] = "case_review"
    return response.get_json()["csrf_token"]


@pytest.fixture(name="signin")
def signin_fixture():
    """The signin helper as a fixture."""
    return signin


class Api:
    """A signed-in JSON client that sends the CSRF header."""

    def __init__(self, client, csrf):
        self.client, self.csrf = client, csrf

    def _call(self, method, path, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        headers.setdefault("X-CSRF-Token", self.csrf)
        return getattr(self.client, method)("/api/v1" + path, headers=headers, **kwargs)

    def get(self, path, **kw):
        """GET /api/v1 + path."""
        return self._call("get", path, **kw)

    def post(self, path, **kw):
        """POST /api/v1 + path."""
        return self._call("post", path, **kw)

    def patch(self, path, **kw):
        """PATCH /api/v1 + path."""
        return self._call("patch", path, **kw)

    def put(self, path, **kw):
        """PUT /api/v1 + path."""
        return self._call("put", path, **kw)

    def delete(self, path, **kw):
        """DELETE /api/v1 + path."""
        return self._call("delete", path, **kw)


@pytest.fixture
def api_as(app, make):
    """api_as(user_or_role) -> an Api client signed in as that user."""

    def _as(who, **kwargs):
        user = make.user(who, **kwargs) if isinstance(who, str) else who
        client = app.test_client()
        return Api(client, signin(client, user))

    return _as
