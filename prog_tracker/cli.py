"""The `prog-tracker` command line (SPEC §8)."""

import contextlib
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from prog_tracker.imports.command import import_group


def _create_app():
    """App factory used by every command."""
    from prog_tracker import create_app

    return create_app()


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False
)
def main():
    """prog-tracker: prison vocational and reintegration programme tracker."""
    # The database file, keys and exports hold personal data: owner-only files.
    os.umask(0o077)


# The random keys `init` makes in the instance folder unless the environment sets them.
KEY_FILES = (("secret_key", "SECRET_KEY"), ("audit_key", "AUDIT_KEY"), ("mfa_key", "MFA_KEY"))


@main.command("init", with_appcontext=False)
def init_command():
    """Create or upgrade the database; create the instance folder and keys."""
    from prog_tracker.config import ensure_key_file, instance_path_from_env

    instance = Path(instance_path_from_env() or _default_instance_path())
    instance.mkdir(parents=True, exist_ok=True)
    instance.chmod(0o700)
    for name, env in KEY_FILES:
        if not os.environ.get("PROG_TRACKER_" + env) and ensure_key_file(instance / name):
            click.echo(f"Created {instance / name} (mode 600).")
    _ensure_vapid_key(instance)
    _upgrade_database()


def _ensure_vapid_key(instance: Path) -> None:
    """The Web Push key pair, unless PROG_TRACKER_VAPID_PRIVATE_KEY provides one."""
    from prog_tracker.notifications.keys import KEY_FILE, ensure_vapid_key_file

    if not os.environ.get("PROG_TRACKER_VAPID_PRIVATE_KEY") and ensure_vapid_key_file(instance):
        click.echo(f"Created {instance / KEY_FILE} (mode 600).")


def _default_instance_path() -> str:
    """Flask's default instance folder for this package."""
    from flask import Flask

    return Flask("prog_tracker").instance_path


def _upgrade_database() -> None:
    """Run the migrations up to the latest one."""
    from flask_migrate import upgrade

    from prog_tracker import create_app

    app = create_app()
    with app.app_context():
        upgrade()
        click.echo("Database is at the latest migration.")


@main.command("create-user")
@click.option("--username", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "supervisor", "officer", "instructor", "caseworker"]),
)
@click.option("--facility-id")
@click.option("--organisation-id")
@click.option("--country")
@click.option("--display-name")
@with_appcontext
def create_user_command(username, role, facility_id, organisation_id, country, display_name):
    """Create a user; the password is read from standard input."""
    from prog_tracker.auth.admin_services import create_user
    from prog_tracker.auth.schemas import UserCreateSchema
    from prog_tracker.core.errors import ApiError, normalize_fields
    from prog_tracker.core.forms import load_form

    password = sys.stdin.readline().rstrip("\r\n")
    data = {
        "username": username,
        "role": role,
        "display_name": display_name or username,
        "password": password,
        "facility_id": facility_id,
        "organisation_id": organisation_id,
        "country": country,
    }
    try:
        # The same schema as POST /users: the CLI gets no weaker checks.
        user = create_user(None, load_form(UserCreateSchema(), data))
    except ApiError as err:
        for field, problems in normalize_fields(err.fields or {}).items():
            click.echo(f"{field}: {' '.join(problems)}", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(f"Created {user.role} {user.username} ({user.id}).")


@main.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes. Default: 2 when PROG_TRACKER_REDIS_URL is set, else 1.",
)
def serve_command(host, port, workers):
    """Serve the app with gunicorn (production WSGI server)."""
    from prog_tracker.server import UnsharedLimits, default_workers, run_gunicorn

    app = _create_app()
    if workers is None:
        workers = default_workers(app)
        if workers == 1:
            click.echo("Serving with 1 worker: set PROG_TRACKER_REDIS_URL to run more.", err=True)
    try:
        run_gunicorn(app, host, port, workers)
    except UnsharedLimits as err:
        click.echo(f"Refusing to start: {err}", err=True)
        raise click.exceptions.Exit(2) from None


@main.command("demo", with_appcontext=False)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--mfa", is_flag=True, help="Require two-step sign-in for admin and supervisor.")
@click.option("--no-serve", is_flag=True, help="Build the demo database and exit.")
def demo_command(port, host, mfa, no_serve):
    """A fresh demo database with realistic data, its sign-ins, then serve."""
    from prog_tracker.seed.demo import build_demo
    from prog_tracker.server import run_gunicorn

    app = build_demo(mfa=mfa, echo=click.echo)
    if not no_serve:
        click.echo(f"Serving the demo on http://{host}:{port}/ (Ctrl+C stops it).")
        run_gunicorn(app, host, port, 1)


@main.group("audit")
def audit_group():
    """Audit trail commands."""


@audit_group.command("verify")
@with_appcontext
def audit_verify_command():
    """Exit 0 when the audit chain is intact, 1 naming the first broken event, 2 when
    it could not be checked (database unreachable); one line for the scheduler's log.

    The head of an intact chain is kept in the instance folder (audit_anchor),
    so a later verify also notices events deleted from the end of the trail.
    """
    from sqlalchemy.exc import SQLAlchemyError

    try:
        _verify_audit_chain()
    except SQLAlchemyError as err:
        # Not "broken": a scheduler must tell tampering from an outage.
        click.echo(
            f"Audit chain not checked: the database failed ({type(err).__name__}).", err=True
        )
        raise click.exceptions.Exit(2) from None


def _verify_audit_chain() -> None:
    """Walk the chain and check the anchor; exit 1 at the first broken event."""
    from prog_tracker.core import audit

    checked, broken = audit.verify_chain(current_app.config["AUDIT_KEY"])
    if broken is not None:
        click.echo(
            f"Audit chain broken at event {broken} (after {checked} intact events).", err=True
        )
        raise click.exceptions.Exit(1)
    anchor_path = Path(current_app.instance_path) / "audit_anchor"
    missing = audit.check_anchor(audit.read_anchor(anchor_path))
    if missing is not None:
        click.echo(
            f"Audit chain broken at event {missing}: it was verified before and is now "
            "missing or changed (events deleted from the end of the trail).",
            err=True,
        )
        raise click.exceptions.Exit(1)
    head = audit.chain_head()
    if head is not None:
        try:
            audit.write_anchor(anchor_path, head)
        except OSError:
            click.echo(f"Could not update {anchor_path}; run verify as the app's user.", err=True)
    click.echo(f"Audit chain intact: {checked} events checked.")


@main.group("retention")
def retention_group():
    """Retention schedule commands (docs/retention.md)."""


@retention_group.command("apply")
@click.option("--dry-run", is_flag=True, help="Count what would change; change nothing.")
@with_appcontext
def retention_apply_command(dry_run):
    """Anonymise and delete what the retention schedule says is due; print counts only."""
    from prog_tracker.privacy.retention import apply_retention
    from prog_tracker.privacy.retention_lock import RetentionBusy

    try:
        report = apply_retention(dry_run=dry_run)
    except RetentionBusy as busy:
        click.echo(str(busy), err=True)
        raise click.exceptions.Exit(1) from None
    for line in report.lines():
        click.echo(line)


@main.command("seed-scale")
@click.option("--participants", required=True, type=int, help="How many people to create.")
@click.option("--seed", default=None, type=int, help="Random seed (default: a fixed one).")
@click.option("--append", is_flag=True, help="Add to a database that already holds people.")
@with_appcontext
def seed_scale_command(participants, seed, append):
    """Synthetic data at scale for benchmarks (never on a live database)."""
    import time

    from prog_tracker.extensions import db
    from prog_tracker.seed import scale

    started = time.perf_counter()
    seed = scale.DEFAULT_SEED if seed is None else seed
    try:
        summary = scale.seed_scale(participants, seed=seed, append=append)
    except scale.ScaleError as err:
        click.echo(str(err), err=True)
        raise click.exceptions.Exit(2) from None
    db.session.commit()
    scale.compact()
    click.echo(f"Seeded {participants:,} participants in {time.perf_counter() - started:.1f} s:")
    scale.report(summary, click.echo)


@main.command("subject-export")
@click.argument("participant_id")
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the ZIP."
)
@click.option("--actor", help="Username of the admin answering the request (audit trail).")
@click.option("--force", is_flag=True, help="Replace an existing file at --output.")
@with_appcontext
def subject_export_command(participant_id, output, actor, force):
    """A ZIP of everything held about one person (JSON + PDF), audited."""
    from prog_tracker.privacy import subject_export as export

    try:
        user = export.export_actor(actor)
        participant = export.find_subject(participant_id, user)
    except export.SubjectNotFound:
        click.echo("No participant has this id (give the participant's UUID).", err=True)
        raise click.exceptions.Exit(1) from None
    except export.SubjectExportRefused as err:
        click.echo(str(err), err=True)
        raise click.exceptions.Exit(1) from None
    actor_id = user.id if user is not None else None
    _write_audited(Path(output), participant, actor_id, force)
    click.echo(f"Wrote the subject access export of participant {participant.id} to {output}.")


def _write_audited(path: Path, participant, actor_id, force: bool) -> None:
    """Write and audit the export; a taken or unwritable output is one line and exit 1."""
    from prog_tracker.ops.files import OutputExists
    from prog_tracker.privacy.subject_export import write_subject_export

    try:
        write_subject_export(path, participant, actor_id, force)
    except OutputExists as err:
        click.echo(str(err), err=True)
        raise click.exceptions.Exit(1) from None
    except OSError as err:
        click.echo(f"Could not write {path}: {err.strerror or err}.", err=True)
        raise click.exceptions.Exit(1) from None


@main.command("send-reminders")
@click.option("--now", "now_text", help="send as of this moment (ISO 8601; default: now)")
@with_appcontext
def send_reminders_command(now_text):
    """Send due Web Push reminders, each once; safe to run from cron every few minutes."""
    from prog_tracker.notifications.sending import send_reminders

    summary = send_reminders(_moment(now_text))
    click.echo(summary.line())


def _moment(text: str | None):
    """An aware moment from --now (a time without a zone is UTC), or the current time."""
    import datetime as dt

    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            "use ISO 8601, e.g. 2026-12-01T09:00:00+05:00", param_hint="--now"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@contextlib.contextmanager
def _backup_errors(failed: str):
    """Backup and restore failures as one line and an exit code: 1 refused or failed, 2 the
    database failed (a declined restore passes through to its caller)."""
    from sqlalchemy.exc import SQLAlchemyError

    from prog_tracker.ops import backup
    from prog_tracker.ops.files import OutputExists
    from prog_tracker.ops.pg import ToolError

    try:
        yield
    except backup.RestoreDeclined:
        raise
    except (backup.BackupError, OutputExists, ToolError, OSError) as err:
        click.echo(f"{failed}: {err}", err=True)
        raise click.exceptions.Exit(1) from None
    except SQLAlchemyError as err:
        click.echo(f"{failed}: the database failed ({type(err).__name__}).", err=True)
        raise click.exceptions.Exit(2) from None


@main.command("backup")
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the backup."
)
@click.option("--force", is_flag=True, help="Replace an existing file at --output.")
@with_appcontext
def backup_command(output, force):
    """Back the database up to one signed file (not the keys: keep those apart), audited."""
    from prog_tracker.ops import backup

    with _backup_errors("Backup failed"):
        manifest = backup.create_backup(Path(output), force)
    click.echo(
        f"Wrote backup {manifest['backup_id']} of the {manifest['dialect']} database "
        f"(migration {manifest['alembic_revision']}) to {output}. The keys are not in it."
    )


@main.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace a database that holds data without asking.")
@with_appcontext
def restore_command(backup_file, yes):
    """Replace the database with a backup, then run the migrations; audited."""
    from prog_tracker.ops import backup

    def confirm() -> bool:
        question = "The database holds data; replace all of it with this backup?"
        return yes or click.confirm(question, default=False)

    try:
        with _backup_errors("Restore refused or failed"):
            restored = backup.restore_backup(Path(backup_file), confirm)
    except backup.RestoreDeclined as err:
        click.echo(f"Restore cancelled. {err}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(
        f"Restored backup {restored['backup_id']} (made {restored['created_at']}); "
        "the database is at the latest migration."
    )
    if restored["audit_broken_at"] is not None:
        click.echo(
            f"The restored audit chain is broken at event {restored['audit_broken_at']}: "
            "it was already broken in the database this backup was made from (the backup's "
            "signature shows the audit key is the one it was made with).",
            err=True,
        )
        raise click.exceptions.Exit(3)


# Command groups a domain keeps beside its services; they import the domain when run.
main.add_command(import_group)
