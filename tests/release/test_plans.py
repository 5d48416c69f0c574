"""Release plans: generated from the template, moved with the date, changed by whom."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.release import plans
from prog_tracker.release.models import ReleasePlanItem
from tests.release.conftest import code, open_case

DAY = timedelta(days=1)
DEFAULT_OFFSETS = {
    "id_documents": 90,
    "housing": 60,
    "employment": 60,
    "ngo_referral": 60,
    "education": 60,
    "health": 30,
    "family_contact": 30,
    "toolkit": 7,
    "transport": 1,
}


def _create(api, prison, **extra):
    """Register a person through the API; returns their id."""
    body = {"prison_number": f"PL-{id(extra)}", "given_name": "Dana", "family_name": "Ermek"}
    response = api.post("/participants", json={**body, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _items(participant_id) -> dict:
    """kind -> plan item, as stored now."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(ReleasePlanItem).where(ReleasePlanItem.participant_id == participant_id)
    )
    return {item.kind: item for item in rows}


def test_setting_the_date_at_creation_generates_one_item_per_kind(api_as, prison):
    release_on = prison.today + 120 * DAY
    person_id = _create(
        api_as(prison.officer), prison, expected_release_date=release_on.isoformat()
    )
    items = _items(person_id)
    assert {kind: (release_on - i.due_date).days for kind, i in items.items()} == DEFAULT_OFFSETS
    assert {i.status for i in items.values()} == {"todo"}


def test_no_plan_without_a_date_then_one_when_first_set_by_patch(api_as, prison):
    api = api_as(prison.officer)
    person_id = _create(api, prison)
    assert _items(person_id) == {}
    release_on = prison.today + 50 * DAY
    response = api.patch(
        f"/participants/{person_id}", json={"expected_release_date": release_on.isoformat()}
    )
    assert response.status_code == 200, response.get_json()
    assert len(_items(person_id)) == 9


def test_moving_the_date_moves_open_items_but_not_finished_ones(api_as, prison):
    api = api_as(prison.officer)
    old = prison.today + 100 * DAY
    person_id = _create(api, prison, expected_release_date=old.isoformat())
    items = _items(person_id)
    items["housing"].status = "in_progress"
    items["id_documents"].status = "done"
    items["health"].status = "not_needed"
    items["toolkit"].due_date = old - 20 * DAY  # edited by hand: 20 days before, not 7
    db.session.commit()
    before = {kind: item.due_date for kind, item in _items(person_id).items()}

    refused = api.patch(
        f"/participants/{person_id}", json={"expected_release_date": (old + DAY).isoformat()}
    )
    assert refused.status_code == 422 and "reason" in refused.get_json()["error"]["fields"]
    assert {k: i.due_date for k, i in _items(person_id).items()} == before

    response = api.patch(
        f"/participants/{person_id}",
        json={"expected_release_date": (old + 14 * DAY).isoformat(), "reason": "Court ruling"},
    )
    assert response.status_code == 200, response.get_json()
    after = {kind: item.due_date for kind, item in _items(person_id).items()}
    for kind in ("id_documents", "health"):
        assert after[kind] == before[kind]
    for kind in set(DEFAULT_OFFSETS) - {"id_documents", "health"}:
        assert after[kind] == before[kind] + 14 * DAY, kind
    assert after["toolkit"] == old + 14 * DAY - 20 * DAY  # kept its distance


def test_clearing_the_date_keeps_the_plan_and_a_new_date_moves_it_from_the_last(api_as, prison):
    api = api_as(prison.officer)
    old = prison.today + 100 * DAY
    person_id = _create(api, prison, expected_release_date=old.isoformat())
    before = {kind: item.due_date for kind, item in _items(person_id).items()}
    cleared = api.patch(
        f"/participants/{person_id}", json={"expected_release_date": None, "reason": "Appeal"}
    )
    assert cleared.status_code == 200
    assert {k: i.due_date for k, i in _items(person_id).items()} == before
    api.patch(
        f"/participants/{person_id}",
        json={"expected_release_date": (old - 10 * DAY).isoformat(), "reason": "Appeal decided"},
    )
    after = {kind: item.due_date for kind, item in _items(person_id).items()}
    assert all(after[k] == before[k] - 10 * DAY for k in before)


def test_the_template_comes_from_config(app, monkeypatch, api_as, prison):
    monkeypatch.setitem(app.config, "RELEASE_PLAN_TEMPLATE", {"housing": 45, "transport": 2})
    release_on = prison.today + 60 * DAY
    person_id = _create(
        api_as(prison.officer), prison, expected_release_date=release_on.isoformat()
    )
    items = _items(person_id)
    assert {k: release_on - i.due_date for k, i in items.items()} == {
        "housing": 45 * DAY,
        "transport": 2 * DAY,
    }


def test_release_plan_route_lists_items_by_due_date_with_progress(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    make.plan_item(person, "transport", due_date=prison.today + 5 * DAY)
    make.plan_item(person, "housing", due_date=prison.today - DAY)  # overdue
    make.plan_item(person, "employment", due_date=prison.today - DAY, status="done")
    make.plan_item(person, "id_documents", due_date=prison.today - 3 * DAY, status="not_needed")
    body = api_as(prison.officer).get(f"/participants/{person.id}/release-plan").get_json()
    assert [i["kind"] for i in body["items"]] == [
        "id_documents",
        "housing",
        "employment",
        "transport",
    ]
    assert body["progress"] == {"done": 2, "total": 4, "overdue": 1}
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "release_plan.read")
    ).one()
    assert len(event.entity_ids) == 4


def test_officer_updates_an_item_and_done_sets_completed_on(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    item = make.plan_item(person, "housing")
    api = api_as(prison.officer)
    response = api.patch(
        f"/release-plan-items/{item.id}",
        json={
            "status": "done",
            "owner_organisation_id": prison.ngo.id,
            "note": "Hostel bed booked",
            "version": item.version,
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["completed_on"], body["owner_organisation_id"]) == (
        "done",
        prison.today.isoformat(),
        prison.ngo.id,
    )
    assert body["version"] == item.version + 1
    reopened = api.patch(f"/release-plan-items/{item.id}", json={"status": "in_progress"})
    assert reopened.get_json()["completed_on"] is None
    moved = api.patch(
        f"/release-plan-items/{item.id}", json={"due_date": (prison.today + 3 * DAY).isoformat()}
    )
    assert moved.get_json()["due_date"] == (prison.today + 3 * DAY).isoformat()


def test_item_refusals_unknown_owner_stale_version_bad_values(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    item = make.plan_item(person, "housing", note="first")
    api = api_as(prison.officer)
    path = f"/release-plan-items/{item.id}"
    unknown = api.patch(
        path, json={"owner_organisation_id": "00000000-0000-4000-8000-000000000000"}
    )
    assert unknown.status_code == 422
    assert "owner_organisation_id" in unknown.get_json()["error"]["fields"]
    assert api.patch(path, json={"note": "second"}).status_code == 200
    stale = api.patch(path, json={"note": "third", "version": 1})
    assert stale.status_code == 409 and code(stale) == "conflict"
    assert stale.get_json()["current"]["note"] == "second"
    assert stale.get_json()["current"]["version"] == 2
    assert api.patch(path, json={"status": "finished"}).status_code == 422
    assert api.patch(path, json={"kind": "housing"}).status_code == 422
    assert api.patch(path, json={"due_date": None}).status_code == 422
    assert api.patch("/release-plan-items/not-an-id", json={"note": "x"}).status_code == 404


def test_owning_caseworker_may_update_other_organisations_may_not(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    other_ngo = make.organisation(name="Other NGO")
    open_case(make, person, prison.ngo, prison.officer)
    open_case(make, person, other_ngo, prison.officer)
    ours = make.plan_item(person, "housing", owner_organisation_id=prison.ngo.id)
    theirs = make.plan_item(person, "employment", owner_organisation_id=other_ngo.id)
    unowned = make.plan_item(person, "transport")
    caseworker = api_as(make.user("caseworker", organisation=prison.ngo))

    done = caseworker.patch(f"/release-plan-items/{ours.id}", json={"status": "done"})
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    # Items of another organisation, or of none, are not theirs to receive at all: the
    # same 404 as an unknown item, on every path (pages, API, sync).
    for item in (theirs, unowned):
        refused = caseworker.patch(f"/release-plan-items/{item.id}", json={"status": "done"})
        assert refused.status_code == 404 and code(refused) == "not_found"
        assert caseworker.get(f"/release-plan-items/{item.id}").status_code == 404
    plan = caseworker.get(f"/participants/{person.id}/release-plan").get_json()
    assert [i["id"] for i in plan["items"]] == [ours.id]
    # Handing their item to another organisation is the prison's decision.
    handed = caseworker.patch(
        f"/release-plan-items/{ours.id}", json={"owner_organisation_id": other_ngo.id}
    )
    assert handed.status_code == 403
    assert caseworker.get(f"/release-plan-items/{ours.id}").status_code == 200


def test_a_caseworker_who_cannot_see_the_person_gets_404_and_a_denied_event(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    item = make.plan_item(person, "housing", owner_organisation_id=prison.ngo.id)
    caseworker = make.user("caseworker", organisation=prison.ngo)  # no referral or consent
    response = api_as(caseworker).patch(f"/release-plan-items/{item.id}", json={"status": "done"})
    assert response.status_code == 404
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == "denied").order_by(AuditEvent.id.desc())
    ).first()
    assert denied.entity_ids == [item.id] and denied.actor_id == caseworker.id
    db.session.expire_all()
    assert db.session.get(ReleasePlanItem, item.id).status == "todo"


@pytest.mark.parametrize(("who", "status"), [("supervisor", 403), ("instructor", 404)])
def test_supervisors_and_instructors_do_not_change_plans(make, api_as, prison, who, status):
    person = make.participant(facility=prison.facility)
    make.enrolment(prison.cohort, person)
    item = make.plan_item(person)
    user = make.user("supervisor", country="KZ") if who == "supervisor" else prison.instructor
    response = api_as(user).patch(f"/release-plan-items/{item.id}", json={"status": "done"})
    assert response.status_code == status


def test_releases_ahead_in_scope_in_custody_within_the_window_soonest_first(make, prison):
    today, facility = prison.today, prison.facility
    later = make.participant(facility=facility, expected_release_date=today + 90 * DAY)
    soon = make.participant(facility=facility, expected_release_date=today + DAY)
    back = make.participant(
        facility=facility, status="returned_to_custody", expected_release_date=today + 30 * DAY
    )
    for excluded in (
        {"expected_release_date": today},  # today is not ahead
        {"expected_release_date": today + 91 * DAY},
        {"expected_release_date": today + 5 * DAY, "status": "released"},
        {"expected_release_date": None},
    ):
        make.participant(facility=facility, **excluded)
    make.participant(expected_release_date=today + 5 * DAY)  # another facility
    make.plan_item(soon, "transport", due_date=today, status="done")
    make.plan_item(soon, "housing", due_date=today - DAY)
    rows = plans.releases_ahead(prison.officer)
    assert [r["participant"] for r in rows] == [soon, back, later]
    assert [i.kind for i in rows[0]["items"]] == ["housing", "transport"]
    assert rows[0]["progress"] == {"done": 1, "total": 2, "overdue": 1}
    assert rows[1]["items"] == [] and rows[1]["progress"]["total"] == 0
    assert [r["participant"] for r in plans.releases_ahead(prison.officer, days=30)] == [soon, back]
