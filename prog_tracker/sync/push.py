"""POST /sync/push: apply a device's outbox, each mutation exactly once.

Each mutation runs in its own savepoint: the domain service's writes, its
audit events and a ledger row (`SyncMutation`, keyed by the mutation_id)
commit together or not at all, and a failure undoes only that mutation (when
to commit: see unit.py). The ledger decides
`duplicate`: a mutation found there with the same payload answers its stored
result and writes nothing. Two workers or servers racing on one mutation both
try to write its ledger row; the database lets one commit and the other's
insert (or the record's own key before it) fails, so the loser rolls back
its savepoint, reads the winner's row and answers `duplicate` too.

A create whose client-chosen id already holds the same record in the caller's
scope (replayed under a new mutation_id) is `duplicate` as well, and the new
mutation_id joins the ledger; any other taken id is `rejected` / `id_taken`.
Either way each record exists once.
"""

import hashlib
import json
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from prog_tracker.core import audit, policy
from prog_tracker.core.errors import ApiError, normalize_fields, not_found
from prog_tracker.core.input import unstorable_fields
from prog_tracker.extensions import db
from prog_tracker.sync.models import SyncMutation
from prog_tracker.sync.mutations import HANDLERS, Context, Mutation, Plan, replayed_create
from prog_tracker.sync.represent import represent_one
from prog_tracker.sync.schemas import MutationSchema
from prog_tracker.sync.scope import MODELS
from prog_tracker.sync.unit import Commits, RolledBack, deferred_commits, savepoint

ENVELOPE = MutationSchema()


class Seen(NamedTuple):
    """A mutation applied earlier in this batch, as the ledger holds it."""

    user_id: str
    payload_hash: str
    result: dict


class Answer(Exception):
    """A mutation's result decided early (rejected or conflict)."""

    def __init__(self, result: dict):
        super().__init__(result.get("status"))
        self.result = result


def push(user, device_id: str, mutations: list) -> list[dict]:
    """Apply each mutation in order; one result per mutation, in the same order."""
    policy.require(user, "sync.use")
    known = _ledger([m.get("mutation_id") for m in mutations if isinstance(m, dict)])
    ctx = Context(user)
    commits = Commits()
    results = []
    for raw in mutations:
        results.append(_one(ctx, device_id, raw, known))
        commits.one_done()
    commits.commit()
    return results


def _ledger(mutation_ids: list) -> dict:
    """mutation_id -> its ledger row, for those of the batch applied before."""
    ids = sorted({i.lower() for i in mutation_ids if isinstance(i, str) and len(i) == 36})
    found: dict[str, SyncMutation] = {}
    for start in range(0, len(ids), 500):
        query = select(SyncMutation).where(SyncMutation.mutation_id.in_(ids[start : start + 500]))
        found.update((row.mutation_id, row) for row in db.session.scalars(query))
    return found


def _one(ctx: Context, device_id: str, raw, known: dict) -> dict:
    """The result of one mutation (never raises for bad input)."""
    user = ctx.user
    try:
        m = _envelope(raw)
        prior = known.get(m.mutation_id)
        if prior is not None:
            return _replayed(user, m, prior)
        result = _apply(ctx, device_id, m, retry=True)
    except Answer as answer:
        return answer.result
    if result["status"] in ("applied", "duplicate"):
        # A second copy of this mutation later in the batch is then a duplicate too.
        known[m.mutation_id] = Seen(
            user.id, m.payload_hash, {k: result[k] for k in ("id", "version")}
        )
    return result


def _envelope(raw) -> Mutation:
    """The mutation's envelope, validated, with the hash of its canonical payload."""
    mutation_id = raw.get("mutation_id") if isinstance(raw, dict) else None
    # NUL or a lone surrogate (a note cut in the middle of an emoji) anywhere in the
    # mutation: the databases cannot store it, nor can its payload be hashed.
    unstorable = unstorable_fields(raw if isinstance(raw, dict) else {"_schema": raw})
    if isinstance(unstorable.get("data"), list) and isinstance(raw.get("data"), dict):
        unstorable["data"] = unstorable_fields(raw["data"]) or unstorable["data"]
    if unstorable:
        echoable = isinstance(mutation_id, str) and "mutation_id" not in unstorable
        echo = mutation_id if echoable else None
        raise Answer(_rejected(echo, None, _invalid(unstorable)))
    try:
        loaded = ENVELOPE.load(raw if isinstance(raw, dict) else {})
    except ValidationError as err:
        echo = mutation_id if isinstance(mutation_id, str) else None
        raise Answer(_rejected(echo, None, _validation(err))) from None
    payload = {k: loaded.get(k) for k in ("entity", "op", "id", "base_version", "data")}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Mutation(
        mutation_id=loaded["mutation_id"],
        entity=loaded["entity"],
        op=loaded["op"],
        id=loaded["id"],
        base_version=loaded.get("base_version"),
        data=loaded["data"],
        payload_hash=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def _replayed(user, m: Mutation, prior: SyncMutation | Seen) -> dict:
    """A mutation_id seen before: its stored result, or id_reuse for another payload."""
    if prior.user_id != user.id or prior.payload_hash != m.payload_hash:
        error = {
            "code": "id_reuse",
            "message": str(_l("This mutation id was used before for another change.")),
        }
        return _rejected(m.mutation_id, m.id, error)
    return {"mutation_id": m.mutation_id, "status": "duplicate", **prior.result}


def _apply(ctx: Context, device_id: str, m: Mutation, retry: bool) -> dict:
    """Prepare and apply one mutation in its own savepoint; its result."""
    user, plan = ctx.user, None
    try:
        with savepoint():
            plan = HANDLERS[m.entity].prepare(ctx, m)
            if plan.kind == "conflict":
                return _after_failure(user, m, _conflict(user, m, plan.record))
            return _write(user, device_id, m, plan)
    except IntegrityError:
        # Another request wrote the same record (or this mutation) first: look again.
        if retry:
            return _apply(ctx, device_id, m, retry=False)
        return _after_failure(user, m, _error_result(user, m, None))
    except (ApiError, ValidationError, StaleDataError, RolledBack) as err:
        if getattr(err, "denial_undone", False):
            # The service's denied event went with the savepoint: write it again.
            _record_denial(user, m)
        if _id_in_use(m, err) and plan is not None:
            return _after_failure(user, m, _replayed_create(user, device_id, m, plan))
        return _after_failure(user, m, _error_result(user, m, err))
    except OperationalError:
        raise  # the database is away: 503 for the whole batch, which the device retries
    except Exception:
        current_app.logger.exception("sync mutation failed")
        return _rejected(m.mutation_id, m.id, _internal())


def _id_in_use(m: Mutation, err) -> bool:
    """True when a create was refused because a record holds its id (409 from the service)."""
    return m.op == "create" and isinstance(err, ApiError) and err.status == 409


def _replayed_create(user, device_id: str, m: Mutation, plan: Plan) -> dict:
    """A create refused for its id: `duplicate` when it is the same record, else id_taken."""
    try:
        with savepoint():
            return _write(user, device_id, m, replayed_create(user, m, plan.data))
    except IntegrityError:
        return _error_result(user, m, None)  # the ledger has it now: _after_failure says so
    except ApiError as err:
        if getattr(err, "denial_undone", False):
            _record_denial(user, m)  # the id is someone else's, out of this user's scope
        return _rejected(m.mutation_id, m.id, _api_error(err))


def _record_denial(user, m: Mutation) -> None:
    """Audit a mutation refused because it named a record outside the user's scope."""
    audit.record(f"{m.entity}.{m.op}", m.entity, [m.id], user.id, outcome="denied")


def _write(user, device_id: str, m: Mutation, plan: Plan) -> dict:
    """Run the plan's service with its commit deferred, then write the ledger row."""
    try:
        with deferred_commits():
            record = plan.record if plan.kind == "same" else plan.run()
    except ApiError as err:
        # A 404 is an out-of-scope record; its denied event goes with the savepoint. A
        # 409 for a taken id is judged again by replayed_create, which audits it then.
        err.denial_undone = err.status == 404
        raise
    result = {"id": record.id, "version": record.version}
    db.session.add(
        SyncMutation(
            mutation_id=m.mutation_id,
            user_id=user.id,
            device_id=device_id,
            payload_hash=m.payload_hash,
            entity=m.entity,
            op=m.op,
            record_id=record.id,
            result=result,
        )
    )
    db.session.flush()
    status = "duplicate" if plan.kind == "same" else "applied"
    return {"mutation_id": m.mutation_id, "status": status, **result}


def _after_failure(user, m: Mutation, result: dict) -> dict:
    """A failed mutation that another request applied meanwhile is a duplicate after all."""
    prior = db.session.get(SyncMutation, m.mutation_id, populate_existing=True)
    return _replayed(user, m, prior) if prior is not None else result


def _error_result(user, m: Mutation, err) -> dict:
    """The result for a mutation that failed: conflict for a stale update, else rejected."""
    if isinstance(err, ValidationError):
        return _rejected(m.mutation_id, m.id, _validation(err))
    stale = isinstance(err, StaleDataError) or (
        isinstance(err, ApiError) and err.status == 409 and m.op == "update"
    )
    if stale:
        return _conflict(user, m, getattr(err, "record", None))
    if err is None or (isinstance(err, ApiError) and err.status == 409):
        # A create whose id another record took first (a race past the id check).
        err = ApiError(422, "id_taken", _l("Another record already has this id."))
    if isinstance(err, RolledBack):
        err = ApiError(409, "conflict", _l("Someone changed this record at the same time."))
    return _rejected(m.mutation_id, m.id, _api_error(err))


def _conflict(user, m: Mutation, record) -> dict:
    """A stale update: nothing written; the server's record as it stands now."""
    if record is None:
        record = db.session.get(MODELS[m.entity], m.id)
    if record is None:
        return _rejected(m.mutation_id, m.id, _api_error(not_found()))
    db.session.refresh(record)
    return {
        "mutation_id": m.mutation_id,
        "status": "conflict",
        "id": record.id,
        "version": record.version,
        "current": represent_one(user, m.entity, record),
    }


def _rejected(mutation_id, record_id, error: dict) -> dict:
    """A rejected mutation's result, its errors in the standard error shape."""
    return {"mutation_id": mutation_id, "status": "rejected", "id": record_id, "errors": error}


def _api_error(err: ApiError) -> dict:
    """An ApiError as the inner object of the standard error shape."""
    body = {"code": err.code, "message": str(err.message)}
    if err.fields:
        body["fields"] = normalize_fields(err.fields)
    body.update(err.extra)
    return body


def _validation(err: ValidationError) -> dict:
    """A marshmallow error as a validation_error body."""
    return _invalid(err.messages)


def _invalid(fields: dict | list | str) -> dict:
    """A validation_error body naming fields."""
    return {
        "code": "validation_error",
        "message": str(_l("Some fields are not valid.")),
        "fields": normalize_fields(fields),
    }


def _internal() -> dict:
    """A mutation that failed on the server's side (logged without personal data)."""
    return {"code": "internal_error", "message": str(_l("Something went wrong on our side."))}
