"""schemathesis against /api/v1/openapi.json, in-process, once per role and anonymously.

The app runs on a SQLite database of its own (tests marked `own_database`):
the world (world.py) is committed once, and every generated request runs in a
transaction rolled back afterwards, so each example meets the same world and
a run is reproducible from its seed.
"""

import contextvars
import os
import tempfile
from contextlib import contextmanager

import pytest
import schemathesis
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from prog_tracker import create_app
from prog_tracker.extensions import db
from tests.conftest import TEST_KEYS, TEST_PUSH_ENDPOINTS
from tests.schemathesis.world import build_world

# Fixed, so CI meets the same requests every run.
SEED = 20261129
# Examples per operation and role: bounded so the six runs stay within a few minutes
# on two cores; SCHEMATHESIS_EXAMPLES raises it for a deeper run by hand.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


def schemathesis_config(max_examples: int) -> schemathesis.Config:
    """Every check schemathesis has (its defaults, and `ignored_auth` among the
    authorization ones), all phases, derandomised, no example database."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
                # Credentials are the world's (auth_headers), never invented ones.
                "with-security-parameters": False,
            },
            "checks": {
                # A request that is well formed but breaks a domain rule answers 422
                # with a code naming the rule (SPEC §4), e.g. enrolling a released person.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "410", "422", "429"]
                },
            },
        }
    )


class FreshContext:
    """Runs each request in an empty context, as a server does (see IsolatedClient)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        """Serve one request and read its whole body inside that context."""

        def serve():
            body = self.app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()

        return contextvars.Context().run(serve)


def make_app():
    """The app under test, on a SQLite file of its own (built by st_app)."""
    folder = tempfile.mkdtemp(prefix="pt-schemathesis-")
    return create_app(
        {
            "ENV": "test",
            "TESTING": True,
            "INSTANCE_PATH": folder,
            "DATABASE_URL": f"sqlite:///{folder}/api.db",
            "PUSH_ENDPOINTS": TEST_PUSH_ENDPOINTS,
            "REPORT_WORKERS": 1,
            # Rate limits are tested elsewhere; here they would only hide routes.
            "VERIFY_LIMIT": "100000 per minute",
            "SYNC_LIMIT_PER_USER": "100000 per minute",
            **TEST_KEYS,
        }
    )


# The document is read when the tests are collected (schemathesis makes one test per
# operation from it); the database behind the app is built only when they run.
APP = make_app()


def load_schema():
    """The OpenAPI document, loaded through the app's WSGI interface."""
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", FreshContext(APP), config=schemathesis_config(EXAMPLES)
    )


@pytest.fixture(scope="session")
def st_app():
    """The app with its schema migrated and the world committed."""
    with APP.app_context():
        upgrade()
        APP.extensions["schemathesis_world"] = build_world()
    return APP


@pytest.fixture(scope="session")
def st_world(st_app):
    """The world's ids, tokens and hidden sets."""
    return st_app.extensions["schemathesis_world"]


@contextmanager
def rolled_back(app):
    """Run requests inside one transaction that is rolled back afterwards."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
