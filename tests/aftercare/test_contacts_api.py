"""Contacts (SPEC §2-§4): recorded by caseworkers, append-only history, scoped reads."""

import datetime as dt

import pytest

from tests.partners.conftest import events_since, last_event_id

NEW_ID = "6f1c1d52-8a8e-4d55-9a44-0d7c1b2f3e4a"


def _at(**delta) -> str:
    """A UTC moment relative to now, as ISO 8601 with Z."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def person(make, partners):
    """A person released 30 days ago, followed by caseworker A."""
    return make.client_of(
        partners.caseworker_a,
        facility=partners.facility,
        released_on=partners.today - dt.timedelta(days=30),
    )


def _contact(api, person, **extra):
    body = {"participant_id": person.id, "occurred_at": _at(hours=-2), "mode": "visit", **extra}
    return api.post("/contacts", json=body)


def test_caseworker_records_a_contact_for_their_organisation(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    start = last_event_id()
    response = _contact(
        api, person, location="Almaty office", summary="Found a flat", needs=["work", "work", "id"]
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["organisation_id"] == partners.ngo_a.id
    assert body["caseworker_id"] == partners.caseworker_a.id
    assert body["needs"] == ["work", "id"]
    assert (body["version"], body["versions"], body["edited_by_id"]) == (1, [], None)
    assert [e.entity_ids for e in events_since(start, "contact.create")] == [[body["id"]]]


def test_failed_attempts_are_contacts_too(api_as, partners, person):
    response = _contact(api_as(partners.caseworker_a), person, mode="attempt_failed")
    assert response.status_code == 201 and response.get_json()["mode"] == "attempt_failed"


def test_occurred_at_allows_five_minutes_of_clock_skew_only(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    assert _contact(api, person, occurred_at=_at(minutes=4)).status_code == 201
    late = _contact(api, person, occurred_at=_at(minutes=7))
    assert late.status_code == 422 and "occurred_at" in late.get_json()["error"]["fields"]
    naive = _contact(api, person, occurred_at="2026-01-01T10:00:00")
    assert naive.status_code == 422


def test_not_before_the_first_release_on_the_facilitys_calendar(make, api_as, partners):
    released_on = partners.today - dt.timedelta(days=3)
    person = make.client_of(
        partners.caseworker_a, facility=partners.facility, released_on=released_on
    )
    api = api_as(partners.caseworker_a)
    eve = dt.datetime.combine(released_on - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    # Almaty is UTC+5: 20:00 UTC the evening before is already release day there.
    after = _contact(api, person, occurred_at=(eve + dt.timedelta(hours=20)).isoformat())
    assert after.status_code == 201, after.get_json()
    before = _contact(api, person, occurred_at=(eve + dt.timedelta(hours=18)).isoformat())
    assert before.status_code == 422
    assert "occurred_at" in before.get_json()["error"]["fields"]


def test_a_person_never_released_has_no_contacts(make, api_as, partners):
    person = make.participant(facility=partners.facility)
    make.referral(person, partners.ngo_a, status="accepted")
    make.consent(person, partners.ngo_a)
    response = _contact(api_as(partners.caseworker_a), person)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_released"


def test_organisation_is_implied_for_caseworkers_and_named_by_admins(api_as, partners, person):
    caseworker = api_as(partners.caseworker_a)
    foreign = _contact(caseworker, person, organisation_id=partners.ngo_b.id)
    assert foreign.status_code == 422
    assert "organisation_id" in foreign.get_json()["error"]["fields"]
    assert _contact(caseworker, person, organisation_id=partners.ngo_a.id).status_code == 201
    admin = api_as(partners.admin)
    unnamed = _contact(admin, person)
    assert unnamed.status_code == 422
    assert "organisation_id" in unnamed.get_json()["error"]["fields"]
    named = _contact(admin, person, organisation_id=partners.ngo_b.id)
    assert named.status_code == 201
    assert named.get_json()["organisation_id"] == partners.ngo_b.id


def test_who_may_record_contacts(make, api_as, partners, person):
    assert _contact(api_as(partners.officer), person).status_code == 403
    assert _contact(api_as(make.user("supervisor", country="KZ")), person).status_code == 403
    assert _contact(api_as(partners.caseworker_b), person).status_code == 404


def test_client_chosen_ids(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    when = _at(hours=-2)
    created = _contact(api, person, id=NEW_ID.upper(), occurred_at=when)
    assert created.status_code == 201 and created.get_json()["id"] == NEW_ID
    again = _contact(api, person, id=NEW_ID, occurred_at=when)  # a replay: as the first
    assert again.status_code == 201 and again.get_json()["id"] == NEW_ID
    other = _contact(api, person, id=NEW_ID, occurred_at=when, summary="Something else")
    assert other.status_code == 409 and other.get_json()["current"]["id"] == NEW_ID


def test_a_taken_id_is_not_shown_to_those_who_may_not_see_it(make, api_as, partners, person):
    assert _contact(api_as(partners.caseworker_a), person, id=NEW_ID).status_code == 201
    make.client_of(partners.caseworker_b, participant=person)
    hidden = _contact(api_as(partners.caseworker_b), person, id=NEW_ID)
    assert hidden.status_code == 409 and "current" not in hidden.get_json()


def test_an_edit_keeps_every_earlier_version_readable(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    first = _contact(api, person, summary="First text", needs=["housing"]).get_json()
    path = f"/contacts/{first['id']}"
    colleague = api_as(partners.colleague_a)
    second = colleague.patch(path, json={"summary": "Second text", "version": 1})
    assert second.status_code == 200, second.get_json()
    start = last_event_id()
    third = api.patch(path, json={"summary": None, "mode": "phone", "needs": []}).get_json()
    assert [e.entity_ids for e in events_since(start, "contact.update")] == [[first["id"]]]
    assert (third["version"], third["summary"], third["mode"]) == (3, None, "phone")
    assert third["edited_by_id"] == partners.caseworker_a.id

    shown = api_as(partners.officer).get(path).get_json()
    assert [v["version"] for v in shown["versions"]] == [1, 2]
    v1, v2 = shown["versions"]
    assert (v1["summary"], v1["needs"], v1["mode"]) == ("First text", ["housing"], "visit")
    assert v1["written_by_id"] == partners.caseworker_a.id
    assert v1["written_at"] == first["updated_at"]
    assert (v2["summary"], v2["written_by_id"]) == ("Second text", partners.colleague_a.id)
    assert v2["written_at"] == second.get_json()["updated_at"]


def test_edits_are_checked_and_stale_ones_refused(api_as, partners, person):
    api = api_as(partners.caseworker_a)
    contact = _contact(api, person, summary="Kept").get_json()
    path = f"/contacts/{contact['id']}"
    future = api.patch(path, json={"occurred_at": _at(days=1)})
    assert future.status_code == 422
    unchanged = api.patch(path, json={"summary": "Kept"})
    assert unchanged.status_code == 200 and unchanged.get_json()["version"] == 1
    api.patch(path, json={"summary": "Changed"})
    stale = api.patch(path, json={"summary": "Mine", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["current"]["summary"] == "Changed"
    assert len(api.get(path).get_json()["versions"]) == 1
    assert api_as(partners.officer).patch(path, json={"summary": "x"}).status_code == 403
    assert api.patch(path, json={"caseworker_id": partners.colleague_a.id}).status_code == 422


def test_participant_contacts_newest_first_paginated_and_audited(make, api_as, partners, person):
    now = dt.datetime.now(dt.UTC)
    old = make.contact(person, partners.caseworker_a, occurred_at=now - dt.timedelta(days=5))
    new = make.contact(person, partners.caseworker_a, occurred_at=now - dt.timedelta(days=1))
    api = api_as(partners.caseworker_a)
    start = last_event_id()
    page = api.get(f"/participants/{person.id}/contacts?limit=1").get_json()
    assert [c["id"] for c in page["items"]] == [new.id] and page["next_cursor"]
    events = events_since(start)
    assert [(e.action, e.entity_ids) for e in events] == [
        ("participant.read", [person.id]),
        ("contact.list", [new.id]),
    ]
    rest = api.get(f"/participants/{person.id}/contacts?cursor={page['next_cursor']}").get_json()
    assert [c["id"] for c in rest["items"]] == [old.id] and rest["next_cursor"] is None


def test_another_organisation_never_sees_these_contacts(make, api_as, partners, person):
    make.client_of(partners.caseworker_b, participant=person)
    contact = make.contact(person, partners.caseworker_a)
    api = api_as(partners.caseworker_b)
    assert api.get(f"/participants/{person.id}").status_code == 200
    assert api.get(f"/participants/{person.id}/contacts").get_json()["items"] == []
    assert api.get(f"/contacts/{contact.id}").status_code == 404
    assert api.patch(f"/contacts/{contact.id}", json={"summary": "x"}).status_code == 404


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59+14:00", "2026-01-01T10:00:00"]
)
def test_implausible_or_naive_moments_are_refused(api_as, partners, person, moment):
    api = api_as(partners.caseworker_a)
    response = _contact(api, person, occurred_at=moment)
    assert response.status_code == 422
    assert "occurred_at" in response.get_json()["error"]["fields"]


def test_an_admin_names_an_organisation_of_the_persons_country_only(make, api_as, partners, person):
    abroad = make.organisation(name="Kampala Aid", country="UG")
    admin = api_as(partners.admin)
    refused = _contact(admin, person, organisation_id=abroad.id)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "organisation_other_country"
    form = admin.client.get(f"/aftercare/participants/{person.id}/contacts/new")
    page = form.get_data(as_text=True)
    assert f'value="{partners.ngo_b.id}"' in page and f'value="{abroad.id}"' not in page
