"""Engine set-up that SQLite needs to behave like a real transactional database.

Transactions that may write begin with BEGIN IMMEDIATE, taking SQLite's one
write lock up front: a read-then-write transaction then waits its turn
(busy_timeout) instead of failing with "database is locked" when another
process wrote in between. Requests that only read (GET, HEAD, OPTIONS) begin a
plain deferred transaction instead, so the workers serve reads side by side.
When such a request writes after all (an audit event, a session's last-seen
time), its read transaction ends and a write transaction begins: the rows read
stay loaded, and the write sees everything committed meanwhile, as it would
under PostgreSQL's READ COMMITTED. Code that reads before it writes and needs
the two in one locked transaction (the audit chain) calls `claim_write_lock`
first.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event

from prog_tracker.core.collation import register_collations

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# connection.info key: True while the transaction began deferred and has not written.
DEFERRED = "prog_tracker.deferred"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Set by work that only reads outside a request (a report's worker threads).
_READ_ONLY: ContextVar[bool] = ContextVar("prog_tracker_read_only", default=False)


def configure_engine(engine) -> None:
    """On SQLite: real BEGIN/SAVEPOINT, foreign keys on, WAL for several readers, and
    the names' collations that PostgreSQL has built in."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "savepoint", _on_savepoint)
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)


def _on_connect(dbapi_connection, _record) -> None:
    """Per connection: we emit BEGIN ourselves (pysqlite's handling breaks SAVEPOINT)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    register_collations(dbapi_connection)


@contextmanager
def reading_only():
    """Mark work in this thread as read-only: its transactions begin deferred, so
    several readers run side by side (a write would still take the lock)."""
    token = _READ_ONLY.set(True)
    try:
        yield
    finally:
        _READ_ONLY.reset(token)


def _reading() -> bool:
    """True inside a request whose method only reads, or inside reading_only()."""
    if _READ_ONLY.get():
        return True
    return has_request_context() and request.method in READ_METHODS


def _on_begin(connection) -> None:
    """BEGIN for read-only requests, BEGIN IMMEDIATE for everything else."""
    deferred = _reading()
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")
    connection.info[DEFERRED] = deferred


def _on_savepoint(connection, _name) -> None:
    """A savepoint guards a write: take the write lock before it."""
    if connection.info.get(DEFERRED):
        _switch_to_writing(connection, connection.exec_driver_sql)


def _before_cursor_execute(connection, cursor, statement, _parameters, _context, _many):
    """The first write of a deferred transaction: switch to a write transaction first."""
    if connection.info.get(DEFERRED) and statement.lstrip()[:7].upper().startswith(WRITES):
        _switch_to_writing(connection, cursor.execute)


def _switch_to_writing(connection, execute) -> None:
    """End the read transaction and begin a write one, waiting for the write lock.

    Upgrading in place is not safe on SQLite: a read transaction that another
    process wrote after fails at once with SQLITE_BUSY, whatever the timeout.
    """
    connection.info[DEFERRED] = False
    execute("COMMIT")
    execute("BEGIN IMMEDIATE")


def claim_write_lock(session) -> None:
    """Make the session's transaction a write transaction now (before a read that a
    later write depends on); a no-op on PostgreSQL and in write transactions."""
    connection = session.connection()
    if connection.info.get(DEFERRED):
        _switch_to_writing(connection, connection.exec_driver_sql)
