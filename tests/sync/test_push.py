"""POST /sync/push (SPEC §5): applied, duplicate, conflict, rejected — each record once."""

import datetime as dt

from sqlalchemy import func, select

from prog_tracker.aftercare.models import Contact, ContactVersion
from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.sync.models import SyncMutation
from tests.sync.conftest import contact_create, new_id, push, results, statuses, update


def _count(model, **where) -> int:
    """Rows of model matching where."""
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_a_contact_created_offline_is_applied_with_its_client_id(api_as, field):
    api = api_as(field.caseworker)
    mutation = contact_create(field.clients[0], summary="Met at the market")
    [result] = results(api, [mutation])
    assert result == {
        "mutation_id": mutation["mutation_id"],
        "status": "applied",
        "id": mutation["id"],
        "version": 1,
    }
    contact = db.session.get(Contact, mutation["id"])
    assert contact.organisation_id == field.ngo.id and contact.caseworker_id == field.caseworker.id
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contact.create"))
    assert [e.entity_ids for e in events] == [[mutation["id"]]]


def test_the_same_batch_pushed_twice_writes_each_record_once(api_as, field):
    api = api_as(field.caseworker)
    batch = [contact_create(person) for person in field.clients * 2]
    first = results(api, batch)
    again = results(api, batch)
    assert statuses(first) == ["applied"] * 4
    assert statuses(again) == ["duplicate"] * 4
    assert [(r["id"], r["version"]) for r in again] == [(r["id"], r["version"]) for r in first]
    assert _count(Contact) == 4 + 0  # the factories wrote none
    assert _count(SyncMutation, user_id=field.caseworker.id) == 4
    assert _count(AuditEvent, action="contact.create") == 4


def test_a_mutation_repeated_inside_one_batch_is_a_duplicate(api_as, field):
    mutation = contact_create(field.clients[0])
    found = results(api_as(field.caseworker), [mutation, mutation])
    assert statuses(found) == ["applied", "duplicate"]
    assert _count(Contact) == 1


def test_a_mutation_id_reused_for_another_change_is_refused(api_as, field):
    api = api_as(field.caseworker)
    mutation = contact_create(field.clients[0], summary="First")
    results(api, [mutation])
    reused = {**mutation, "data": {**mutation["data"], "summary": "Something else"}}
    [result] = results(api, [reused])
    assert result["status"] == "rejected" and result["errors"]["code"] == "id_reuse"
    assert db.session.get(Contact, mutation["id"]).summary == "First"


def test_another_users_mutation_id_is_refused_not_revealed(api_as, field):
    mutation = contact_create(field.clients[0])
    results(api_as(field.caseworker), [mutation])
    [result] = results(api_as(field.colleague), [mutation])
    assert result["status"] == "rejected" and result["errors"]["code"] == "id_reuse"
    assert "version" not in result


def test_a_bad_mutation_in_the_middle_does_not_affect_the_others(api_as, field):
    api = api_as(field.caseworker)
    good_1, good_2 = contact_create(field.clients[0]), contact_create(field.clients[1])
    bad_mode = contact_create(field.clients[0], mode="telepathy")
    not_released = contact_create(field.learners[0])  # out of scope: 404
    garbage = {"mutation_id": 7, "entity": "contact"}
    found = results(api, [good_1, bad_mode, garbage, not_released, "nope", good_2])
    assert statuses(found) == ["applied", "rejected", "rejected", "rejected", "rejected", "applied"]
    assert found[1]["errors"]["code"] == "validation_error"
    assert "mode" in found[1]["errors"]["fields"]
    assert found[2]["mutation_id"] is None and found[2]["errors"]["code"] == "validation_error"
    assert found[3]["errors"]["code"] == "not_found"
    assert _count(Contact) == 2


def test_a_rule_broken_by_one_mutation_is_its_rejection(api_as, field):
    future = contact_create(field.clients[0], occurred_at="2999-01-01T00:00:00Z")
    [result] = results(api_as(field.caseworker), [future])
    assert result["status"] == "rejected"
    assert result["errors"]["fields"] == {"occurred_at": ["Must not be in the future."]}


def test_an_update_carries_only_the_changed_fields_and_keeps_the_earlier_text(api_as, make, field):
    contact = make.contact(field.clients[0], field.caseworker, summary="Draft")
    [result] = results(
        api_as(field.caseworker), [update("contact", contact.id, 1, summary="Fixed")]
    )
    assert (result["status"], result["version"]) == ("applied", 2)
    db.session.refresh(contact)
    assert (contact.summary, contact.mode) == ("Fixed", "visit")
    assert _count(ContactVersion, contact_id=contact.id) == 1


def test_a_stale_base_version_is_a_conflict_that_overwrites_nothing(api_as, make, field):
    contact = make.contact(field.clients[0], field.caseworker, summary="Theirs")
    api = api_as(field.caseworker)
    results(api, [update("contact", contact.id, 1, summary="Server edit")])
    mutation = update("contact", contact.id, 1, summary="My offline edit")
    [result] = results(api, [mutation])
    assert result["status"] == "conflict" and result["version"] == 2
    assert result["current"]["summary"] == "Server edit"
    assert result["current"]["id"] == contact.id and "versions" not in result["current"]
    db.session.refresh(contact)
    assert contact.summary == "Server edit"
    # Not in the ledger: resent with the current version, it applies.
    assert db.session.get(SyncMutation, mutation["mutation_id"]) is None


def test_a_conflict_resent_after_a_rebase_applies(api_as, make, field):
    contact = make.contact(field.clients[0], field.caseworker)
    api = api_as(field.caseworker)
    results(api, [update("contact", contact.id, 1, summary="Server edit")])
    [result] = results(api, [update("contact", contact.id, 2, summary="Merged")])
    assert (result["status"], result["version"]) == ("applied", 3)


def test_a_replayed_create_under_a_new_mutation_id_is_a_duplicate(api_as, field):
    api = api_as(field.caseworker)
    mutation = contact_create(field.clients[0], needs=["work"])
    results(api, [mutation])
    replay = {**mutation, "mutation_id": new_id()}
    [result] = results(api, [replay])
    assert result["status"] == "duplicate" and result["id"] == mutation["id"]
    assert _count(Contact) == 1
    # The new mutation id is in the ledger too: replaying it again is a plain duplicate.
    assert db.session.get(SyncMutation, replay["mutation_id"]) is not None


def test_a_create_with_an_id_another_record_holds_is_refused(api_as, make, field):
    other = make.contact(field.clients[1], field.colleague, summary="Colleague's")
    mutation = contact_create(field.clients[0], record_id=other.id)
    [result] = results(api_as(field.caseworker), [mutation])
    assert result["status"] == "rejected" and result["errors"]["code"] == "id_taken"
    db.session.refresh(other)
    assert other.participant_id == field.clients[1].id


def test_an_id_in_data_must_be_the_mutations_id(api_as, field):
    mutation = contact_create(field.clients[0])
    mutation["data"]["id"] = new_id()
    [result] = results(api_as(field.caseworker), [mutation])
    assert result["status"] == "rejected" and "id" in result["errors"]["fields"]


def test_unsupported_operations_are_rejected(api_as, make, field):
    item = make.plan_item(field.clients[0], kind="toolkit")
    creates_item = {**update("release_plan_item", new_id(), None, kind="housing"), "op": "create"}
    found = results(api_as(field.caseworker), [creates_item, update("session", item.id, 1)])
    assert [r["errors"]["code"] for r in found] == ["unsupported_operation"] * 2


def test_outcomes_and_plan_items_go_through_their_services(api_as, make, field):
    item = make.plan_item(field.clients[0], kind="housing", owner_organisation_id=field.ngo.id)
    outcome = {
        "mutation_id": new_id(),
        "entity": "outcome",
        "op": "create",
        "id": new_id(),
        "data": {
            "participant_id": field.clients[0].id,
            "observed_on": field.today.isoformat(),
            "employment": "self_employed",
            "uses_trained_skill": True,
            "housing": "stable",
            "returned_to_custody": False,
        },
    }
    skill_without_work = update("outcome", outcome["id"], 1, employment="unemployed")
    found = results(
        api_as(field.caseworker),
        [outcome, update("release_plan_item", item.id, 1, status="done"), skill_without_work],
    )
    assert statuses(found) == ["applied", "applied", "rejected"]
    assert found[2]["errors"]["code"] == "skill_use_without_work"
    db.session.refresh(item)
    assert item.status == "done" and item.completed_on is not None


def test_limits_answer_413_in_the_standard_shape(app, api_as, field):
    api = api_as(field.caseworker)
    too_many = [contact_create(field.clients[0]) for _ in range(501)]
    response = push(api, too_many)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert _count(Contact) == 0
    big = contact_create(field.clients[0], summary="x" * 9000)
    response = push(api, [big] * 240)  # over 2 MB
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert len(results(api, [contact_create(field.clients[0]) for _ in range(500)])) == 500


def test_without_a_session_push_answers_401_and_writes_nothing(client, field):
    response = client.post(
        "/api/v1/sync/push",
        json={"device_id": "tablet-1", "mutations": [contact_create(field.clients[0])]},
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert _count(Contact) == 0


def test_a_cookie_session_must_send_the_csrf_token(api_as, field):
    api = api_as(field.caseworker)
    response = push(api.__class__(api.client, "wrong"), [contact_create(field.clients[0])])
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"


def test_a_bearer_token_needs_no_csrf_token(app, field):
    from prog_tracker.auth.services import create_api_token

    _row, raw = create_api_token(field.caseworker, "field app")
    response = app.test_client().post(
        "/api/v1/sync/push",
        json={"device_id": "tablet-1", "mutations": [contact_create(field.clients[0])]},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    assert statuses(response.get_json()["results"]) == ["applied"]


def test_a_malformed_body_is_a_4xx(api_as, field):
    api = api_as(field.caseworker)
    assert api.post("/sync/push", json={"mutations": []}).status_code == 422
    assert api.post("/sync/push", json={"device_id": "x", "mutations": {}}).status_code == 422
    assert api.post("/sync/push", json=[]).status_code == 422
    bad = api.post("/sync/push", data="{", content_type="application/json")
    assert bad.status_code == 400


def test_roles_without_the_field_app_are_refused(api_as, field):
    for user in (field.officer, field.admin):
        response = push(api_as(user), [])
        assert response.status_code == 403


def test_the_record_and_its_ledger_row_commit_together_or_not_at_all(api_as, field, monkeypatch):
    """A ledger row written by another request in between: the contact is undone with it."""
    from prog_tracker.sync import push as pushing

    api = api_as(field.caseworker)
    taken = contact_create(field.clients[0], summary="Applied elsewhere")
    results(api, [taken])
    racing = contact_create(field.clients[1], mutation_id=taken["mutation_id"])
    # As if the other request committed after this one read the ledger.
    monkeypatch.setattr(pushing, "_ledger", lambda _ids: {})
    [result] = results(api, [racing])
    assert result["status"] == "rejected" and result["errors"]["code"] == "id_reuse"
    assert db.session.get(Contact, racing["id"]) is None
    assert _count(Contact) == 1


def test_an_expired_session_answers_401_so_the_device_pauses(api_as, field):
    from prog_tracker.auth.models import AuthSession

    api = api_as(field.caseworker)
    for row in db.session.scalars(select(AuthSession)):
        row.last_seen_at = row.last_seen_at - dt.timedelta(hours=1)
    db.session.commit()
    response = push(api, [contact_create(field.clients[0])])
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert api.get("/sync/pull").status_code == 401
    assert _count(Contact) == 0
