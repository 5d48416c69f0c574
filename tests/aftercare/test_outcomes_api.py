"""Outcomes (SPEC §2): work, use of the trained skill, housing and custody on a day."""

import datetime as dt

import pytest

from tests.partners.conftest import events_since, last_event_id


@pytest.fixture
def person(make, partners):
    """A person released 100 days ago, followed by caseworker A."""
    return make.client_of(
        partners.caseworker_a,
        facility=partners.facility,
        released_on=partners.today - dt.timedelta(days=100),
    )


def _body(person, day, **overrides):
    body = {
        "participant_id": person.id,
        "observed_on": day.isoformat(),
        "employment": "employed_formal",
        "uses_trained_skill": True,
        "housing": "stable",
        "returned_to_custody": False,
    }
    return {**body, **overrides}


def test_caseworker_records_an_outcome(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    start = last_event_id()
    response = api.post("/outcomes", json=_body(person, partners.today, note="Joinery shop"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["organisation_id"] == partners.ngo_a.id
    assert body["recorded_by_id"] == partners.caseworker_a.id
    assert (body["employment"], body["uses_trained_skill"], body["note"]) == (
        "employed_formal",
        True,
        "Joinery shop",
    )
    assert [e.entity_ids for e in events_since(start, "outcome.create")] == [[body["id"]]]
    assert api.get(f"/outcomes/{body['id']}").status_code == 200


@pytest.mark.parametrize("employment", ["unemployed", "unknown", "in_training"])
def test_skill_use_is_only_asked_of_people_who_work(api_as, partners, person, employment):
    api = api_as(partners.caseworker_a)
    for answer in (True, False):
        body = _body(person, partners.today, employment=employment, uses_trained_skill=answer)
        refused = api.post("/outcomes", json=body)
        assert refused.status_code == 422
        assert refused.get_json()["error"]["code"] == "skill_use_without_work"
        assert "uses_trained_skill" in refused.get_json()["error"]["fields"]
    body = _body(person, partners.today, employment=employment, uses_trained_skill=None)
    assert api.post("/outcomes", json=body).status_code == 201


@pytest.mark.parametrize("employment", ["employed_informal", "self_employed"])
def test_skill_use_with_any_kind_of_work(api_as, partners, person, employment):
    body = _body(person, partners.today, employment=employment, uses_trained_skill=False)
    assert api_as(partners.caseworker_a).post("/outcomes", json=body).status_code == 201


def test_observed_on_lies_between_the_first_release_and_today(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    tomorrow = partners.today + dt.timedelta(days=1)
    before = partners.today - dt.timedelta(days=101)
    for day in (tomorrow, before):
        response = api.post("/outcomes", json=_body(person, day))
        assert response.status_code == 422
        assert "observed_on" in response.get_json()["error"]["fields"]
    release_day = partners.today - dt.timedelta(days=100)
    assert api.post("/outcomes", json=_body(person, release_day)).status_code == 201


def test_never_released_people_have_no_outcomes(make, api_as, partners):
    person = make.participant(facility=partners.facility)
    response = api_as(partners.admin).post("/outcomes", json=_body(person, partners.today))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_released"


def test_admin_may_name_an_organisation_or_none(api_as, partners, person):
    api = api_as(partners.admin)
    unnamed = api.post("/outcomes", json=_body(person, partners.today))
    assert unnamed.status_code == 201 and unnamed.get_json()["organisation_id"] is None
    named = api.post(
        "/outcomes", json=_body(person, partners.today, organisation_id=partners.ngo_a.id)
    )
    assert named.get_json()["organisation_id"] == partners.ngo_a.id


def test_who_may_record_outcomes(make, api_as, partners, person):
    body = _body(person, partners.today)
    assert api_as(partners.officer).post("/outcomes", json=body).status_code == 403
    assert api_as(partners.caseworker_b).post("/outcomes", json=body).status_code == 404
    missing = {k: v for k, v in body.items() if k != "returned_to_custody"}
    assert api_as(partners.caseworker_a).post("/outcomes", json=missing).status_code == 422


def test_updating_an_outcome(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    outcome = api.post("/outcomes", json=_body(person, partners.today)).get_json()
    path = f"/outcomes/{outcome['id']}"
    lost_job = api.patch(path, json={"employment": "unemployed"})
    assert lost_job.status_code == 422
    assert lost_job.get_json()["error"]["code"] == "skill_use_without_work"
    updated = api.patch(
        path, json={"employment": "unemployed", "uses_trained_skill": None, "version": 1}
    )
    assert updated.status_code == 200, updated.get_json()
    assert (updated.get_json()["employment"], updated.get_json()["version"]) == ("unemployed", 2)
    stale = api.patch(path, json={"housing": "temporary", "version": 1})
    assert stale.status_code == 409 and stale.get_json()["current"]["employment"] == "unemployed"
    assert (
        api_as(partners.colleague_a).patch(path, json={"housing": "temporary"}).status_code == 200
    )
    assert api_as(partners.officer).patch(path, json={"housing": "stable"}).status_code == 403


def test_participant_outcomes_latest_first(make, api_as, partners, person):
    older = make.outcome(
        person, partners.caseworker_a, observed_on=partners.today - dt.timedelta(days=30)
    )
    newer = make.outcome(person, partners.caseworker_a)
    api = api_as(partners.caseworker_a)
    start = last_event_id()
    listed = api.get(f"/participants/{person.id}/outcomes").get_json()["items"]
    assert [o["id"] for o in listed] == [newer.id, older.id]
    assert [e.action for e in events_since(start)] == ["participant.read", "outcome.list"]
    supervisor = api_as(make.user("supervisor", country="KZ"))
    assert len(supervisor.get(f"/participants/{person.id}/outcomes").get_json()["items"]) == 2
