"""A database of a test's own, for tests that commit from several processes.

On PostgreSQL (when TEST_DATABASE_URL names one) a fresh schema in that
database, so the test can commit and other suites' data stays apart; on
SQLite a file of its own. The PostgreSQL case runs in the suite's PostgreSQL
pass (CI's second run).
"""

import os
import secrets

import pytest
from sqlalchemy import create_engine, text

URL = os.environ.get("TEST_DATABASE_URL", "")
# pytest-xdist's worker name (gw0, gw1...), or "" when the suite runs in one process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# The PostgreSQL race runs in the suite's PostgreSQL pass (CI's second run).
# The PostgreSQL case carries the `postgresql` marker, so CI's PostgreSQL pass runs it
# even in a `slow` test whose SQLite case already ran in the first pass.
DATABASES = (
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
    if URL.startswith("postgresql")
    else ["sqlite"]
)


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    """A database of the test's own: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/own.db"
        return
    schema = f"own_{secrets.token_hex(4)}"
    engine = create_engine(URL)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in URL else "?"
    yield f"{URL}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def child_environment(url: str, instance, **settings: str) -> dict:
    """The environment of a `prog-tracker` child process on the test's own database:
    no PROG_TRACKER_* of the parent, the test keys, and any further settings
    (given without the prefix, e.g. PUSH_ENDPOINTS="http://127.0.0.1:*")."""
    from tests.conftest import TEST_KEYS

    env = {k: v for k, v in os.environ.items() if not k.startswith("PROG_TRACKER_")}
    values = {"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "ENV": "test", **TEST_KEYS}
    env.update({f"PROG_TRACKER_{key}": value for key, value in {**values, **settings}.items()})
    return env


def console_script() -> str:
    """The prog-tracker command of this interpreter's environment."""
    import shutil
    import sys
    from pathlib import Path

    return shutil.which("prog-tracker", path=str(Path(sys.executable).parent))


def worker_database_url(url: str) -> str:
    """url itself in a single process; under pytest-xdist a database of the worker's own
    (created if missing), since every worker empties and migrates its schema at start and
    PostgreSQL's advisory locks (the audit chain's) are per database."""
    from sqlalchemy.engine import make_url

    if not WORKER or not url.startswith("postgresql"):
        return url
    base = make_url(url)
    name = f"{base.database}_{WORKER}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :n")
        if connection.execute(exists, {"n": name}).first() is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)
