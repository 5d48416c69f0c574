"""How each kind of mutation reaches its domain service: sync is not a back door.

A handler validates `data` with the domain's own schema, loads the records it
acts on through the policy (an out-of-scope record is a 404 with a `denied`
audit event, as on the API), and calls the same service as the API route,
which applies every rule, permission check and audit event again.

`prepare` reads only, with the session's own commit (a denial commits its
audit event for real); `Plan.run` writes, its commit deferred to the push
(see unit.py).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import select

from prog_tracker.aftercare import contacts, outcomes
from prog_tracker.aftercare.contacts import CLOCK_SKEW
from prog_tracker.aftercare.schemas import (
    ContactCreateSchema,
    ContactPatchSchema,
    OutcomeCreateSchema,
    OutcomePatchSchema,
)
from prog_tracker.certification import services as certification
from prog_tracker.certification.schemas import AssessmentCreateSchema
from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError, validation_error
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release import plans
from prog_tracker.release.schemas import PlanItemPatchSchema
from prog_tracker.sync.schemas import (
    AttendanceCreateSchema,
    AttendanceUpdateSchema,
    SyncSessionCreateSchema,
)
from prog_tracker.sync.scope import MODELS, in_scope
from prog_tracker.workshops import attendance
from prog_tracker.workshops.models import Attendance, WorkshopSession


@dataclass
class Mutation:
    """One validated mutation envelope."""

    mutation_id: str
    entity: str
    op: str
    id: str
    base_version: int | None
    data: dict
    payload_hash: str


def _runs_nothing() -> Any:
    """The `run` of a plan that calls no service ("same", "conflict"): never called."""
    raise RuntimeError("this plan runs no service")


@dataclass
class Plan:
    """What a prepared mutation will do: run a service, or answer without writing.

    kind: "run" (call `run`), "same" (the record already holds exactly this:
    a replay under a new mutation_id) or "conflict" (`record` is newer).
    `data` is a create's validated data, to compare with a record holding its id.
    """

    kind: str
    record: Any = None
    run: Callable[[], Any] = _runs_nothing
    data: dict = field(default_factory=dict)


class Context:
    """What one push reads once for all its mutations."""

    def __init__(self, user):
        self.user = user
        self._people = None

    def sees(self, participant_id: str) -> bool:
        """True when the user saw the person when the push began.

        Only a shortcut past a second scope query per mutation: the service
        checks the scope again itself, and someone not seen here is looked up
        through the policy, which answers 404 and audits the denial.
        """
        if self._people is None:
            query = policy.visible_participants(self.user).with_only_columns(Participant.id)
            self._people = set(db.session.scalars(query))
        return participant_id in self._people


def unsupported() -> ApiError:
    """The answer to an operation the field app cannot make on this entity."""
    return ApiError(
        422,
        "unsupported_operation",
        _l("This change cannot be made from the field app."),
    )


def id_taken() -> ApiError:
    """The answer to a create whose client-chosen id another record holds."""
    return ApiError(
        422, "id_taken", _l("Another record already has this id."), fields={"id": [_l("Taken.")]}
    )


def id_taken_by(user, entity: str, record_id: str) -> ApiError:
    """id_taken for an id another record holds; when that record is outside the user's
    scope the attempt is a denied access, written once the mutation's savepoint is
    gone (push._apply), so a taken id tells no more than an unused one goes unaudited."""
    err = id_taken()
    err.denial_undone = not in_scope(user, entity, record_id)
    return err


def _create_data(m: Mutation, schema) -> dict:
    """A create's data with its id: the mutation's `id` (data may repeat it, not differ)."""
    data = dict(m.data)
    if data.get("id", m.id) != m.id:
        raise validation_error({"id": [_l("Must be the mutation's id.")]})
    data["id"] = m.id
    return schema.load(data)


def _patch_data(m: Mutation, schema) -> dict:
    """An update's changed fields, with base_version as the version to check."""
    data = dict(m.data)
    if m.base_version is not None:
        data["version"] = m.base_version
    return schema.load(data)


def _same(record, data: dict) -> bool:
    """True when the existing record already holds every field of a create's data."""
    for name, value in data.items():
        if name == "organisation_id" and value is None:
            continue
        if isinstance(value, list):
            value = list(dict.fromkeys(value))
        if getattr(record, name, None) != value:
            return False
    return True


def replayed_create(user, m: Mutation, data: dict) -> Plan:
    """A create whose id another record holds (the service said so): a replay of the
    same record in the user's scope (`same`), else `id_taken`."""
    record = db.session.get(MODELS[m.entity], m.id)
    if record is not None and in_scope(user, m.entity, m.id) and _same(record, data):
        return Plan("same", record=record)
    raise id_taken_by(user, m.entity, m.id) if record is not None else id_taken()


class Handler:
    """Validation, scope and service of one entity's mutations."""

    def prepare(self, ctx: Context, m: Mutation) -> Plan:
        """Validate and load what the mutation acts on; the plan to apply it."""
        if m.op == "create":
            return self.prepare_create(ctx, m)
        return self.prepare_update(ctx.user, m)

    def prepare_create(self, ctx: Context, m: Mutation) -> Plan:
        """A create this entity does not support."""
        raise unsupported()

    def prepare_update(self, user, m: Mutation) -> Plan:
        """An update this entity does not support."""
        raise unsupported()


def _person(ctx: Context, participant_id: str, action: str) -> None:
    """404 with a denied event when the person is not in the user's scope."""
    if not ctx.sees(participant_id):
        policy.get_participant(ctx.user, participant_id, action)


class ContactHandler(Handler):
    """Contacts: POST /contacts and PATCH /contacts/<id>."""

    def prepare_create(self, ctx, m):
        """Record a contact with a person the caseworker sees."""
        data = _create_data(m, ContactCreateSchema())
        _person(ctx, data["participant_id"], "contact.record")
        return Plan("run", data=data, run=lambda: contacts.record_contact(ctx.user, data))

    def prepare_update(self, user, m):
        """Correct a contact (its earlier text is kept)."""
        data = _patch_data(m, ContactPatchSchema())
        contact = policy.get_scoped(user, "contact", m.id, "contact.update")
        return Plan("run", record=contact, run=lambda: contacts.edit_contact(user, contact, data))


class OutcomeHandler(Handler):
    """Outcomes: POST /outcomes and PATCH /outcomes/<id>."""

    def prepare_create(self, ctx, m):
        """Record an outcome of a person the caseworker sees."""
        data = _create_data(m, OutcomeCreateSchema())
        _person(ctx, data["participant_id"], "outcome.record")
        return Plan("run", data=data, run=lambda: outcomes.record_outcome(ctx.user, data))

    def prepare_update(self, user, m):
        """Correct an outcome."""
        data = _patch_data(m, OutcomePatchSchema())
        outcome = policy.get_scoped(user, "outcome", m.id, "outcome.update")
        return Plan("run", record=outcome, run=lambda: outcomes.update_outcome(user, outcome, data))


class AssessmentHandler(Handler):
    """Assessments: POST /assessments (a sign-off is never edited, only recorded anew)."""

    def prepare_create(self, ctx, m):
        """Sign off (or not yet) a skill of a person in a cohort the instructor teaches."""
        data = _create_data(m, AssessmentCreateSchema())
        policy.get_cohort(ctx.user, data["cohort_id"], "assessment.record")
        return Plan("run", data=data, run=lambda: certification.record_assessment(ctx.user, data))


class PlanItemHandler(Handler):
    """Release plan items: PATCH /release-plan-items/<id> (items come from the template)."""

    def prepare_update(self, user, m):
        """Change an item's status, due date or note."""
        data = _patch_data(m, PlanItemPatchSchema())
        item = policy.get_scoped(user, "release_plan_item", m.id, "plan.update")
        return Plan("run", record=item, run=lambda: plans.update_plan_item(user, item, data))


class SessionHandler(Handler):
    """Sessions: POST /cohorts/<id>/sessions, the cohort named in the data."""

    def prepare_create(self, ctx, m):
        """Plan a session of a cohort the instructor teaches."""
        data = _create_data(m, SyncSessionCreateSchema())
        cohort = policy.get_cohort(ctx.user, data.pop("cohort_id"), "session.create")
        return Plan(
            "run",
            data={**data, "cohort_id": cohort.id},
            run=lambda: attendance.create_session(ctx.user, cohort, data),
        )


class AttendanceHandler(Handler):
    """Attendance: one line of PUT /sessions/<id>/attendance, keyed by (session, person)."""

    def prepare_create(self, ctx, m):
        """Record a line; an existing line is replaced only by a later recording."""
        user = ctx.user
        data = _create_data(m, AttendanceCreateSchema())
        _check_recorded_at(data["recorded_at"])
        taken = db.session.get(Attendance, m.id)
        pair = (data["session_id"], data["participant_id"])
        if taken is not None and (taken.session_id, taken.participant_id) != pair:
            raise id_taken_by(user, "attendance", m.id)
        session = _session(user, data["session_id"])
        row = db.session.scalar(
            select(Attendance).where(
                Attendance.session_id == session.id,
                Attendance.participant_id == data["participant_id"],
            )
        )
        if row is not None and data["recorded_at"] <= row.recorded_at:
            same = (row.status, row.note, row.recorded_at) == (
                data["status"],
                data.get("note"),
                data["recorded_at"],
            )
            return Plan("same" if same else "conflict", record=row)
        line = {k: data.get(k) for k in ("id", "participant_id", "status", "note")}
        return Plan("run", record=row, run=lambda: _record(user, session, line, data))

    def prepare_update(self, user, m):
        """Correct a line the instructor loaded (base_version checked)."""
        data = _patch_data(m, AttendanceUpdateSchema())
        if "recorded_at" in data:
            _check_recorded_at(data["recorded_at"])
        row = db.session.get(Attendance, m.id)
        if row is None:
            policy.deny(user, "attendance.record", "attendance", [m.id])
        session = _session(user, row.session_id)
        if data.get("version") not in (None, row.version):
            return Plan("conflict", record=row)
        line = {
            "participant_id": row.participant_id,
            "status": data.get("status", row.status),
            "note": data.get("note", row.note),
        }
        # The device saw the current line, so its correction is the later one.
        data["recorded_at"] = max(data.get("recorded_at") or utcnow(), row.recorded_at)
        return Plan("run", record=row, run=lambda: _record(user, session, line, data))


def _session(user, session_id: str) -> WorkshopSession:
    """A session of a cohort the user sees, or 404 with a denied event."""
    return policy.get_cohort_record(
        user, WorkshopSession, session_id, "session", "attendance.record"
    )


def _record(user, session, line: dict, data: dict) -> Attendance:
    """Save one line through the roll service, at the device's time."""
    return attendance.record_attendance(user, session, [line], at=data["recorded_at"])[0]


def _check_recorded_at(moment: dt.datetime) -> None:
    """A recording is not from the future (a fast clock would win every later correction)."""
    if moment > utcnow() + CLOCK_SKEW:
        raise ValidationError({"recorded_at": [_l("Must not be in the future.")]})


HANDLERS = {
    "contact": ContactHandler(),
    "outcome": OutcomeHandler(),
    "assessment": AssessmentHandler(),
    "release_plan_item": PlanItemHandler(),
    "session": SessionHandler(),
    "attendance": AttendanceHandler(),
}
