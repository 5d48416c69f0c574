"""Engine set-up that SQLite needs to behave like a real transactional database."""

from sqlalchemy import event


def configure_engine(engine) -> None:
    """On SQLite: real BEGIN IMMEDIATE/SAVEPOINT, foreign keys on, WAL for several readers."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling breaks SAVEPOINT; we emit BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE takes the write lock up front: a read-then-write transaction
        # then waits its turn (busy_timeout) instead of failing with "database
        # is locked" when another process wrote in between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
