"""What every part of `seed-scale` shares: a seeded random source and bulk inserts."""

import random
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from prog_tracker.extensions import db

# Rows per INSERT statement batch: big enough to be fast, small enough for memory.
CHUNK = 5000


class Seeding:
    """The state of one seeding run: random source, today, and rows written per table."""

    def __init__(self, seed: int, batch: int, today: date):
        # The batch is mixed in so an --append run never repeats earlier ids.
        self.rng = random.Random(f"prog-tracker-scale:{seed}:{batch}")
        self.batch = batch
        self.today = today
        self.written: Counter = Counter()
        self.password_hash = ""

    def new_id(self) -> str:
        """A UUID4-shaped id drawn from the seeded source (same seed, same ids)."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def at(self, day: date, hour: int | None = None) -> datetime:
        """An aware UTC time on day, at hour (or a random working hour)."""
        if hour is None:
            hour = self.rng.randint(7, 17)
        return datetime(day.year, day.month, day.day, hour, self.rng.randint(0, 59), tzinfo=UTC)

    def record(self, day: date, **fields) -> dict:
        """A row with id, created_at, updated_at and version filled in."""
        created = self.at(min(day, self.today))
        return {
            "id": self.new_id(),
            "created_at": created,
            "updated_at": created,
            "version": 1,
        } | fields

    def days_ago(self, low: int, high: int) -> date:
        """A day between high and low days before today."""
        return self.today - timedelta(days=self.rng.randint(low, high))

    def pick(self, weighted: dict):
        """One key of weighted, with probability proportional to its value."""
        keys = list(weighted)
        return self.rng.choices(keys, weights=[weighted[k] for k in keys])[0]

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.rng.random() < probability

    def insert(self, model_or_table, rows) -> int:
        """Bulk-insert rows (an iterable of dicts) in chunks through db.session."""
        table = getattr(model_or_table, "__table__", model_or_table)
        chunk: list[dict] = []
        total = 0
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                total += self._flush(table, chunk)
                chunk = []
        if chunk:
            total += self._flush(table, chunk)
        self.written[table.name] += total
        return total

    @staticmethod
    def _flush(table, chunk: list[dict]) -> int:
        """Run one executemany INSERT."""
        db.session.execute(insert(table), chunk)
        return len(chunk)


def clamp(day: date, low: date, high: date) -> date:
    """day, moved inside [low, high]."""
    return max(low, min(day, high))
