"""Backup and restore of the database as one file (`prog-tracker backup` / `restore`).

A backup (format 2) is a gzipped tar of three members: `manifest.json` (format
version, dialect, Alembic revision, when, app version, the payload's SHA-256
and signature), `manifest.sig` (the manifest's signature) and the database
itself, taken while the app runs: SQLite through its online backup API,
PostgreSQL through pg_dump (ops/pg.py). The signatures are HMAC-SHA256 with a
key derived from the audit key (ops/signing.py): a restore refuses a backup
changed since it was made, or unsigned (format 1), before it touches the
database. The keys (secret key, audit HMAC key, VAPID key) are never in it:
they are kept apart (README), so a stolen backup cannot forge the audit trail,
a backup, or cookies.
"""

import io
import json
import os
import sqlite3
import tarfile
import tempfile
import uuid
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, literal, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from prog_tracker.core import audit
from prog_tracker.core.models import isoformat_z, utcnow
from prog_tracker.extensions import db
from prog_tracker.ops import files, pg, signing

# 2: signed (manifest.sig and payload_hmac_sha256); 1 was unsigned and is refused.
FORMAT_VERSION = 2
UNSIGNED_FORMAT = 1
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
ARCHIVE_PARTIAL = "backup.partial"
PAYLOADS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Named in the manifest so whoever holds the file knows what else a restore needs.
KEYS_KEPT_APART = ("secret_key", "audit_key", "mfa_key", "vapid_private_key")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why (no personal data)."""


class RestoreDeclined(BackupError):
    """The operator did not confirm replacing a database that holds data."""


def dialect_of(url: str) -> str:
    """`sqlite` or `postgresql`, from the configured database URL."""
    name = make_url(url).get_backend_name()
    if name not in PAYLOADS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def _sqlite_path(url: str) -> Path:
    """The database file of a SQLite URL."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _signing_key() -> bytes:
    """The backup signing key of this installation (derived from its audit key)."""
    audit_key = current_app.config.get("AUDIT_KEY")
    if not audit_key:
        raise BackupError(
            "No audit key is configured (PROG_TRACKER_AUDIT_KEY or instance/audit_key): "
            "backups are signed with a key derived from it."
        )
    return signing.backup_key(audit_key)


def _app_version() -> str:
    """The installed prog-tracker version."""
    try:
        return metadata.version("prog-tracker")
    except metadata.PackageNotFoundError:
        return "unknown"


def _known_revisions() -> set[str]:
    """Every Alembic revision this code's migrations know."""
    config = current_app.extensions["migrate"].migrate.get_config()
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def _sqlite_copy(source: Path, destination: Path) -> None:
    """Copy one SQLite database into another with the online backup API (consistent
    while other connections write: SQLite restarts the copy if a page changes)."""
    if not source.exists():
        raise BackupError("The SQLite database file does not exist.")
    src, dst = sqlite3.connect(source), sqlite3.connect(destination)
    try:
        src.backup(dst)
    except sqlite3.Error as err:
        raise BackupError(f"SQLite could not copy the database ({err}); try again.") from None
    finally:
        src.close()
        dst.close()


def _sqlite_revision(path: Path) -> str | None:
    """The Alembic revision recorded in a SQLite file (None before any migration)."""
    with sqlite3.connect(path) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            row = None
    connection.close()
    return row[0] if row else None


def _live_revision() -> str | None:
    """The Alembic revision of the configured database."""
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _add_bytes(tar: tarfile.TarFile, name: str, body: bytes) -> None:
    """Add an owner-only member holding body."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(body), 0o600, int(utcnow().timestamp())
    tar.addfile(info, io.BytesIO(body))


def _write_archive(partial: Path, manifest: dict, payload: Path, key: bytes) -> None:
    """Write the signed tar to a new owner-only file and flush it to disk."""
    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
    with files.create_private(partial) as raw:
        with tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_bytes(tar, MANIFEST, body)
            _add_bytes(tar, SIGNATURE, signing.manifest_signature(key, body).encode())
            tar.add(payload, arcname=manifest["payload"], recursive=False)
        raw.flush()
        os.fsync(raw.fileno())


def _take_payload(url: str, dialect: str, payload: Path) -> str | None:
    """Copy the database into payload (a new owner-only file); return its Alembic revision."""
    files.create_private(payload).close()  # the copy and pg_dump write into it: mode 600
    if dialect == "sqlite":
        _sqlite_copy(_sqlite_path(url), payload)
        return _sqlite_revision(payload)
    pg.tool("pg_dump")  # a missing tool is named before anything connects
    revision = _live_revision()
    pg.dump(url, payload)
    return revision


def _manifest_of(dialect: str, revision: str | None, payload: Path, key: bytes) -> dict:
    """The manifest of a new backup, with the payload's checksum and signature."""
    digests = signing.payload_digests(key, payload)
    return {
        "format_version": FORMAT_VERSION,
        "backup_id": str(uuid.uuid4()),
        "dialect": dialect,
        "alembic_revision": revision,
        "created_at": isoformat_z(utcnow()),
        "app_version": _app_version(),
        "payload": PAYLOADS[dialect],
        "payload_sha256": digests.sha256,
        "payload_hmac_sha256": digests.signature,
        "payload_bytes": payload.stat().st_size,
        "signed_with": f"{signing.ALGORITHM}, a key derived from audit_key",
        "keys_not_included": list(KEYS_KEPT_APART),
    }


def create_backup(output: Path, force: bool = False) -> dict:
    """Back the configured database up to output (replaced only with force); return the
    manifest."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    dialect = dialect_of(url)
    key = _signing_key()
    # Never resolved: a symlink at output is replaced (with force), never written through.
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    files.refuse_existing(output, force)  # before the dump, which may take long
    # Beside the output: the copy is as private as the backup, and the move is atomic.
    with files.private_folder(output) as work:
        payload = work / PAYLOADS[dialect]
        revision = _take_payload(url, dialect, payload)
        manifest = _manifest_of(dialect, revision, payload, key)
        _write_archive(work / ARCHIVE_PARTIAL, manifest, payload, key)
        files.publish(work / ARCHIVE_PARTIAL, output, force)
    _audit_quietly("backup.create", manifest["backup_id"])
    return manifest


def _audit_quietly(action: str, backup_id: str) -> bool:
    """Record the event (ids only) when the database takes it; False when it did not."""
    try:
        audit.record(action, "backup", [backup_id], None)
        db.session.commit()
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def _member_bytes(archive: tarfile.TarFile, name: str) -> bytes | None:
    """The content of a regular-file member, or None when there is none by that name."""
    try:
        member = archive.getmember(name)
        source = archive.extractfile(member) if member.isfile() else None
        return source.read() if source is not None else None
    except (KeyError, tarfile.TarError):
        return None


def _parse_manifest(body: bytes | None) -> dict | None:
    """The manifest's JSON object, or None when it is missing or not one."""
    try:
        manifest = json.loads(body) if body is not None else None
    except ValueError:
        return None
    return manifest if isinstance(manifest, dict) else None


def _unsigned(manifest: dict | None) -> BackupError:
    """The refusal of a backup without a signature, saying whether it is an old one."""
    if manifest is not None and manifest.get("format_version") == UNSIGNED_FORMAT:
        return BackupError(
            "This backup is unsigned (format 1, made before backups were signed): "
            "it cannot be told from an edited one, so it is not restored. Nothing was changed."
        )
    return BackupError("This backup is unsigned (no manifest.sig): nothing was changed.")


def read_manifest(archive: tarfile.TarFile, key: bytes) -> dict:
    """The manifest of an open backup once its signature is checked, with the fields a
    restore relies on; BackupError for an unsigned or altered one."""
    body, signature = _member_bytes(archive, MANIFEST), _member_bytes(archive, SIGNATURE)
    manifest = _parse_manifest(body)
    if manifest is None:
        raise BackupError("This file is not a prog-tracker backup (no manifest).")
    if signature is None:
        raise _unsigned(manifest)
    if not signing.manifest_signed(key, body, signature):
        raise BackupError(
            "This backup's signature does not match: it was changed after it was made, or "
            "made with another audit key (PROG_TRACKER_AUDIT_KEY or instance/audit_key). "
            "Nothing was changed."
        )
    needed = ("format_version", "dialect", "payload", "payload_sha256", "backup_id")
    if any(name not in manifest for name in needed):
        raise BackupError("This backup's manifest is incomplete.")
    if manifest["format_version"] != FORMAT_VERSION:
        raise BackupError(f"Backup format {manifest['format_version']} is not supported.")
    return manifest


def check_compatible(manifest: dict, dialect: str) -> None:
    """Refuse a backup of another dialect or from migrations this code does not know."""
    if manifest["dialect"] != dialect or manifest["payload"] != PAYLOADS[dialect]:
        raise BackupError(
            f"This is a {manifest['dialect']} backup; the configured database is {dialect}."
        )
    revision = manifest.get("alembic_revision")
    if revision is not None and revision not in _known_revisions():
        raise BackupError(
            f"This backup is at migration {revision}, newer than this code knows: "
            "restore it with the prog-tracker version that made it "
            f"({manifest.get('app_version', 'unknown')}) or later."
        )


def _extract_payload(archive: tarfile.TarFile, manifest: dict, work: Path, key: bytes) -> Path:
    """Copy the payload out (by its fixed name, never a path from the file) and check its
    checksum and signature."""
    try:
        member = archive.getmember(manifest["payload"])
        source = archive.extractfile(member) if member.isfile() else None
    except KeyError:
        source = None
    if source is None:
        raise BackupError("This backup has no database in it.")
    payload, digests = work / PAYLOADS[manifest["dialect"]], signing.PayloadDigests(key)
    with files.create_private(payload) as handle:
        for chunk in iter(lambda: source.read(signing.CHUNK), b""):
            digests.update(chunk)
            handle.write(chunk)
    if digests.sha256 != manifest["payload_sha256"]:
        raise BackupError("This backup is damaged: its database does not match its checksum.")
    if not digests.signed(manifest.get("payload_hmac_sha256", "")):
        raise BackupError(
            "This backup's database does not match its signature: nothing was changed."
        )
    return payload


def holds_data() -> bool:
    """True when any table of the configured database (but Alembic's) has a row."""
    engine = db.engine
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    with engine.connect() as connection:
        for name in names:
            if connection.execute(select(literal(1)).select_from(table(name)).limit(1)).first():
                return True
    return False


def restore_backup(path: Path, confirm: Callable[[], bool]) -> dict:
    """Replace the configured database with the backup at path, then migrate to head.

    confirm() is asked before a database holding data is replaced. Returns the
    manifest with `audit_broken_at` (the first broken event of the restored
    trail, or None) and `audited` (whether the restore was recorded).
    """
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    dialect = dialect_of(url)
    key = _signing_key()
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 - closed below
    except (OSError, tarfile.TarError):
        raise BackupError("This file is not a prog-tracker backup.") from None
    # In the instance folder (owner-only): the copy holds personal data.
    with (
        archive,
        tempfile.TemporaryDirectory(prefix=".pt-restore-", dir=current_app.instance_path) as folder,
    ):
        manifest = read_manifest(archive, key)  # signed, or nothing below runs
        check_compatible(manifest, dialect)
        payload = _extract_payload(archive, manifest, Path(folder), key)
        if dialect == "postgresql":
            pg.check_archive(payload)
        if holds_data() and not confirm():
            raise RestoreDeclined("Nothing was changed.")
        _replace(url, dialect, payload)
    return _after_restore(manifest)


def _replace(url: str, dialect: str, payload: Path) -> None:
    """Put the payload in the database's place, with no connection of ours left open."""
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        # The backup API in reverse: the live file is rewritten under SQLite's lock,
        # so other connections see the old database or the new one, nothing between.
        _sqlite_copy(payload, _sqlite_path(url))
    else:
        pg.restore(url, payload)
    db.engine.dispose()


def _after_restore(manifest: dict) -> dict:
    """Migrate to head, check the restored audit trail, record the restore, re-anchor."""
    from flask_migrate import upgrade

    upgrade()
    _checked, broken = audit.verify_chain(current_app.config["AUDIT_KEY"])
    audited = _audit_quietly("backup.restore", manifest["backup_id"])
    if broken is None and audited:
        # The trail was rolled back on purpose: the old anchor names events that
        # no longer exist. Anchor the restored head so `audit verify` goes on working.
        audit.write_anchor(Path(current_app.instance_path) / "audit_anchor", audit.chain_head())
    return {**manifest, "audit_broken_at": broken, "audited": audited}
