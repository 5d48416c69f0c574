"""seed-scale's bulk writes: executemany on SQLite, COPY on PostgreSQL, in db.session's transaction.

Going through the driver's own connection skips SQLAlchemy's per-value
processing, which cost more than the inserts themselves. The rows must then be
in the database's storage form already (see scale/base.py). During the load the
secondary indexes of the tables filled are dropped and built again at the end
(sorting once beats millions of random B-tree inserts); this is DDL inside the
same transaction, so a failed run rolls it back with the rows. Their
definitions are read from the database, not the models, so they come back
exactly as the migrations made them. Primary keys, unique constraints and
foreign keys stay; partial unique indexes are checked when they are rebuilt.

On SQLite, when the load runs in a transaction of its own (the command, not a
test's savepoint), it writes under a rollback journal rather than the
write-ahead log: pages new to the file are then written once instead of twice
(log, then checkpoint), which saves a third of the time at 100,000 people.
`scale.compact` turns the log back on after the commit (every new connection
does too).
"""

import sqlite3
from collections import Counter
from contextlib import contextmanager

from prog_tracker.extensions import db

# SQLite's page cache during the load (KiB): the primary-key indexes of the big
# tables, where random ids land anywhere, stay in memory.
SQLITE_CACHE_KIB = 1_048_576


class Writer:
    """Writes tuples to tables through the raw connection of db.session."""

    def __init__(self, written: Counter):
        self.connection = db.session.connection()
        dialect = self.connection.dialect
        self.sqlite = dialect.name == "sqlite"
        self.raw = self.connection.connection.driver_connection
        self.quote = dialect.identifier_preparer.quote
        self.written = written

    def insert(self, model_or_table, columns: tuple[str, ...], rows) -> int:
        """Write rows (an iterable of tuples in the order of columns); returns how many."""
        table = getattr(model_or_table, "__table__", model_or_table)
        unknown = set(columns) - set(table.columns.keys())
        if unknown:
            raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}")
        # Python-side defaults do not apply here: a required column must be given.
        required = {c.name for c in table.columns if not c.nullable and c.server_default is None}
        if required - set(columns):
            missing = ", ".join(sorted(required - set(columns)))
            raise ValueError(f"seed-scale writes no value for {table.name}.{missing}")
        names = ", ".join(self.quote(c) for c in columns)
        target = f"{self.quote(table.name)} ({names})"
        count = (
            self._executemany(target, len(columns), rows)
            if self.sqlite
            else self._copy(target, rows)
        )
        self.written[table.name] += count
        return count

    def _executemany(self, target: str, width: int, rows) -> int:
        """SQLite: one prepared INSERT run over the rows as the iterator yields them."""
        marks = ", ".join("?" * width)
        # Names come from the models' own metadata, quoted by the dialect.
        statement = f"INSERT INTO {target} VALUES ({marks})"  # noqa: S608 # nosec B608
        cursor = self.raw.executemany(statement, rows)
        return max(0, cursor.rowcount)

    def _copy(self, target: str, rows) -> int:
        """PostgreSQL (psycopg): COPY FROM STDIN, values sent as text."""
        count = 0
        with self.raw.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)
                count += 1
        return count

    @contextmanager
    def bulk_load(self, tables):
        """Drop the tables' secondary indexes (and on PostgreSQL their foreign keys) for
        the load and make them again after it (on SQLite also a rollback journal and a
        bigger page cache)."""
        names = [_table(table).name for table in tables]
        indexes = [index for name in names for index in self._secondary_indexes(name)]
        keys = [] if self.sqlite else [key for name in names for key in self._foreign_keys(name)]
        cache = None
        if self.sqlite:
            self._rollback_journal()
            cache = self._grow_cache()
        for table, name, _definition in keys:
            self.raw.execute(f"ALTER TABLE {self.quote(table)} DROP CONSTRAINT {self.quote(name)}")
        for name, _definition in indexes:
            self.raw.execute(f"DROP INDEX {self.quote(name)}")
        yield
        for _name, definition in indexes:
            self.raw.execute(definition)
        for table, name, definition in keys:
            self.raw.execute(
                f"ALTER TABLE {self.quote(table)} ADD CONSTRAINT {self.quote(name)} {definition}"
            )
        if cache is not None:
            self.raw.execute(f"PRAGMA cache_size={int(cache)}")

    def _foreign_keys(self, table: str) -> list[tuple[str, str, str]]:
        """PostgreSQL: (table, name, definition) of a table's foreign keys. Checked row by
        row they are triggers that cost more than the row itself; added back after the
        load, each is checked for all rows at once (and the load fails if one is broken)."""
        query = (
            "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = %s "
            "ORDER BY c.conname"
        )
        return list(self.raw.execute(query, (table,)).fetchall())

    def _secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        """(name, CREATE INDEX statement) of a table's indexes that back no constraint,
        read from the database itself so they come back exactly as they were."""
        if self.sqlite:
            query = (
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name"
            )
            return list(self.raw.execute(query, (table,)).fetchall())
        query = (
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_namespace n "
            "ON n.oid = c.connamespace WHERE n.nspname = i.schemaname "
            "AND c.conname = i.indexname) "
            "ORDER BY i.indexname"
        )
        return list(self.raw.execute(query, (table,)).fetchall())

    def _rollback_journal(self) -> None:
        """SQLite, in a transaction of our own that has only read so far: switch the
        database to a rollback journal for the load (a no-op if another connection
        holds it open, or in an enclosing transaction such as a test's)."""
        if self.connection.in_nested_transaction():
            return
        (timeout,) = self.raw.execute("PRAGMA busy_timeout").fetchone()
        self.raw.execute("COMMIT")
        try:
            self.raw.execute("PRAGMA busy_timeout=0")
            self.raw.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError:
            pass  # another connection has the database open: keep the log
        finally:
            self.raw.execute(f"PRAGMA busy_timeout={int(timeout)}")
            self.raw.execute("BEGIN IMMEDIATE")

    def _grow_cache(self) -> int:
        """Set SQLite's page cache for the load; returns the setting to restore."""
        (previous,) = self.raw.execute("PRAGMA cache_size").fetchone()
        self.raw.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        return previous


def _table(model_or_table):
    """The Table of a model or table."""
    return getattr(model_or_table, "__table__", model_or_table)
