"""GET /sync/pull: what changed in, or left, the caller's scope since their cursor.

The cursor names what the device holds ({entity: {id: tag}}). A pull computes
the scope now, with each record's tag, and compares: a record in scope whose
tag the device lacks (or holds another of) is a change; a record the device
holds (or pushed since) that is no longer in scope is removed — `deleted`
when it no longer exists, `out_of_scope` otherwise (consent withdrawn or
expired, referral closed, unenrolled…). Comparing with the scope itself,
rather than keeping a log of changes, also catches what leaves a scope
without any write (a consent that expires on a date) and cannot miss a change
committed out of order.

One page carries at most the page size of entries (removals first, so a
device purges without delay); the next cursor records what this page gave, so
the following pull simply continues (`has_more`).
"""

import datetime as dt

from flask import current_app
from sqlalchemy import select

from prog_tracker.core import audit, policy
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.participants.tombstones import survivors_of
from prog_tracker.sync.cursors import holdings_of, issue_cursor, keep_cursor, load_cursor
from prog_tracker.sync.models import SyncMutation
from prog_tracker.sync.represent import load, represent
from prog_tracker.sync.scope import (
    DIGESTED,
    ENTITIES,
    MODELS,
    digest,
    follow_up_statuses,
    referral_tags,
    scope_query,
    version_tags,
)

# A cursor is stamped with the moment its scope began to be read; a push stamped
# a little before that may have committed after the read: look at those again.
PUSH_MARGIN = dt.timedelta(minutes=1)


class Scope:
    """The caller's scope now: each entity's tags, and what computing them produced."""

    def __init__(self, user):
        self.user = user
        self.tags: dict = {}
        self.ready: dict = {}  # entity -> {id: (version, data)} already represented
        self.statuses: dict = {}  # follow-up id -> (version, status, met_by, basis)
        for entity in ENTITIES:
            self.tags[entity] = self._tags_of(entity)

    def _tags_of(self, entity: str) -> dict:
        """id -> tag of the entity's records in scope."""
        if entity in DIGESTED:
            records = list(db.session.scalars(scope_query(self.user, entity)))
            shown = represent(self.user, entity, records)
            self.ready[entity] = {r.id: (r.version, d) for r, d in zip(records, shown, strict=True)}
            return {r.id: digest(d) for r, d in zip(records, shown, strict=True)}
        if entity == "referral":
            return referral_tags(self.user)
        if entity == "follow_up":
            self.statuses = follow_up_statuses(self.user)
            return {fid: f"{v}:{s}:{m or ''}:{b}" for fid, (v, s, m, b) in self.statuses.items()}
        return version_tags(self.user, entity)

    def entries(self, entity: str, ids: list) -> list[dict]:
        """The change entries of these records ({entity, id, version, data}), in id order."""
        ready = self.ready.get(entity)
        if ready is not None:
            pairs = [(rid, *ready[rid]) for rid in ids]
        else:
            records = load(entity, ids)
            shown = represent(self.user, entity, records, self.statuses)
            pairs = [(r.id, r.version, d) for r, d in zip(records, shown, strict=True)]
        pairs.sort(key=lambda pair: pair[0])
        return [{"entity": entity, "id": rid, "version": v, "data": d} for rid, v, d in pairs]


def pull(user, token: str | None, limit: int | None = None) -> dict:
    """One page of the caller's changes and removals since the cursor, with the next cursor."""
    policy.require(user, "sync.use")
    parent = load_cursor(user, token)
    held = holdings_of(parent)
    read_at = utcnow()
    scope = Scope(user)
    size = min(limit or current_app.config["SYNC_PAGE_SIZE"], current_app.config["SYNC_PAGE_SIZE"])
    removed_ids = _removed(held, scope.tags, _pushed_since(user, parent))
    wanted = _changed(held, scope.tags)
    removed = _reasons(removed_ids[:size])
    page = wanted[: size - len(removed)]
    changes = _changes(scope, page)
    _audit(user, changes)
    if parent is not None and not changes and not removed:
        # Nothing new: the device holds what the cursor says.
        cursor = keep_cursor(parent, read_at)
    else:
        holdings = _next_holdings(held, scope.tags, removed, changes)
        cursor = issue_cursor(user, parent, holdings, read_at)
    db.session.commit()
    return {
        "cursor": cursor,
        "has_more": len(removed_ids) + len(wanted) > len(removed) + len(page),
        "changes": changes,
        "removed": removed,
    }


def _removed(held: dict, tags: dict, pushed: dict) -> list[tuple[str, str]]:
    """(entity, id) the device holds, or pushed, that are no longer in scope."""
    gone: list[tuple[str, str]] = []
    for entity in ENTITIES:
        now = tags[entity]
        candidates = set(held.get(entity, {})) | pushed.get(entity, set())
        gone.extend((entity, rid) for rid in sorted(candidates) if rid not in now)
    return gone


def _pushed_since(user, parent) -> dict:
    """{entity: {id, …}} the user pushed since the cursor's scope was read.

    A device holds what it created before it ever pulls it back; if the record
    left its scope in between (consent withdrawn right after a visit was
    logged), the cursor does not know it, so the ledger says so. Another
    device of the user is told to remove a record it never had: a no-op.
    """
    if parent is None:
        return {}
    since = parent.issued_at - PUSH_MARGIN
    rows = db.session.execute(
        select(SyncMutation.entity, SyncMutation.record_id).where(
            SyncMutation.user_id == user.id, SyncMutation.applied_at >= since
        )
    )
    pushed: dict = {}
    for entity, record_id in rows:
        pushed.setdefault(entity, set()).add(record_id)
    return pushed


def _changed(held: dict, tags: dict) -> list[tuple[str, str]]:
    """(entity, id) in scope whose tag the device does not hold, entities in storing order."""
    wanted: list[tuple[str, str]] = []
    for entity in ENTITIES:
        mine = held.get(entity, {})
        wanted.extend(
            (entity, rid) for rid, tag in sorted(tags[entity].items()) if mine.get(rid) != tag
        )
    return wanted


def _reasons(gone: list[tuple[str, str]]) -> list[dict]:
    """Removal entries: `deleted` when the record no longer exists, `merged` (with the
    survivor's `into_id`) for a person merged into another, else `out_of_scope`."""
    by_entity: dict = {}
    for entity, rid in gone:
        by_entity.setdefault(entity, []).append(rid)
    existing: set[tuple[str, str]] = set()
    for entity, ids in by_entity.items():
        model = MODELS[entity]
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            found = db.session.scalars(select(model.id).where(model.id.in_(batch)))
            existing.update((entity, rid) for rid in found)
    merged = survivors_of(by_entity.get("participant", []))
    return [_removal(entity, rid, (entity, rid) in existing, merged) for entity, rid in gone]


def _removal(entity: str, rid: str, exists: bool, merged: dict) -> dict:
    """One removal entry (additive fields for a merged person: reason and into_id)."""
    if entity == "participant" and rid in merged:
        return {"entity": entity, "id": rid, "reason": "merged", "into_id": merged[rid]}
    return {"entity": entity, "id": rid, "reason": "out_of_scope" if exists else "deleted"}


def _changes(scope: Scope, page: list[tuple[str, str]]) -> list[dict]:
    """The change entries of a page, entity by entity in storing order."""
    by_entity: dict = {}
    for entity, rid in page:
        by_entity.setdefault(entity, []).append(rid)
    entries = []
    for entity in ENTITIES:
        if entity in by_entity:
            entries.extend(scope.entries(entity, by_entity[entity]))
    return entries


def _next_holdings(held: dict, tags: dict, removed: list[dict], changes: list[dict]) -> dict:
    """What the device holds after this page: minus removals, plus the changes sent.

    A change is held with the tag computed before it was read: if the record
    changed in between, the next pull sees a different tag and sends it again.
    """
    holdings = {entity: dict(ids) for entity, ids in held.items()}
    for entry in removed:
        holdings.get(entry["entity"], {}).pop(entry["id"], None)
    for entry in changes:
        entity = entry["entity"]
        holdings.setdefault(entity, {})[entry["id"]] = tags[entity][entry["id"]]
    return {entity: ids for entity, ids in holdings.items() if ids}


def _audit(user, changes: list[dict]) -> None:
    """One read event for the pull, naming the people whose records it sent."""
    people = set()
    for entry in changes:
        if entry["entity"] == "participant":
            people.add(entry["id"])
        elif isinstance(entry["data"].get("participant_id"), str):
            people.add(entry["data"]["participant_id"])
    audit.record("sync.pull", "participant", sorted(people), actor_id=user.id)
