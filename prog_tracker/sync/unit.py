"""One mutation, one unit: the record, its audit events and its ledger row, or nothing.

Each mutation runs in a SAVEPOINT: any failure undoes just that mutation and
the push goes on. The domain services commit when they are done, as the API
needs; inside a push their commit must wait, since the ledger row that makes
the mutation idempotent has to commit in the very same transaction as the
record. So while a service runs, the session's `commit` only flushes, and a
service's own `rollback` (after a failed flush) is noted and answered by
undoing the savepoint. A denial met while loading the mutation's records
commits for real, as everywhere (its `denied` event must stay); the
savepoint, committed with it, is then gone.

When to commit is the push's choice (`Commits`): on PostgreSQL after every
mutation, because a transaction that holds the audit chain's lock while it
waits for another worker's row could deadlock with it; on SQLite, whose one
writer at a time cannot deadlock, after a group of mutations, because each
commit waits for the disk.
"""

import time
from contextlib import contextmanager

from prog_tracker.extensions import db

# SQLite: commit after this many mutations, or once the write lock was held this long.
SQLITE_GROUP = 100
SQLITE_HOLD_SECONDS = 0.25


class RolledBack(Exception):
    """A service asked for a rollback without raising: the mutation did not happen."""


@contextmanager
def savepoint():
    """Run the block in a SAVEPOINT: undone if it raises, kept otherwise."""
    session = db.session()
    nested = session.begin_nested()
    try:
        yield
    except BaseException:
        if session.get_nested_transaction() is nested:
            nested.rollback()  # else a denial committed it, with its audit event
        raise
    if session.get_nested_transaction() is nested:
        nested.commit()


@contextmanager
def deferred_commits():
    """For the block, the session's commit only flushes; a rollback request undoes the unit."""
    session = db.session()
    asked_rollback = []
    # Instance attributes shadow the methods for the block; `finally` removes them.
    session.__dict__.update(commit=session.flush, rollback=lambda: asked_rollback.append(True))
    try:
        yield
    finally:
        for name in ("commit", "rollback"):
            session.__dict__.pop(name, None)
    if asked_rollback:
        raise RolledBack()


class Commits:
    """When a push commits the mutations it applied."""

    def __init__(self):
        postgres = db.session.get_bind().dialect.name == "postgresql"
        self.group = 1 if postgres else SQLITE_GROUP
        self.hold = 0.0 if postgres else SQLITE_HOLD_SECONDS
        self.pending = 0
        self.since = time.monotonic()

    def one_done(self) -> None:
        """Count a mutation; commit when the group is full or held long enough."""
        self.pending += 1
        if self.pending >= self.group or time.monotonic() - self.since >= self.hold:
            self.commit()

    def commit(self) -> None:
        """Commit what is pending."""
        db.session.commit()
        self.pending, self.since = 0, time.monotonic()
