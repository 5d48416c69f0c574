"""The audit trail: an HMAC-SHA256 hash chain of who read or wrote what.

Rows hold ids and action names only, never names or free text. The HMAC key
lives outside the database, so whoever can edit rows cannot re-forge the chain.
"""

import hashlib
import hmac
import json
import uuid
from datetime import datetime
from typing import cast

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import JSON, BigInteger, Integer, String, Table, insert, select, text
from sqlalchemy.orm import Mapped, mapped_column

from prog_tracker.core.database import claim_write_lock
from prog_tracker.core.models import Model, UTCDateTime, isoformat_z, utcnow
from prog_tracker.extensions import db

REASON_CODES = (
    "case_review",
    "data_quality",
    "complaint",
    "subject_access",
    "safeguarding",
    "legal",
)
GENESIS = "0" * 64
# Any constant works; it only has to be the same in every process.
CHAIN_LOCK_ID = 7_203_911


class AuditEvent(Model):
    """One audited read or write."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_ids: Mapped[list] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    # The person the event is about, where one is known (events since migration 0009).
    participant_id: Mapped[str | None] = mapped_column(String(36), index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# The newest event: the head the next one chains to.
_HEAD = select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
# A declarative model's table (typed only as a FromClause, which INSERT does not take).
_TABLE = cast(Table, AuditEvent.__table__)
_COLUMNS = tuple(column.key for column in _TABLE.columns)
# entity -> model whose rows name their person in `participant_id` (filled by policy).
PERSON_RECORDS: dict = {}


def _digest(key: str, event: AuditEvent) -> str:
    """The HMAC of an event's content and its predecessor's hash."""
    content = json.dumps(
        [
            event.id,
            isoformat_z(event.at),
            event.actor_id,
            event.action,
            event.entity,
            list(event.entity_ids or []),
            event.outcome,
            event.reason_code,
            event.prev_hash,
            # Only when set: events written before the column existed keep their digest.
            *([event.participant_id] if event.participant_id is not None else []),
        ],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hmac.new(key.encode(), content.encode(), hashlib.sha256).hexdigest()


def header_reason() -> str | None:
    """The X-Access-Reason sent with this request, if it is a known code."""
    if not has_request_context():
        return None
    value = request.headers.get("X-Access-Reason", "").strip()
    return value if value in REASON_CODES else None


def access_reason() -> str | None:
    """The reason this request reads people's records: given by the code (use_reason),
    by a reason picked in the pages (policy), or the X-Access-Reason header."""
    if has_app_context():
        given = g.get("access_reason_given") or g.get("access_reason")
        if given:
            return given
    return header_reason()


def use_reason(code: str) -> None:
    """Declare the reason for every read of one person's record in this request or
    app context (e.g. `subject_access` for a subject-access export)."""
    if code not in REASON_CODES:
        raise ValueError(f"unknown reason code {code!r}")
    g.access_reason_given = code


def register_person_record(entity: str, model) -> None:
    """Let events about a record of entity name the record's person (model.participant_id)."""
    PERSON_RECORDS[entity] = model


def person_of(entity: str, entity_ids) -> str | None:
    """The participant an event about one record is about, where that is known."""
    ids = list(entity_ids)
    if len(ids) != 1:
        return None  # list-like reads name many people: found by their ids instead
    try:
        record_id = str(uuid.UUID(str(ids[0])))
    except ValueError:
        return None
    if entity == "participant":
        return record_id
    model = PERSON_RECORDS.get(entity)
    if model is None:
        return None
    # Usually already in the session (just loaded or written): no query.
    found = db.session.get(model, record_id)
    return getattr(found, "participant_id", None)


def record(
    action,
    entity,
    entity_ids,
    actor_id,
    outcome="allowed",
    reason_code=None,
    participant_id=None,
):
    """Append one event to the chain inside the current transaction."""
    session = db.session
    session.flush()  # what the event accounts for is written first, as before
    entity_ids = [str(i) for i in entity_ids]
    participant_id = participant_id or person_of(entity, entity_ids)
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appends across workers so the chain stays one line.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_ID})
    else:
        # SQLite: hold the write lock from reading the chain's head to appending to it.
        claim_write_lock(session)
    # Plain statements on the session's connection: no ORM work for the two of them.
    connection = session.connection()
    last = connection.execute(_HEAD).first()
    event = AuditEvent(
        id=(last.id + 1) if last else 1,
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_ids=entity_ids,
        outcome=outcome,
        reason_code=reason_code or access_reason(),
        participant_id=participant_id,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = _digest(current_app.config["AUDIT_KEY"], event)
    # A plain INSERT: the event is never changed afterwards, so it needs no unit of work.
    connection.execute(insert(_TABLE), [{c: getattr(event, c) for c in _COLUMNS}])
    return event


def record_list(actor, action, entity, entity_ids) -> None:
    """Audit one list read (the ids it showed) and commit, so the read is on record."""
    record(action, entity, entity_ids, actor_id=actor.id)
    db.session.commit()


def verify_chain(key: str, batch: int = 1000):
    """Walk the chain; return (checked_count, first_broken_event_id or None)."""
    previous_hash, previous_id, checked = GENESIS, 0, 0
    while True:
        rows = list(
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.id > previous_id)
                .order_by(AuditEvent.id)
                .limit(batch)
            )
        )
        if not rows:
            return checked, None
        for event in rows:
            broken = (
                event.id != previous_id + 1
                or event.prev_hash != previous_hash
                or not hmac.compare_digest(event.hash, _digest(key, event))
            )
            if broken:
                return checked, event.id
            previous_hash, previous_id, checked = event.hash, event.id, checked + 1


def chain_head() -> tuple[int, str] | None:
    """The (id, hash) of the newest event, or None for an empty trail."""
    row = db.session.execute(_HEAD).first()
    return (row.id, row.hash) if row else None


def check_anchor(anchor: tuple[int, str] | None) -> int | None:
    """The anchored event id when the trail no longer holds it as anchored, else None.

    The chain alone cannot show that its newest events were deleted; an anchor
    (the head seen by an earlier verify, kept outside the database) can.
    """
    if anchor is None:
        return None
    anchored_id, anchored_hash = anchor
    found = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchored_id))
    if found is None or not hmac.compare_digest(found, anchored_hash):
        return anchored_id
    return None


def read_anchor(path) -> tuple[int, str] | None:
    """The anchor stored at path, or None when there is none yet."""
    try:
        data = json.loads(path.read_text())
        return int(data["id"]), str(data["hash"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        # A damaged anchor is itself a sign of tampering: anchor nothing valid.
        return (0, "")


def write_anchor(path, head: tuple[int, str]) -> None:
    """Store the chain head at path (owner-only, replaced atomically)."""
    import os

    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"id": head[0], "hash": head[1]}, handle)
    os.replace(temporary, path)
