"""Backups are signed (issue 18, finding 6): a restore refuses an edited or unsigned one
before it touches the database, even when the checksum was recomputed."""

import hashlib
import hmac
import json
import sqlite3
from pathlib import Path

import pytest

from tests.ops.sites import (
    AUDIT_KEY,
    Site,
    build,
    change,
    manifest_of,
    members,
    people,
    resigned,
    signature_of,
    write_backup,
)

pytestmark = pytest.mark.own_database


def _backed_up(site: Site, tmp_path: Path) -> tuple[dict, Path]:
    """A built site, its backup, then changes made after it (so a restore shows)."""
    ids = build(site)
    good = tmp_path / "good.ptbackup"
    made = site.run("backup", "--output", str(good))
    assert made.exit_code == 0, made.output
    change(site, ids)
    return ids, good


def _refused(site: Site, backup: Path, ids: dict, message: str) -> None:
    """The restore is refused with message, and the database is as it was."""
    refused = site.run("restore", str(backup), "--yes")
    assert refused.exit_code == 1, refused.output
    assert message in refused.output and "Traceback" not in refused.output
    assert people(site) == {ids["kept"]: "Changed"}


def _forged_payload(good: Path, work: Path) -> bytes:
    """The backup's database with a person's name changed by hand."""
    database = work / "forged.sqlite3"
    database.write_bytes(members(good)["database.sqlite3"])
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE participants SET given_name = 'Forged'")
    connection.close()
    return database.read_bytes()


def test_a_good_backup_is_signed_with_a_key_derived_from_the_audit_key(sqlite_site, tmp_path):
    ids, good = _backed_up(sqlite_site, tmp_path)
    contents = members(good)
    body, payload = contents["manifest.json"], contents["database.sqlite3"]
    assert contents["manifest.sig"].decode() == signature_of(b"manifest\x00", body)
    direct = hmac.new(AUDIT_KEY.encode(), b"manifest\x00" + body, hashlib.sha256).hexdigest()
    assert contents["manifest.sig"].decode() != direct  # the audit key signs the chain only
    assert manifest_of(good)["payload_hmac_sha256"] == signature_of(b"payload\x00", payload)
    restored = sqlite_site.run("restore", str(good), "--yes")
    assert restored.exit_code == 0, restored.output
    assert people(sqlite_site) == {ids["kept"]: "Aigerim", ids["gone"]: "Timur"}


def test_an_edited_payload_with_a_recomputed_checksum_is_refused(sqlite_site, tmp_path):
    ids, good = _backed_up(sqlite_site, tmp_path)
    contents = members(good)
    forged = _forged_payload(good, tmp_path)
    manifest = json.loads(contents["manifest.json"])
    manifest.update(payload_sha256=hashlib.sha256(forged).hexdigest(), payload_bytes=len(forged))
    bad = write_backup(
        tmp_path / "bad.ptbackup",
        {
            **contents,
            "manifest.json": json.dumps(manifest).encode(),
            "database.sqlite3": forged,
        },
    )
    _refused(sqlite_site, bad, ids, "signature does not match")


@pytest.mark.parametrize(
    "changes",
    [
        {"created_at": "2020-01-01T00:00:00Z"},
        {"alembic_revision": None},
        {"payload_bytes": 1},
    ],
)
def test_a_tampered_manifest_is_refused(sqlite_site, tmp_path, changes):
    ids, good = _backed_up(sqlite_site, tmp_path)
    contents = members(good)
    manifest = {**json.loads(contents["manifest.json"]), **changes}
    bad = write_backup(
        tmp_path / "bad.ptbackup", {**contents, "manifest.json": json.dumps(manifest).encode()}
    )
    _refused(sqlite_site, bad, ids, "signature does not match")


def test_a_payload_that_does_not_match_its_signature_is_refused(sqlite_site, tmp_path):
    ids, good = _backed_up(sqlite_site, tmp_path)
    bad = resigned(good, tmp_path / "bad.ptbackup", payload_hmac_sha256="0" * 64)
    _refused(sqlite_site, bad, ids, "does not match its signature")


def test_a_backup_without_its_signature_is_refused(sqlite_site, tmp_path):
    ids, good = _backed_up(sqlite_site, tmp_path)
    contents = members(good)
    contents.pop("manifest.sig", None)
    bad = write_backup(tmp_path / "bad.ptbackup", contents)
    _refused(sqlite_site, bad, ids, "unsigned")


def test_an_old_unsigned_backup_is_refused_as_unsigned(sqlite_site, tmp_path):
    ids, good = _backed_up(sqlite_site, tmp_path)
    contents = members(good)
    manifest = json.loads(contents["manifest.json"])
    manifest["format_version"] = 1  # as backups were made before they were signed
    for added_with_signatures in ("payload_hmac_sha256", "signed_with"):
        manifest.pop(added_with_signatures, None)
    old = write_backup(
        tmp_path / "old.ptbackup",
        {
            "manifest.json": json.dumps(manifest).encode(),
            "database.sqlite3": contents["database.sqlite3"],
        },
    )
    _refused(sqlite_site, old, ids, "unsigned (format 1")
