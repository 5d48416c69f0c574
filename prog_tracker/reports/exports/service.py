"""Report exports (SPEC §7): the rows of a dataset for the people a caller sees, audited
before the first row leaves, as cells for CSV (csv_file.py) or XLSX (xlsx.py).

Pseudonymised exports (the default) carry a stable pseudonym, birth year and
sex for a person, never names, prison numbers, free text or certificate codes;
identified ones add those. Rows are read in batches (`yield_per`: a server-side
cursor on PostgreSQL), so a million of them never sit in memory at once.
"""

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from types import SimpleNamespace

from sqlalchemy import func, select

from prog_tracker.aftercare.models import NEED_CODES
from prog_tracker.core import audit, policy
from prog_tracker.core.dates import facility_zone
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.reports.exports.datasets import DATASETS, Dataset
from prog_tracker.reports.exports.pseudonyms import Pseudonyms

# Rows fetched per round trip: large enough to amortise it, small enough to stay light.
YIELD_PER = 2000
# Columns read for a column written from others, and those read for every export
# (the audit's ids, the summary's groups).
READ_FOR = {
    "person": ("participant_id",),
    "birth_year": ("date_of_birth",),
    "occurred_at": ("occurred_at", "_tz"),
    "waitlisted_on": ("waitlisted_at", "_tz"),
}
ALWAYS_READ = ("participant_id", "country", "facility", "trade", "sex")
# Characters XML 1.0 (so XLSX) cannot carry: C0 controls but tab, LF and CR, lone
# surrogates, U+FFFE and U+FFFF. Dropped from CSV too, so both files say the same.
UNSUPPORTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text a spreadsheet may run as a formula (CSV/XLSX injection): a tab or CR first, or a
# formula sign, full-width ones too (some locales take them), after any blanks (importers
# and LibreOffice may trim them) or invisible format characters (zero-width, bidi marks:
# nobody reading the note would see them before the sign).
FORMULA_START = re.compile(
    r"[\t\r]|[\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]"
)


@dataclass(frozen=True)
class Export:
    """One export request: the dataset, whether identified, and the scoped statement."""

    dataset: Dataset
    filters: object
    identified: bool
    statement: object

    @property
    def action(self) -> str:
        """The audit action of this export."""
        return "report.export_identified" if self.identified else "report.export"

    def header(self) -> list[str]:
        """The column names, in order."""
        return self.dataset.header(self.identified)

    def filename(self, extension: str) -> str:
        """A download name that says what the file holds."""
        kind = "-identified" if self.identified else ""
        period = f"{self.filters.start.isoformat()}-{self.filters.end.isoformat()}"
        return f"prog-tracker-{self.dataset.name}-{period}{kind}.{extension}"


def prepare_export(user, filters, dataset: str, identified: bool) -> Export:
    """The export asked for, its rows narrowed to the people the user sees.

    An identified export names people: only supervisors and admins have it, and,
    as for reading one person's record, they say why (403 reason_required).
    """
    if identified:
        policy.require(user, "report.export_identified")
        policy.reasons.require_reason(user)
    chosen = DATASETS[dataset]
    statement = _read_only_what_is_written(chosen.build(filters), chosen.header(identified))
    return Export(chosen, filters, identified, _in_scope(user, statement))


def _read_only_what_is_written(statement, header: list[str]):
    """The statement without the columns the export leaves out: a pseudonymised
    export never reads names, numbers or free text out of the database at all."""
    wanted = set(ALWAYS_READ)
    for name in header:
        wanted.update(READ_FOR.get(name, (name,)))
    kept = [column for column in statement.selected_columns if column.key in wanted]
    return statement.with_only_columns(*kept, maintain_column_froms=True)


def _in_scope(user, statement):
    """Least privilege: only rows of people the policy lets the user see."""
    people = policy.visible_participants(user)
    if people.whereclause is None:
        return statement  # everyone (an admin): an IN over every id would only cost time
    return statement.where(Participant.id.in_(people.with_only_columns(Participant.id)))


def count_rows(export: Export) -> int:
    """How many rows the export holds."""
    rows = export.statement.subquery()
    return db.session.scalar(select(func.count()).select_from(rows))


def participant_ids(export: Export) -> list[str]:
    """The distinct ids of the people in the export's rows."""
    ids = export.statement.with_only_columns(Participant.id).distinct()
    return sorted(db.session.scalars(ids))


def audit_export(user, export: Export) -> frozenset[str]:
    """Record one event naming everyone in the export, commit it, and return those ids."""
    ids = participant_ids(export)
    audit.record(
        export.action, "participant", ids, actor_id=user.id, reason_code=audit.access_reason()
    )
    db.session.commit()
    return frozenset(ids)


def export_rows(export: Export, audited: frozenset[str]) -> Iterator[list]:
    """The export's rows as typed cells (dates, booleans, numbers, text), in header order.

    Rows of people not in `audited` are left out: the rows are read in a later
    transaction than the audited ids, and nobody may leave unaccounted for.
    """
    # Core execution on the session's connection: the rows are plain tuples, and the ORM's
    # per-row bookkeeping would double the time of a million of them.
    connection = db.session.connection()
    result = connection.execute(export.statement, execution_options={"yield_per": YIELD_PER})
    try:
        positions = {name: index for index, name in enumerate(result.keys())}
        cells = _getters(export.header(), positions, export.identified)
        person = positions["participant_id"]
        for row in result:
            if row[person] in audited:
                yield [cell(row) for cell in cells]
    finally:
        result.close()


# What a need outside the forms' list becomes in a pseudonymised export.
OTHER_NEED = "other"


def _getters(header: list[str], positions: dict, identified: bool) -> list:
    """One function per column that reads its cell from a result row."""
    pseudonyms = Pseudonyms()
    person, born, zone = (
        positions["participant_id"],
        positions.get("date_of_birth"),
        positions.get("_tz"),
    )
    special = {
        "person": lambda row: pseudonyms(row[person]),
        "birth_year": lambda row: row[born].year if row[born] else None,
        "needs": lambda row: _needs(row[positions["needs"]], identified),
        "occurred_at": lambda row: _local_time(row[positions["occurred_at"]], row[zone]),
        "waitlisted_on": lambda row: _local_day(row[positions["waitlisted_at"]], row[zone]),
    }
    return [special.get(name) or itemgetter(positions[name]) for name in header]


def _needs(stored, identified: bool) -> str:
    """The needs of a contact as one cell: "housing; work".

    The forms offer a fixed list; the API takes any short string. Pseudonymised
    exports carry no free text, so a need outside the list shows as "other".
    """
    if isinstance(stored, str):
        # SQLite hands the JSON over as text; most contacts raise no need ("[]").
        stored = json.loads(stored) if stored != "[]" else ()
    needs = [str(need) for need in stored or ()]
    if not identified:
        needs = [need if need in NEED_CODES else OTHER_NEED for need in needs]
    return "; ".join(needs)


@lru_cache(maxsize=64)
def _zone(name: str | None):
    """A time zone by name (UTC for none or an unknown one), looked up once."""
    return facility_zone(SimpleNamespace(timezone=name))


def _local_time(moment: dt.datetime | None, zone: str | None) -> str | None:
    """A timestamp as the facility's local time with its UTC offset (ISO 8601)."""
    if moment is None:
        return None
    return moment.astimezone(_zone(zone)).isoformat(timespec="seconds")


def _local_day(moment: dt.datetime | None, zone: str | None) -> dt.date | None:
    """A timestamp's date at the facility."""
    return moment.astimezone(_zone(zone)).date() if moment is not None else None


def defuse(text: str) -> str:
    """Text a spreadsheet can hold and will show as text, never run as a formula."""
    if text[:1].isalnum() and text.isprintable():
        return text  # most cells: nothing to drop, no sign first; no regex for a million rows
    # Drop first, then look: "\x01=…" must not hide a formula the drop would uncover.
    text = UNSUPPORTED.sub("", text)
    return "'" + text if FORMULA_START.match(text) else text
