"""Fixtures of the backup and restore tests: sites on SQLite and on PostgreSQL."""

import os

import psycopg
import pytest

from tests.ops.sites import Site

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# A scratch database of its own (one per xdist worker): the shared `test` database is
# other runs'.
PG_SCRATCH = "_".join(filter(None, ("test_restore_drill", os.environ.get("PYTEST_XDIST_WORKER"))))


@pytest.fixture(autouse=True)
def _own_environment(monkeypatch):
    """Each test decides its own configuration (and the CLI's umask stays its own)."""
    for key in ("SECRET_KEY", "AUDIT_KEY", "ENV", "DATABASE_URL", "INSTANCE_PATH"):
        monkeypatch.delenv("PROG_TRACKER_" + key, raising=False)
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def sqlite_site(tmp_path):
    """A site on a SQLite file."""
    instance = tmp_path / "instance"
    return Site(instance, f"sqlite:///{instance}/pt.db")


def _postgres_unreachable(reason: str):
    """Fail: the suite never passes without the PostgreSQL drill (./scripts/test and .ci/run
    start PostgreSQL through scripts/services)."""
    pytest.fail(f"the PostgreSQL restore drill cannot run: {reason}", pytrace=False)


@pytest.fixture
def postgres_site(tmp_path):
    """A site on a scratch PostgreSQL database, created and dropped here."""
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as err:
        _postgres_unreachable(f"PostgreSQL at 127.0.0.1:5432: {type(err).__name__}")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_SCRATCH}")
        try:
            yield Site(
                tmp_path / "instance",
                f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_SCRATCH}",
            )
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH} WITH (FORCE)")
