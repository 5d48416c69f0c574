"""Every create is idempotent on its client-generated id: the replay rule, in one place.

A create that names an id already used by the same actor with the same
validated body is a replay (a double tap, a retry after a timeout, a form sent
twice): it answers with the record the first made, as it is now, and stores
nothing new. Anything else holding the id answers 409 (policy.earlier_create).

A create service uses it so, after its access checks and before its rules
(a replay must not be refused as "already enrolled" by the record it made):

    @creates.replayable("contact", "contact.create")
    def record_contact(actor, data):
        ...access checks...
        claim = creates.claim(actor, "contact", data, "contact.create")
        if claim.earlier is not None:
            return claim.earlier
        ...the rules, the record...
        claim.keep(contact)  # the client's id and the receipt, in this transaction
        ...flush, audit, commit...

The receipt's primary key makes the database the judge when two replays race:
the loser's flush or commit fails, and `replayable` answers it as a replay.
A replay writes one audit event, `<create action>.replay`, with ids only: the
record as it is now went out again, so whoever reviews the trail sees it.
"""

import copy
import functools

from sqlalchemy.exc import IntegrityError

from prog_tracker.core import audit, policy, receipts
from prog_tracker.extensions import db


def note_replay(actor, entity: str, record, action: str) -> None:
    """Audit that a replayed create answered with an existing record (ids only)."""
    audit.record(f"{action}.replay", entity, [record.id], actor_id=actor.id)
    db.session.commit()


class Claim:
    """A create's hold on its client id: the earlier record of a replay, or the receipt to keep."""

    def __init__(self, actor, entity: str, data: dict, action: str):
        # The body as validated, before the service changes anything in it.
        self.body = copy.deepcopy(data)
        self.actor, self.entity, self.action = actor, entity, action
        self.id = data.get("id")
        # Inside a sync push the push answers a replay itself (`duplicate`, from its ledger).
        replay = not inside_savepoint()
        self.earlier = policy.earlier_create(actor, entity, self.body, action, replay)
        if self.earlier is not None:
            note_replay(actor, entity, self.earlier, action)

    def keep(self, record) -> None:
        """Give record the client's id and add the create's receipt to this transaction."""
        if not self.id:
            return
        record.id = self.id
        actor_id = self.actor.id if self.actor is not None else None
        receipts.keep(actor_id, self.entity, self.id, self.body)


def claim(actor, entity: str, data: dict, action: str) -> Claim:
    """Look for an earlier create under data's id (a replay) or refuse a taken id (409)."""
    return Claim(actor, entity, data, action)


def after_clash(actor, entity: str, body: dict, action: str):
    """After a failed flush or commit: the winner's record when it was this very create
    (a racing replay), a 409 when another create holds the id, None when the id is free
    (the clash was about something else)."""
    db.session.rollback()
    earlier = policy.earlier_create(actor, entity, body, action)
    if earlier is not None:
        note_replay(actor, entity, earlier, action)
    return earlier


def inside_savepoint() -> bool:
    """True inside a SAVEPOINT: a sync push's unit, whose push judges clashes itself."""
    return db.session().get_nested_transaction() is not None


def replayable(entity: str, action: str):
    """Decorate a create service(actor, ..., data): a racing replay that loses on the
    database's unique keys answers like the first instead of failing."""

    def decorate(service):
        @functools.wraps(service)
        def create(actor, *args, **kwargs):
            body = copy.deepcopy(kwargs["data"] if "data" in kwargs else args[-1])
            try:
                return service(actor, *args, **kwargs)
            except IntegrityError:
                if not body.get("id") or inside_savepoint():
                    raise
                earlier = after_clash(actor, entity, body, action)
                if earlier is None:
                    raise
                return earlier

        return create

    return decorate
