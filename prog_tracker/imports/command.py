"""`prog-tracker import participants`: the import service with a progress bar and a summary."""

import contextlib
import sys
from pathlib import Path

import click

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.imports.services import ImportResult, import_participants

# Exit codes (SPEC §12).
ALL_APPLIED, SOME_REFUSED, UNREADABLE = 0, 1, 2
SHOWN_PROBLEMS = 50


def run_import(path: Path, facility_id: str | None, dry_run: bool, echo) -> int:
    """Import path's rows as the system actor; print a summary; return the exit code."""
    data = path.read_bytes()
    try:
        result = _with_progress(data, facility_id, dry_run)
    except ApiError as err:
        echo(f"{path.name}: {err.message}", err=True)
        return UNREADABLE
    _summary(result, echo)
    return SOME_REFUSED if result.refused else ALL_APPLIED


def _with_progress(data: bytes, facility_id, dry_run: bool) -> ImportResult:
    """Run the import, with a progress bar on a terminal only."""
    actor = policy.SystemActor()
    if not sys.stderr.isatty():
        return import_participants(actor, data, facility_id, dry_run)
    with contextlib.ExitStack() as stack:
        bars: list = []

        def advance(count: int, total: int) -> None:
            # The total is known once the file is read: the bar starts with the first batch.
            if not bars:
                bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
                bars.append(stack.enter_context(bar))
            bars[0].update(count)

        return import_participants(actor, data, facility_id, dry_run, progress=advance)


def _summary(result: ImportResult, echo) -> None:
    """Counts, then the first refused rows (row, column, code: message)."""
    counts = result.counts()
    head = "Dry run (nothing written)" if result.dry_run else "Imported"
    echo(f"{head}: " + ", ".join(f"{name} {value}" for name, value in counts.items()))
    if result.ignored_columns:
        echo("Columns ignored: " + ", ".join(result.ignored_columns))
    for error in result.errors[:SHOWN_PROBLEMS]:
        echo(f"row {error['row']} {error['field'] or '-'} {error['code']}: {error['message']}")
    for duplicate in result.duplicates[:SHOWN_PROBLEMS]:
        echo(
            f"row {duplicate['row']} likely_duplicate of {duplicate['participant_id']} "
            f"(score {duplicate['score']})"
        )
    hidden = len(result.errors) + len(result.duplicates) - 2 * SHOWN_PROBLEMS
    if hidden > 0:
        echo(f"... and more refused rows ({result.refused} in all).")
