"""What a merge changed, kept so that its undo restores every row exactly.

The merge writes through a `Recorder` with plain statements: each row it
updates is kept once with the values its touched columns had before and hold
after (a row touched twice keeps its first "before"), and each row it deletes
is kept whole. Undo puts a column back only where it still holds what the merge
wrote, so a change made since (an edit, a later recording) is not lost; the
version and `updated_at` go back too when the row is otherwise as the merge
left it, and move on (version + 1) when it changed since, so optimistic locks
and sync tags see a change.
"""

import base64
import datetime as dt

from sqlalchemy import Date, DateTime, LargeBinary, delete, insert, select, update

from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db

BUMPED = ("version", "updated_at")


def encode(value):
    """A column value as JSON holds it (dates in ISO 8601, bytes in base64)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def decode(column, value):
    """A value of `encode` back as the column's Python type."""
    if value is None:
        return None
    kind = getattr(column.type, "impl", column.type)
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value


def table(name: str):
    """The table of that name in the application's metadata."""
    return db.metadata.tables[name]


class Recorder:
    """Plain writes to one person's rows, each kept for the undo."""

    def __init__(self):
        self.changed: dict = {}  # (table, id) -> {"t", "id", "b", "a"}
        self.deleted: list = []  # {"t", "row"} in the order deleted

    def update(self, name: str, row_id: str, values: dict) -> None:
        """Set values on one row (its version and updated_at move on where it has them)."""
        tab = table(name)
        bumped = [c for c in BUMPED if c in tab.c]
        columns = [*values, *(c for c in bumped if c not in values)]
        before = (
            db.session.execute(select(*(tab.c[c] for c in columns)).where(tab.c.id == row_id))
            .one()
            ._asdict()
        )
        after = dict(values)
        if "version" in bumped:
            after["version"] = before["version"] + 1
        if "updated_at" in bumped:
            after["updated_at"] = utcnow()
        db.session.execute(update(tab).where(tab.c.id == row_id).values(after))
        entry = self.changed.setdefault((name, row_id), {"t": name, "id": row_id, "b": {}, "a": {}})
        for column in columns:
            entry["b"].setdefault(column, encode(before[column]))
            entry["a"][column] = encode(after[column])

    def observe(self, name: str, row_id: str, column: str, before, after) -> None:
        """Keep a change made some other way (an ORM flush): encoded values."""
        entry = self.changed.setdefault((name, row_id), {"t": name, "id": row_id, "b": {}, "a": {}})
        entry["b"].setdefault(column, before)
        entry["a"][column] = after

    def delete(self, name: str, row_id: str) -> None:
        """Delete one row, and first the rows that refer to it (kept whole, in order)."""
        for child, column in referring(name):
            ids = db.session.scalars(
                select(table(child).c.id).where(table(child).c[column] == row_id)
            )
            for child_id in list(ids):
                self.delete(child, child_id)
        tab = table(name)
        row = db.session.execute(select(tab).where(tab.c.id == row_id)).one()._asdict()
        db.session.execute(delete(tab).where(tab.c.id == row_id))
        self.deleted.append({"t": name, "row": {k: encode(v) for k, v in row.items()}})

    def snapshot(self) -> dict:
        """What undo needs, as JSON."""
        return {"format": 1, "changed": list(self.changed.values()), "deleted": self.deleted}


def referring(name: str) -> list[tuple[str, str]]:
    """(table, column) of the foreign keys that point at a table's rows."""
    return sorted(
        (tab.name, key.parent.name)
        for tab in db.metadata.tables.values()
        for key in tab.foreign_keys
        if key.column.table.name == name
    )


def restore(snapshot: dict) -> None:
    """Undo what a snapshot records: changed rows last first (a referral moves back
    before the one closed in its favour reopens), then the deleted rows back."""
    for entry in reversed(snapshot["changed"]):
        _put_back(entry)
    for entry in reversed(snapshot["deleted"]):
        tab = table(entry["t"])
        row = {k: decode(tab.c[k], v) for k, v in entry["row"].items()}
        db.session.execute(insert(tab).values(row))


def _put_back(entry: dict) -> None:
    """Restore one changed row's columns that still hold what the merge wrote."""
    tab = table(entry["t"])
    columns = list(entry["a"])
    found = db.session.execute(
        select(*(tab.c[c] for c in columns)).where(tab.c.id == entry["id"])
    ).first()
    if found is None:
        return  # deleted since: nothing to put back
    now = found._asdict()
    after = {c: decode(tab.c[c], v) for c, v in entry["a"].items()}
    before = {c: decode(tab.c[c], v) for c, v in entry["b"].items()}
    values = {c: before[c] for c in columns if c not in BUMPED and now[c] == after[c]}
    untouched = all(now[c] == after[c] for c in columns if c in BUMPED)
    if untouched:
        values.update({c: before[c] for c in columns if c in BUMPED})
    elif "version" in columns:
        values.update(version=now["version"] + 1, updated_at=utcnow())
    if values:
        db.session.execute(update(tab).where(tab.c.id == entry["id"]).values(values))
