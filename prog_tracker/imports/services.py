"""Importing participants from a register (SPEC §12): read, check each row, apply.

A person is matched on facility + prison number: a known person gets the file's
non-blank values that differ (never a blank over a value), a new person is
created through the participants service (audit, search columns and match keys
as for any other registration) unless the matcher finds them likely to be
someone already registered: such rows are listed under `duplicates`, unapplied.
Each row runs in a savepoint (a refused row undoes only itself), the services'
commits deferred, and the rows are committed in batches of BATCH rows. A dry run
does the very same and rolls each batch back.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import tuple_
from sqlalchemy.exc import IntegrityError

from prog_tracker.core import audit, policy
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.extensions import db
from prog_tracker.imports import columns, rows
from prog_tracker.imports.reading import read_sheet, too_large
from prog_tracker.participants import services as participants
from prog_tracker.participants.models import Participant
from prog_tracker.sync.unit import RolledBack, deferred_commits, savepoint

BATCH = 500
COUNTS = ("rows", "created", "updated", "unchanged", "errors", "duplicates")


@dataclass
class ImportResult:
    """What an import did (or, dry, would do), row by row where rows were refused."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def refused(self) -> int:
        """How many rows were left unapplied (errors and likely duplicates)."""
        return len({e["row"] for e in self.errors}) + len(self.duplicates)

    def counts(self) -> dict:
        """The counts alone (the audit event's and the summary's)."""
        values = {**self.__dict__, "errors": len(self.errors), "duplicates": len(self.duplicates)}
        return {name: values[name] for name in COUNTS}

    def refuse(self, number: int, problems: list) -> None:
        """Record a row's problems [(field, code, message)]."""
        for name, code, message in problems:
            self.errors.append(
                {"row": number, "field": name, "code": code, "message": str(message)}
            )


def import_participants(
    actor,
    data: bytes,
    facility_id: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a register's rows as participants; 403/413/422 for a file refused whole."""
    default_facility = policy.import_facility(actor, facility_id)
    max_bytes = current_app.config["IMPORT_MAX_BYTES"]
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    sheet = read_sheet(data, current_app.config["IMPORT_MAX_ROWS"])
    layout = _layout(sheet.header, needs_facility=default_facility is None)
    result = ImportResult(rows=len(sheet.rows), ignored_columns=layout.ignored, dry_run=dry_run)
    run = _Run(actor, result, layout, default_facility, dry_run)
    for start in range(0, len(sheet.rows), BATCH):
        batch = sheet.rows[start : start + BATCH]
        run.apply_batch(batch)
        if progress is not None:
            progress(len(batch), len(sheet.rows))
    if sheet.stopped_at is not None:
        result.refuse(sheet.stopped_at, [(None, "too_many_rows", _too_many_rows())])
    _audit(actor, result, run.facilities)
    return result


def _too_many_rows():
    """Why reading stopped early."""
    return _l(
        "Only the first %(count)s rows were read; import the rest as another file.",
        count=current_app.config["IMPORT_MAX_ROWS"],
    )


def _layout(header: list, needs_facility: bool) -> columns.Layout:
    """The header's layout; 422 missing_columns naming the required columns it lacks."""
    layout = columns.read_header(header)
    required = columns.REQUIRED + (("facility_id",) if needs_facility else ())
    missing = layout.missing(required)
    if missing:
        raise ApiError(
            422,
            "missing_columns",
            _l("The header row lacks these columns: %(names)s.", names=", ".join(missing)),
            extra={"missing": missing},
        )
    return layout


def _audit(actor, result: ImportResult, facility_ids: set) -> None:
    """One event per import: the facilities and the counts, no names; committed."""
    action = "participant.import_check" if result.dry_run else "participant.import"
    counts = [f"{name}:{value}" for name, value in result.counts().items()]
    audit.record(action, "facility", [*sorted(facility_ids), *counts], actor_id=actor.id)
    db.session.commit()


class _Run:
    """One import's state across its batches."""

    def __init__(self, actor, result: ImportResult, layout, default_facility, dry_run: bool):
        self.actor, self.result, self.layout = actor, result, layout
        self.default_facility, self.dry_run = default_facility, dry_run
        self.allowed = policy.import_facilities(actor)
        self.seen: set = set()  # (facility, prison number) met earlier in the file
        self.facilities: set = set()

    def apply_batch(self, batch: list) -> None:
        """Check and apply one batch of rows, then commit it (roll it back when dry)."""
        checked = [(number, self.check(number, values)) for number, values in batch]
        known = self.known_people([data for _number, data in checked if data])
        for number, data in checked:
            if data is not None:
                self.apply(number, data, known.get((data["facility_id"], data["prison_number"])))
        if self.dry_run:
            db.session.rollback()
        else:
            db.session.commit()

    def check(self, number: int, values: list) -> dict | None:
        """The row's converted cells with its facility, or None when refused."""
        try:
            data = rows.convert(rows.cells_of(values, self.layout.positions))
            data["facility_id"] = self.facility_of(data)
            if not data.get("prison_number"):
                raise rows.RowError([("prison_number", "required", _l("Required."))])
        except rows.RowError as err:
            self.result.refuse(number, err.problems)
            return None
        key = (data["facility_id"], data["prison_number"])
        if key in self.seen:
            problem = _l("This prison number is on an earlier row of the file.")
            self.result.refuse(number, [("prison_number", "repeated_in_file", problem)])
            return None
        self.seen.add(key)
        return data

    def facility_of(self, data: dict) -> str:
        """The row's facility: its own column, else the import's; one the actor may use."""
        facility = data.get("facility_id") or self.default_facility
        if not facility:
            raise rows.RowError([("facility_id", "required", _l("Required."))])
        if facility not in self.allowed:
            message = _l("Choose a facility you work for.")
            raise rows.RowError([("facility_id", "forbidden_facility", message)])
        return facility

    def known_people(self, batch: list) -> dict:
        """The people already registered under the batch's facility + prison numbers."""
        keys = [(data["facility_id"], data["prison_number"]) for data in batch]
        if not keys:
            return {}
        query = policy.visible_participants(self.actor).where(
            tuple_(Participant.facility_id, Participant.prison_number).in_(keys)
        )
        return {(p.facility_id, p.prison_number): p for p in db.session.scalars(query)}

    def apply(self, number: int, data: dict, person: Participant | None) -> None:
        """Update a known person or create a new one, refusing the row on any error."""
        try:
            with savepoint(), deferred_commits():
                if person is None:
                    self.create(number, data)
                else:
                    self.update(person, data)
        except rows.RowError as err:
            self.result.refuse(number, err.problems)
        except ApiError as err:
            self.result.refuse(number, _problems_of(err))
        except (RolledBack, IntegrityError):
            message = _l("Someone changed this record at the same time.")
            self.result.refuse(number, [(None, "conflict", message)])
        else:
            self.facilities.add(data["facility_id"])

    def create(self, number: int, data: dict) -> None:
        """Register a new person unless they look like someone already registered."""
        from prog_tracker.participants import matching

        loaded = rows.load_new(data)
        matches = matching.likely_duplicates(self.actor, loaded, loaded["facility_id"])
        if matches:
            best = matches[0]
            self.result.duplicates.append(
                {"row": number, "participant_id": best.participant_id, "score": best.score}
            )
            return
        participants.create_participant(self.actor, loaded)
        self.result.created += 1

    def update(self, person: Participant, data: dict) -> None:
        """Give a known person the row's values that differ (blanks never overwrite)."""
        loaded = rows.load_changes({k: v for k, v in data.items() if k != "facility_id"})
        changes = {
            name: value
            for name, value in loaded.items()
            if value is not None and getattr(person, name) != value
        }
        if not changes:
            self.result.unchanged += 1
            return
        if "expected_release_date" in changes and person.expected_release_date is not None:
            changes["reason"] = str(_l("Changed by an imported register."))
        participants.update_participant(self.actor, person, changes)
        self.result.updated += 1


def _problems_of(err: ApiError) -> list:
    """A service's refusal as row problems: one per field, else the whole row's."""
    if not err.fields:
        return [(None, err.code, str(err.message))]
    code = "invalid" if err.code == "validation_error" else err.code
    return [
        (name, code, messages[0] if messages else str(err.message))
        for name, messages in normalize_fields(err.fields).items()
    ]
