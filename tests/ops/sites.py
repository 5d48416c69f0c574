"""A site (instance folder, database, environment) and the data the backup tests use."""

import hashlib
import hmac
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from flask_migrate import upgrade
from sqlalchemy import select

from prog_tracker import create_app
from prog_tracker.cli import main
from prog_tracker.core import audit
from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from tests.factories import Factory

SECRET_KEY, AUDIT_KEY = "s" * 48, "k" * 48
# The documented scheme (README), written out here rather than imported from the code
# under test: HMAC-SHA256 keyed by HMAC(audit key, purpose), never the audit key itself.
BACKUP_KEY = hmac.new(AUDIT_KEY.encode(), b"prog-tracker backup v1", hashlib.sha256).digest()


def signature_of(tag: bytes, body: bytes) -> str:
    """The hex HMAC-SHA256 of a tagged manifest or payload under the backup key."""
    return hmac.new(BACKUP_KEY, tag + body, hashlib.sha256).hexdigest()


@dataclass
class Site:
    """One installation: its instance folder, database and environment."""

    instance: Path
    url: str

    @property
    def env(self) -> dict:
        """The environment the commands run with."""
        return {
            "PROG_TRACKER_ENV": "test",
            "PROG_TRACKER_INSTANCE_PATH": str(self.instance),
            "PROG_TRACKER_DATABASE_URL": self.url,
            "PROG_TRACKER_SECRET_KEY": SECRET_KEY,
            "PROG_TRACKER_AUDIT_KEY": AUDIT_KEY,
        }

    def app(self):
        """An app on this site (for building and reading data)."""
        return create_app(
            {
                "ENV": "test",
                "INSTANCE_PATH": str(self.instance),
                "DATABASE_URL": self.url,
                "SECRET_KEY": SECRET_KEY,
                "AUDIT_KEY": AUDIT_KEY,
            }
        )

    def run(self, *args, answer=None):
        """Run a prog-tracker command on this site."""
        return CliRunner().invoke(main, list(args), input=answer, env=self.env)


def build(site: Site) -> dict:
    """A migrated database with two people, an officer, and audit events about them."""
    app = site.app()
    with app.app_context():
        upgrade()
        make = Factory()
        facility = make.facility()
        officer = make.user("officer", facility=facility)
        kept = make.participant(facility=facility, given_name="Aigerim")
        gone = make.participant(facility=facility, given_name="Timur")
        for person in (kept, gone):
            audit.record("participant.read", "participant", [person.id], officer.id)
        db.session.commit()
        ids = {"kept": kept.id, "gone": gone.id}
        db.session.remove()
        db.engine.dispose()
    return ids


def change(site: Site, ids: dict) -> None:
    """What happens after the backup: one person renamed, one deleted, more audit."""
    app = site.app()
    with app.app_context():
        db.session.get(Participant, ids["kept"]).given_name = "Changed"
        db.session.delete(db.session.get(Participant, ids["gone"]))
        audit.record("participant.update", "participant", [ids["kept"]], None)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def people(site: Site) -> dict:
    """{id: given name} of everyone in the site's database."""
    app = site.app()
    with app.app_context():
        found = dict(db.session.execute(select(Participant.id, Participant.given_name)).all())
        db.session.remove()
        db.engine.dispose()
    return found


def events(site: Site, action: str) -> list:
    """The audit events of one action."""
    app = site.app()
    with app.app_context():
        found = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.session.remove()
        db.engine.dispose()
    return found


def members(path: Path) -> dict:
    """{name: bytes} of every member of a backup file."""
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers()}


def manifest_of(path: Path) -> dict:
    """The manifest inside a backup file."""
    return json.loads(members(path)["manifest.json"])


def write_backup(target: Path, contents: dict) -> Path:
    """A backup file made by hand from {member name: bytes}, in that order."""
    with tarfile.open(target, "w:gz") as archive:
        for name, body in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return target


def resigned(source: Path, target: Path, **changes) -> Path:
    """A copy of a backup with its manifest changed and signed again with the site's key,
    as only whoever holds the audit key could: the checks after the signature's."""
    contents = members(source)
    body = json.dumps({**json.loads(contents["manifest.json"]), **changes}).encode()
    signature = signature_of(b"manifest\x00", body)
    return write_backup(
        target, {**contents, "manifest.json": body, "manifest.sig": signature.encode()}
    )
