"""POST /sync/push with generated outboxes: plausible mutations, broken ones, junk.

Whatever a device sends, the answer is 200 with one result per mutation (or a
4xx in the standard error shape for a body that is not a push at all), never a
5xx nor a mutation that failed on the server's side (`internal_error`); a
mutation that is not applied writes nothing; and the same outbox sent again
writes nothing more (SPEC §5).
"""

import datetime as dt
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prog_tracker.auth.services import create_api_token
from prog_tracker.extensions import db
from prog_tracker.sync.models import SyncMutation
from prog_tracker.sync.schemas import OPS, PUSH_ENTITIES, STATUSES
from prog_tracker.sync.scope import MODELS
from tests.fuzz.conftest import FUZZ, HOSTILE_TEXT, JSON, TEXT, assert_error_shape, row_counts

NOW = dt.datetime.now(dt.UTC)
UUIDS = st.uuids().map(str)
ENTITIES = st.sampled_from(PUSH_ENTITIES)
DATES = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str),
    st.just(str(NOW.date())),
    st.sampled_from(["2026-02-30", "0000-01-01", "9999-12-31", "2026-1-1", "", "today"]),
)
MOMENTS = st.one_of(
    st.integers(-3000, 30).map(lambda h: (NOW + dt.timedelta(hours=h)).isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-13-01T00:00:00Z", "now", "1e9", "2026-01-01T25:00:00+14:00"]),
)


def _values(world) -> dict:
    """Field name -> values, mostly valid for the world, sometimes hostile."""
    people = [p.id for p in (*world.clients, *world.learners)]

    def one(valid):
        return st.one_of(valid, valid, JSON)

    return {
        "id": one(UUIDS),
        "participant_id": one(st.sampled_from(people) | UUIDS),
        "session_id": one(st.sampled_from([world.session.id]) | UUIDS),
        "cohort_id": one(st.sampled_from([world.cohort.id]) | UUIDS),
        "skill_id": one(st.sampled_from(world.skill_ids) | UUIDS),
        "organisation_id": one(st.sampled_from([world.ngo.id, None]) | UUIDS),
        "owner_organisation_id": one(st.sampled_from([world.ngo.id, None])),
        "occurred_at": one(MOMENTS),
        "recorded_at": one(MOMENTS),
        "observed_on": one(DATES),
        "assessed_on": one(DATES),
        "date": one(DATES),
        "due_date": one(DATES),
        "mode": one(st.sampled_from(["visit", "phone", "video", "message", "attempt", "fax"])),
        "status": one(st.sampled_from(["present", "absent", "late", "excused", "done", "todo"])),
        "result": one(st.sampled_from(["competent", "not_yet"])),
        "employment": one(st.sampled_from(["employed_formal", "unemployed", "student"])),
        "housing": one(st.sampled_from(["stable", "temporary", "homeless"])),
        "returned_to_custody": one(st.booleans()),
        "uses_trained_skill": one(st.none() | st.booleans()),
        "needs": one(st.lists(st.sampled_from(["work", "housing", "health", "x"]), max_size=3)),
        "summary": TEXT,
        "location": TEXT,
        "note": TEXT,
        "topic": TEXT,
        "version": one(st.integers(0, 3)),
    }


def mutations(world):
    """One mutation: plausible (random fields of the entities' schemas) or junk."""
    values = _values(world)
    data = st.lists(st.sampled_from(sorted(values)), max_size=8, unique=True).flatmap(
        lambda names: st.fixed_dictionaries({name: values[name] for name in names})
    )
    known_ids = [c.id for c in world.contacts] + [world.session.id, world.plan_item.id]
    envelope = st.fixed_dictionaries(
        {
            "mutation_id": st.one_of(UUIDS, UUIDS, HOSTILE_TEXT, JSON),
            "entity": st.one_of(
                st.sampled_from(PUSH_ENTITIES), st.sampled_from(PUSH_ENTITIES), JSON
            ),
            "op": st.one_of(st.sampled_from(OPS), st.sampled_from(OPS), JSON),
            "id": st.one_of(UUIDS, st.sampled_from(known_ids), JSON),
            "data": st.one_of(data, data, data, JSON),
        },
        optional={"base_version": st.one_of(st.integers(-1, 4), JSON), "extra": JSON},
    )
    return st.one_of(envelope, envelope, envelope, JSON)


def bodies(world):
    """A push body: a device id and up to six mutations, sometimes malformed."""
    batch = st.lists(mutations(world), max_size=6)
    device = st.one_of(st.just("tablet-1"), TEXT, JSON)
    body = st.fixed_dictionaries(
        {"device_id": device, "mutations": batch}, optional={"cursor": JSON}
    )
    return st.one_of(body, body, body, JSON)


@pytest.fixture
def outbox_world(field, make):
    """The sync field world, with records to update and a bearer token per field role."""
    from prog_tracker.workshops.models import Trade

    field.contacts = [make.contact(person, field.caseworker) for person in field.clients]
    field.plan_item = make.plan_item(field.clients[0], owner_organisation_id=field.ngo.id)
    field.skill_ids = [make.skill(db.session.get(Trade, field.cohort.trade_id)).id]
    field.tokens = {
        role: create_api_token(getattr(field, role), f"fuzz {role}")[1]
        for role in ("caseworker", "instructor")
    }
    return field


def _push(app, token: str, body):
    return app.test_client().post(
        "/api/v1/sync/push", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def _ledger() -> set:
    return set(db.session.scalars(db.select(SyncMutation.mutation_id)))


def _exists(entity: str, record_id) -> bool:
    model = MODELS.get(entity)
    if model is None or not isinstance(record_id, str) or len(record_id) != 36:
        return False
    return db.session.get(model, record_id, populate_existing=True) is not None


def _check_results(sent: list, results: list) -> None:
    """One well-formed result per mutation, in order; no server-side failure."""
    assert len(results) == len(sent)
    for mutation, result in zip(sent, results, strict=True):
        assert result["status"] in STATUSES, result
        mutation_id = mutation.get("mutation_id") if isinstance(mutation, dict) else None
        if isinstance(mutation_id, str):
            assert result["mutation_id"] in (mutation_id, mutation_id.lower()), result
        else:
            assert result["mutation_id"] is None, result
        if result["status"] == "rejected":
            errors = result["errors"]
            assert set(errors) <= {"code", "message", "fields"}, errors
            assert errors["code"] != "internal_error", (mutation, result)


def _check_nothing_half_written(sent, results, before_rows, before_ledger, existed) -> None:
    """Only applied mutations wrote; the rest left no record and no ledger row."""
    written = {r["mutation_id"] for r in results if r["status"] in ("applied", "duplicate")}
    new_ledger = _ledger() - before_ledger
    assert new_ledger <= written, (new_ledger, written)
    applied = [r for r in results if r["status"] == "applied"]
    assert {r["mutation_id"] for r in applied} <= _ledger()
    for mutation, result in zip(sent, results, strict=True):
        entity = mutation.get("entity") if isinstance(mutation, dict) else None
        if result["status"] in ("rejected", "conflict") and isinstance(entity, str):
            key = (entity, result.get("id"))
            assert _exists(*key) == existed.get(key, False), (mutation, result)
        if result["status"] == "applied":
            assert _exists(mutation["entity"], result["id"]), result
    if not new_ledger:
        assert row_counts() == before_rows


def _existing(body) -> dict:
    """(entity, id) -> whether that record exists, for each mutation of the body."""
    found = {}
    for mutation in body.get("mutations", []) if isinstance(body, dict) else []:
        if not isinstance(mutation, dict):
            continue
        if isinstance(mutation.get("entity"), str) and isinstance(mutation.get("id"), str):
            key = (mutation["entity"], mutation["id"].lower())
            found[key] = _exists(*key)
    return found


def _push_and_check(app, token, body) -> list | None:
    """Push body; check the answer and the writes. Returns the results (None on a 4xx)."""
    before_rows, before_ledger, existed = row_counts(), _ledger(), _existing(body)
    response = _push(app, token, body)
    if response.status_code != 200:
        assert_error_shape(response)
        assert row_counts() == before_rows and _ledger() == before_ledger
        return None
    sent = body["mutations"]
    results = response.get_json()["results"]
    _check_results(sent, results)
    _check_nothing_half_written(sent, results, before_rows, before_ledger, existed)
    return results


@FUZZ
@given(data=st.data(), role=st.sampled_from(["caseworker", "instructor"]))
def test_any_outbox_is_answered_per_mutation_and_applied_at_most_once(
    app, outbox_world, data, role
):
    body = data.draw(bodies(outbox_world), label="body")
    token = outbox_world.tokens[role]
    first = _push_and_check(app, token, body)
    if first is None:
        return
    # The device did not hear the answer and sends the same outbox again.
    rows = row_counts()
    again = _push_and_check(app, token, json.loads(json.dumps(body)))
    assert again is not None
    for before, after in zip(first, again, strict=True):
        if before["status"] == "applied":
            assert after["status"] == "duplicate" and after["id"] == before["id"], after
    if not any(r["status"] == "applied" for r in again):
        assert row_counts() == rows


@FUZZ
@given(data=st.data())
def test_plausible_contacts_for_a_client_apply_or_are_rejected_cleanly(app, outbox_world, data):
    values = _values(outbox_world)
    client = data.draw(st.sampled_from(outbox_world.clients))
    fields = data.draw(
        st.fixed_dictionaries(
            {"occurred_at": values["occurred_at"], "mode": values["mode"]},
            optional={k: values[k] for k in ("summary", "location", "needs", "organisation_id")},
        )
    )
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "contact",
        "op": "create",
        "id": str(uuid.uuid4()),
        "data": {"participant_id": client.id, **fields},
    }
    body = {"device_id": "tablet-1", "mutations": [mutation]}
    results = _push_and_check(app, outbox_world.tokens["caseworker"], body)
    assert results is not None and results[0]["status"] in ("applied", "rejected")
