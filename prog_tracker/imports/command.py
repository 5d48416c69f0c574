"""`prog-tracker import participants`: the import service with a progress bar and a summary.

The domain's modules load when the command runs, not when `prog-tracker` starts.
"""

import contextlib
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

# Exit codes (SPEC §12).
ALL_APPLIED, SOME_REFUSED, UNREADABLE = 0, 1, 2
SHOWN_PROBLEMS = 50


@click.group("import")
def import_group():
    """Import records from registers and spreadsheets."""


@import_group.command("participants")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--facility-id", help="The facility of rows without a facility_id column.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@with_appcontext
def import_participants_command(file, facility_id, dry_run):
    """Import participants from a CSV (UTF-8) or XLSX register, as the system.

    Exit 0 when every row was applied, 1 when some were refused (errors or likely
    duplicates), 2 when the file could not be read or taken at all.
    """
    raise click.exceptions.Exit(run_import(Path(file), facility_id, dry_run, click.echo))


def run_import(path: Path, facility_id: str | None, dry_run: bool, echo) -> int:
    """Import path's rows as the system actor; print a summary; return the exit code."""
    from prog_tracker.core.errors import ApiError

    data = path.read_bytes()
    try:
        result = _with_progress(data, facility_id, dry_run)
    except ApiError as err:
        echo(f"{path.name}: {err.message}", err=True)
        return UNREADABLE
    _summary(result, echo)
    return SOME_REFUSED if result.refused else ALL_APPLIED


def _with_progress(data: bytes, facility_id, dry_run: bool):
    """Run the import, with a progress bar on a terminal only."""
    from prog_tracker.core import policy
    from prog_tracker.imports.services import import_participants

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


def _summary(result, echo) -> None:
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
