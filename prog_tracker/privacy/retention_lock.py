"""One retention run at a time: a run takes this lock, and a second run stops at once.

A run commits once per batch (docs/retention.md), so no transaction lasts the
whole run and the database's own write lock cannot be the run's lock: SQLite
gives it up at every commit, and a second connection holding it would block
the run itself. So the lock lives outside the run's transactions:

- PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a connection
  of its own, held from the start of the run to its end;
- SQLite: an exclusive `flock` on a file beside the database file.

Both go when the process ends, however it ends, so a crashed run never blocks
the next one.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from prog_tracker.extensions import db

# Any constant works; it only has to be the same in every process (the audit
# chain's lock is 7_203_911).
RUN_LOCK_ID = 7_203_912
BUSY = "Another retention run is in progress; this one changed nothing. Run it again later."


class RetentionBusy(Exception):
    """Another retention run holds the lock."""

    def __init__(self):
        super().__init__(BUSY)


@contextmanager
def run_lock() -> Iterator[None]:
    """Hold the retention run's lock, or raise RetentionBusy when another run holds it."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine):
            yield
    else:
        with _file_lock(_lock_file(engine.url.database)):
            yield


@contextmanager
def _advisory_lock(engine) -> Iterator[None]:
    """A session advisory lock on a connection kept for the run (PostgreSQL)."""
    with engine.connect() as connection:
        taken = connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": RUN_LOCK_ID})
        # The lock belongs to the connection, not the transaction: end the
        # transaction so no snapshot is held open for the whole run.
        connection.commit()
        if not taken:
            raise RetentionBusy()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": RUN_LOCK_ID})
            connection.commit()


def _lock_file(database: str | None) -> Path:
    """The lock file beside the SQLite database (in the instance folder for one in memory)."""
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(f"{database}.retention-lock")
    return Path(current_app.instance_path) / "retention.lock"


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive flock on path, not waiting for it (SQLite)."""
    import fcntl  # POSIX only, like the servers the app runs on

    path.parent.mkdir(parents=True, exist_ok=True)
    # The file stays: removing it while another run opens it would give two locks.
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RetentionBusy() from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
