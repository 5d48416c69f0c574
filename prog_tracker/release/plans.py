"""Release plans: items generated from a template, moved with the date, and their progress.

When a participant's expected release date is first set, one item per kind
of the configured template is created, due that many days before the date.
When the date moves, open items (to do, in progress) move by the same number
of days, so a due date someone edited by hand keeps its distance; done and
not-needed items stay put. Clearing the date keeps the plan as it is.
"""

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, events, policy
from prog_tracker.core.collation import by_name
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import forbidden, validation_error
from prog_tracker.directory.models import Organisation
from prog_tracker.directory.organisations import organisation_for, organisations_for
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant, ReleaseDateChange
from prog_tracker.release.models import (
    OPEN_PLAN_STATUSES,
    PLAN_KINDS,
    ReleasePlanItem,
)

FINISHED = ("done", "not_needed")
CUSTODY = ("in_custody", "returned_to_custody")


def template() -> dict[str, int]:
    """The configured plan template: kind -> days before the expected release date."""
    configured = current_app.config["RELEASE_PLAN_TEMPLATE"]
    unknown = set(configured) - set(PLAN_KINDS)
    if unknown:
        raise RuntimeError(f"RELEASE_PLAN_TEMPLATE names unknown kinds: {sorted(unknown)}")
    return {kind: int(days) for kind, days in configured.items()}


def release_date_set(actor: User, participant: Participant, previous: dt.date | None) -> None:
    """Create or move the plan after the expected release date changed from previous.

    Call before the change is logged: with no previous date, the last date
    logged anchors a plan that already exists. The caller commits.
    """
    new = participant.expected_release_date
    if new is None:
        return
    items = _items_of(participant)
    if not items:
        _generate(actor, participant, new)
        return
    anchor = previous or _last_logged_date(participant)
    if anchor is not None and anchor != new:
        _shift(actor, items, new - anchor)


def _generate(actor: User, participant: Participant, release_on: dt.date) -> None:
    """One to-do item per template kind, due its offset before release_on."""
    items = [
        ReleasePlanItem(
            participant_id=participant.id,
            kind=kind,
            status="todo",
            due_date=release_on - dt.timedelta(days=days),
        )
        for kind, days in template().items()
    ]
    db.session.add_all(items)
    # One flush for the whole plan (an import registers thousands of people at once).
    db.session.flush()
    for item in items:
        audit.record("release_plan_item.create", "release_plan_item", [item.id], actor.id)
    # Partners links the NGO referral item to the person's open referral, if any.
    events.release_plan_drawn_up.send(participant, actor=actor)


def _shift(actor: User, items: list[ReleasePlanItem], delta: dt.timedelta) -> None:
    """Move the open items' due dates by delta."""
    for item in items:
        if item.status in OPEN_PLAN_STATUSES and item.due_date is not None:
            item.due_date = item.due_date + delta
            audit.record("release_plan_item.update", "release_plan_item", [item.id], actor.id)


def _last_logged_date(participant: Participant) -> dt.date | None:
    """The latest expected release date the history holds (cleared ones skipped)."""
    return db.session.scalar(
        select(ReleaseDateChange.new_date)
        .where(
            ReleaseDateChange.participant_id == participant.id,
            ReleaseDateChange.new_date.is_not(None),
        )
        .order_by(ReleaseDateChange.changed_at.desc(), ReleaseDateChange.id.desc())
        .limit(1)
    )


def _items_of(participant: Participant) -> list[ReleasePlanItem]:
    """The participant's plan items as stored."""
    return list(
        db.session.scalars(
            select(ReleasePlanItem).where(ReleasePlanItem.participant_id == participant.id)
        )
    )


def _order(item: ReleasePlanItem):
    """Sort key: due date (undated last), then the template's order of kinds."""
    rank = PLAN_KINDS.index(item.kind) if item.kind in PLAN_KINDS else len(PLAN_KINDS)
    return (item.due_date is None, item.due_date or dt.date.min, rank, item.id)


def plan_items(actor, participant: Participant) -> list[ReleasePlanItem]:
    """The items of a participant's release plan the actor receives, by due date then kind."""
    query = policy.visible_plan_items(actor).where(ReleasePlanItem.participant_id == participant.id)
    return sorted(db.session.scalars(query), key=_order)


def read_plan(actor: User, participant: Participant) -> list[ReleasePlanItem]:
    """plan_items for the plan page and the API, audited as one read of the person and
    one list read of the items shown."""
    items = plan_items(actor, participant)
    audit.record("participant.read", "participant", [participant.id], actor_id=actor.id)
    audit.record_list(actor, "release_plan.read", "release_plan_item", [i.id for i in items])
    return items


def read_plan_item(actor: User, item: ReleasePlanItem) -> ReleasePlanItem:
    """One plan item the policy returned, its read audited."""
    audit.record("release_plan_item.read", "release_plan_item", [item.id], actor_id=actor.id)
    db.session.commit()
    return item


def saved_item(item: ReleasePlanItem) -> ReleasePlanItem:
    """A plan item as saved, after a refused change (what was tried is dropped)."""
    db.session.refresh(item)
    return item


def owner_organisations(actor: User, participant: Participant, items=()) -> list[Organisation]:
    """The organisations an item may be handed to: those of the person's country the actor
    sees, and any the items are already with (so saving an item does not drop its owner)."""
    offered = organisations_for(actor, participant.facility)
    known = {o.id for o in offered}
    current = {i.owner_organisation_id: i.owner_organisation for i in items}
    return offered + [o for key, o in current.items() if key and key not in known and o]


def plan_progress(items) -> dict:
    """How far a plan is: items done or not needed, all items, and open items overdue."""
    items = list(items)
    todays: dict[str, dt.date] = {}
    overdue = 0
    for item in items:
        if item.status in FINISHED or item.due_date is None:
            continue
        if item.participant_id not in todays:
            person = item.participant
            todays[item.participant_id] = today_at(person.facility if person else None)
        overdue += item.due_date < todays[item.participant_id]
    done = sum(1 for item in items if item.status in FINISHED)
    return {"done": done, "total": len(items), "overdue": overdue}


def update_plan_item(actor: User, item: ReleasePlanItem, data: dict) -> ReleasePlanItem:
    """Change an item's status, due date, owner or note (officers; caseworkers of the owner)."""
    policy.require(actor, "plan.update", item)
    check_version(item, data.pop("version", None))
    if "owner_organisation_id" in data:
        _check_owner(actor, item, data["owner_organisation_id"])
    if "due_date" in data and data["due_date"] is None:
        raise validation_error({"due_date": [_l("Give a due date.")]})
    if "status" in data and data["status"] != item.status:
        set_item_status(item, data.pop("status"), today_of(item))
    for key, value in data.items():
        setattr(item, key, value)
    audit.record("release_plan_item.update", "release_plan_item", [item.id], actor.id)
    commit_or_conflict(item)
    return item


def _check_owner(actor: User, item: ReleasePlanItem, owner_id: str | None) -> None:
    """An owner is an existing organisation; a caseworker may not hand an item on."""
    if owner_id == item.owner_organisation_id:
        return
    if not policy.may(actor, "plan.assign_owner", item):
        raise forbidden(_l("Only facility staff hand a plan item to another organisation."))
    if owner_id is not None:
        person = item.participant
        organisation_for(owner_id, person.facility if person else None, "owner_organisation_id")


def today_of(item: ReleasePlanItem) -> dt.date:
    """Today at the item's participant's facility."""
    person = item.participant
    return today_at(person.facility if person else None)


def set_item_status(item: ReleasePlanItem, status: str, today: dt.date) -> None:
    """Change the status; completed_on is the day it was marked done."""
    item.status = status
    item.completed_on = today if status == "done" else None


def releases_ahead(actor: User, days: int = 90) -> list[dict]:
    """People in the actor's scope, in custody, released in (today, today + days], soonest first."""
    policy.require(actor, "release.list")
    widest = dt.date.today() + dt.timedelta(days=days + 1)
    query = (
        policy.visible_participants(actor)
        .where(
            Participant.status.in_(CUSTODY),
            Participant.expected_release_date >= dt.date.today() - dt.timedelta(days=1),
            Participant.expected_release_date <= widest,
        )
        .order_by(
            Participant.expected_release_date,
            by_name(Participant.family_name),
            by_name(Participant.given_name),
            Participant.id,
        )
    )
    people = [p for p in db.session.scalars(query) if _ahead(p, days)]
    by_person = _items_by_person([p.id for p in people])
    rows = []
    for person in people:
        items = sorted(by_person.get(person.id, []), key=_order)
        rows.append({"participant": person, "items": items, "progress": plan_progress(items)})
    return rows


def read_releases_ahead(actor: User, days: int) -> list[dict]:
    """releases_ahead for the releases page: one list-like read carrying the people shown."""
    rows = releases_ahead(actor, days=days)
    audit.record_list(actor, "release.list", "participant", [r["participant"].id for r in rows])
    return rows


def _ahead(participant: Participant, days: int) -> bool:
    """True when the expected release is after today and within days, at the facility."""
    today = today_at(participant.facility)
    return today < participant.expected_release_date <= today + dt.timedelta(days=days)


def _items_by_person(participant_ids: list[str]) -> dict[str, list[ReleasePlanItem]]:
    """Plan items of many participants in one query, grouped by participant id."""
    grouped: dict[str, list[ReleasePlanItem]] = {}
    if not participant_ids:
        return grouped
    rows = db.session.scalars(
        select(ReleasePlanItem).where(ReleasePlanItem.participant_id.in_(participant_ids))
    )
    for item in rows:
        grouped.setdefault(item.participant_id, []).append(item)
    return grouped


def on_release_date_changed(participant: Participant, actor: User, previous) -> None:
    """The expected release date was set or moved: create or move the plan (release_date_set)."""
    release_date_set(actor, participant, previous)
