"""Create receipts: which actor made a record under a client-chosen id, and from what.

Every create that carries the client's id (the API's `id`, a form's one-time
form id, a sync mutation's record id) leaves a receipt in the same transaction
as the record. Its primary key (entity, record id) is the database's guarantee
that one client id makes one record, however many workers replay it at once;
the actor and the fingerprint of the validated body tell a replay (the same
actor sending the same thing again: answered like the first) from a clash
(anything else: 409).

The fingerprint is an HMAC keyed with the app's secret key, not a bare hash:
bodies may carry a password (a new user's), which must not become an unsalted
hash anyone with the database could try guesses against.
"""

import datetime as dt
import decimal
import hashlib
import hmac
import json
from datetime import datetime

from flask import current_app
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.models import Model, UTCDateTime, utcnow
from prog_tracker.extensions import db


class CreateReceipt(Model):
    """One record created under a client-chosen id: by whom, from which body."""

    __tablename__ = "create_receipts"

    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The user who created the record (a plain column: core declares no users table).
    actor_id: Mapped[str] = mapped_column(String(36))
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def _plain(value):
    """A JSON-ready form of the values a validated body holds (dates, decimals, sets)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def fingerprint(data: dict) -> str:
    """The keyed SHA-256 of the canonical JSON of a validated create body."""
    canonical = json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"create-receipt\x00" + canonical.encode(), hashlib.sha256).hexdigest()


def find(entity: str, record_id: str) -> CreateReceipt | None:
    """The receipt of the record of entity with this id, if it was made under a client id."""
    return db.session.get(CreateReceipt, (entity, record_id))


def is_replay(receipt: CreateReceipt | None, actor_id: str | None, data: dict) -> bool:
    """True when the receipt's create came from this actor with exactly this body."""
    return (
        receipt is not None
        and actor_id is not None
        and receipt.actor_id == actor_id
        and hmac.compare_digest(receipt.fingerprint, fingerprint(data))
    )


def keep(actor_id: str | None, entity: str, record_id: str, data: dict) -> None:
    """Add the receipt of a create to the current transaction (none without an actor)."""
    if actor_id is None:
        return
    db.session.add(
        CreateReceipt(
            entity=entity, record_id=record_id, actor_id=actor_id, fingerprint=fingerprint(data)
        )
    )
