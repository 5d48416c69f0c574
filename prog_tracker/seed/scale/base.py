"""What every part of `seed-scale` shares: a seeded random source, cheap values, bulk writes.

Rows are plain tuples already in the form the database stores: days as ISO
strings, times as naive UTC "YYYY-MM-DD HH:MM:SS.ffffff" (what `UTCDateTime`
writes), JSON as text, booleans as bool. Days are handled as ordinals (ints)
while generating: date arithmetic and formatting are the slowest part of
building millions of rows, and an ordinal's string is formatted once and cached.
"""

import random
from collections import Counter
from datetime import date

# "HH:MM:00.000000" for every minute of a day, prefixed with the space of the timestamp.
TIMES = tuple(f" {m // 60:02d}:{m % 60:02d}:00.000000" for m in range(24 * 60))
# Working hours, 07:00 to 17:59, for records written by staff.
FIRST_MINUTE, WORKING_MINUTES = 7 * 60, 11 * 60
# The UUID variant nibble (8, 9, a or b) for any random hex digit.
VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}
ID_BATCH = 4096


class Seeding:
    """The state of one seeding run: random source, today, and rows written per table."""

    def __init__(self, seed: int, batch: int, today: date):
        # The batch is mixed in so an --append run never repeats earlier ids.
        self.rng = random.Random(f"prog-tracker-scale:{seed}:{batch}")  # nosec B311 # test data
        self.random = self.rng.random
        self.batch = batch
        self.today = today.toordinal()
        self.written: Counter = Counter()
        self.password_hash = ""  # nosec B105 # filled in later, not a password
        self._ids: list[str] = []
        self._days: dict[int, str] = {}
        self.writer = None  # a scale.write.Writer, set by the caller
        # The app's configured release plan template (kind -> days before release) and
        # follow-up schedule ((days after release, ± window days), …), set by the caller.
        self.plan_template: dict[str, int] = {}
        self.follow_ups: list[tuple[int, int]] = []

    def insert(self, table, columns: tuple[str, ...], rows) -> int:
        """Bulk-write rows (tuples in the order of columns) to a table."""
        return self.writer.insert(table, columns, rows)

    def ids(self, count: int) -> list[str]:
        """count UUID4-shaped ids drawn from the seeded source (same seed, same ids)."""
        h = self.rng.randbytes(16 * count).hex()
        return [
            f"{h[i : i + 8]}-{h[i + 8 : i + 12]}-4{h[i + 13 : i + 16]}-"
            f"{VARIANT[h[i + 16]]}{h[i + 17 : i + 20]}-{h[i + 20 : i + 32]}"
            for i in range(0, 32 * count, 32)
        ]

    def new_id(self) -> str:
        """One id (taken from a batch drawn ahead)."""
        if not self._ids:
            self._ids = self.ids(ID_BATCH)
        return self._ids.pop()

    def day(self, ordinal: int) -> str:
        """The ISO string of a day given as an ordinal."""
        text = self._days.get(ordinal)
        if text is None:
            text = self._days[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def stamp(self, ordinal: int, minute: int | None = None) -> str:
        """A UTC time on a day: at minute of the day, or a random one in working hours."""
        if minute is None:
            minute = FIRST_MINUTE + int(self.random() * WORKING_MINUTES)
        return self.day(ordinal) + TIMES[minute]

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + int(self.random() * (high - low + 1))

    def days_ago(self, low: int, high: int) -> int:
        """A day between high and low days before today."""
        return self.today - self.between(low, high)

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.random() < probability

    def pick(self, items):
        """One item of a sequence (such as a `bag`), all equally likely (quicker than
        random.choice, which draws bits until they fit)."""
        return items[int(self.random() * len(items))]

    def meta(self, ordinal: int) -> tuple:
        """id, created_at, updated_at and version of a record first written on a day."""
        written = self.stamp(min(ordinal, self.today))
        return (self.new_id(), written, written, 1)


def bag(weighted: dict) -> tuple:
    """A tuple holding each key as many times as its weight: `Seeding.pick` draws from it."""
    return tuple(key for key, weight in weighted.items() for _ in range(weight))


def clamp(day: int, low: int, high: int) -> int:
    """day, moved inside [low, high]."""
    return max(low, min(day, high))


RECORD = ("id", "created_at", "updated_at", "version")
# The names per language of a trade, skill, qualification, cohort or organisation (a
# JSON map): synthetic reference data keeps its one default name.
NO_TRANSLATIONS = "{}"
